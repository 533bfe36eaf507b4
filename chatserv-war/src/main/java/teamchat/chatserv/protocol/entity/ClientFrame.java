package teamchat.chatserv.protocol.entity;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * A frame a client sent, decoded (docs/protocol.md, "Client frames"). Numbers that are not integral
 * JSON numbers within a long arrive as {@code null}, and the constraints refuse them; a {@code
 * send} is checked against the rules of {@link teamchat.contract.messages.NewMessage}, which
 * chatfront applies too.
 */
public sealed interface ClientFrame {

  /** Lets the receiver act on each kind of frame; the compiler names every kind it must handle. */
  void handleBy(Handler handler);

  /** What a socket does with each kind of frame. */
  interface Handler {
    void auth(Auth frame);

    void send(Send frame);

    void subscribe(Subscribe frame);

    void unsubscribe(Unsubscribe frame);

    void typing(Typing frame);

    void unknown(Unknown frame);

    void malformed(Malformed frame);
  }

  /** {@code {type: auth, token}}: signs the socket in, or refreshes its token in-band. */
  record Auth(String token) implements ClientFrame {
    @Override
    public void handleBy(Handler handler) {
      handler.auth(this);
    }
  }

  /**
   * {@code {type: send, room, client_msg_id, body}}: a message to store, then ack. The body arrives
   * here in NFC, as it is stored.
   */
  record Send(Long room, String clientMsgId, String body) implements ClientFrame {
    @Override
    public void handleBy(Handler handler) {
      handler.send(this);
    }
  }

  /** {@code {type: subscribe, room, after}}: what came after seq {@code after}, then live. */
  record Subscribe(@NotNull @Positive Long room, @NotNull @PositiveOrZero Long after)
      implements ClientFrame {
    @Override
    public void handleBy(Handler handler) {
      handler.subscribe(this);
    }
  }

  /** {@code {type: unsubscribe, room}}: stop following the room. */
  record Unsubscribe(@NotNull @Positive Long room) implements ClientFrame {
    @Override
    public void handleBy(Handler handler) {
      handler.unsubscribe(this);
    }
  }

  /** {@code {type: typing, room}}: a hint relayed to the room's other users, never stored. */
  record Typing(@NotNull @Positive Long room) implements ClientFrame {
    @Override
    public void handleBy(Handler handler) {
      handler.typing(this);
    }
  }

  /** A JSON object whose {@code type} is none of the above (or missing). */
  record Unknown(String type) implements ClientFrame {
    @Override
    public void handleBy(Handler handler) {
      handler.unknown(this);
    }
  }

  /**
   * Text that is not a JSON object within the frame bounds: the socket is closed with 1007 and
   * {@code reason} ({@code invalid_json} or {@code frame_not_an_object}).
   */
  record Malformed(String reason) implements ClientFrame {
    @Override
    public void handleBy(Handler handler) {
      handler.malformed(this);
    }
  }
}
