package teamchat.chatserv.protocol.entity;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.NewMessage;

/**
 * A frame a client sent, decoded (docs/protocol.md, "Client frames"). Required numbers that are not
 * integral JSON numbers within a long arrive as {@code null}, and the constraints refuse them; an
 * optional number that is given but malformed arrives as {@link #MALFORMED_NUMBER}, so that it is
 * refused too instead of passing for absent. The frames that add an entry to a room ({@link
 * EntryRequest}) are checked against the rules of {@link NewMessage}, which chatfront applies too.
 */
public sealed interface ClientFrame {

  /**
   * An optional number field that was given but is not an integral JSON number within a long: never
   * a valid id (ids are positive), so the entry's rules refuse it.
   */
  long MALFORMED_NUMBER = Long.MIN_VALUE;

  /** Lets the receiver act on each kind of frame; the compiler names every kind it must handle. */
  void handleBy(Handler handler);

  /** What a socket does with each kind of frame. */
  interface Handler {
    void auth(Auth frame);

    void send(Send frame);

    void edit(Edit frame);

    void delete(Delete frame);

    void react(React frame);

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
   * A frame that asks for an entry of a room's seq stream: stored through chatfront, then answered
   * with {@code ack} or {@code error}; resending it with the same client id is always safe.
   */
  sealed interface EntryRequest extends ClientFrame {
    Long room();

    String clientMsgId();

    /** The entry on behalf of {@code sender}, to be checked against {@link NewMessage}'s rules. */
    NewMessage entry(String sender);
  }

  /**
   * {@code {type: send, room, client_msg_id, body, parent?, files?}}: a message to store, then ack;
   * with {@code parent}, a reply in that message's thread; with {@code files}, the ids of files the
   * sender uploaded to the room, attached to it (then the body may be empty). The body arrives here
   * in NFC, as it is stored. {@code files} is null when absent; a list holding a null when it was
   * given but is not an array of strings, so that it is refused.
   */
  record Send(Long room, String clientMsgId, String body, Long parent, List<String> files)
      implements EntryRequest {

    /** A send without files. */
    public Send(Long room, String clientMsgId, String body, Long parent) {
      this(room, clientMsgId, body, parent, null);
    }

    @Override
    public void handleBy(Handler handler) {
      handler.send(this);
    }

    @Override
    public NewMessage entry(String sender) {
      boolean attaches = files != null && !files.isEmpty();
      // A message of files only comes with an empty body: it has none to check.
      String text = attaches && "".equals(body) ? null : body;
      return new NewMessage(
          sender, room, clientMsgId, EntryKind.MESSAGE, text, null, parent, null, files);
    }
  }

  /**
   * {@code {type: edit, room, client_msg_id, target, body}}: replaces the body of the sender's own
   * message {@code target}. The body arrives here in NFC.
   */
  record Edit(Long room, String clientMsgId, Long target, String body) implements EntryRequest {
    @Override
    public void handleBy(Handler handler) {
      handler.edit(this);
    }

    @Override
    public NewMessage entry(String sender) {
      return new NewMessage(sender, room, clientMsgId, EntryKind.EDIT, body, target, null, null);
    }
  }

  /** {@code {type: delete, room, client_msg_id, target}}: leaves a tombstone of {@code target}. */
  record Delete(Long room, String clientMsgId, Long target) implements EntryRequest {
    @Override
    public void handleBy(Handler handler) {
      handler.delete(this);
    }

    @Override
    public NewMessage entry(String sender) {
      return new NewMessage(sender, room, clientMsgId, EntryKind.DELETE, null, target, null, null);
    }
  }

  /**
   * {@code {type: react, room, client_msg_id, target, emoji, on}}: adds ({@code on: true}) or takes
   * away ({@code on: false}) the sender's reaction to {@code target}. {@code on} is null when it is
   * missing or not a JSON boolean: such a frame is refused, never guessed.
   */
  record React(Long room, String clientMsgId, Long target, String emoji, Boolean on)
      implements EntryRequest {
    @Override
    public void handleBy(Handler handler) {
      handler.react(this);
    }

    /** A react, or an unreact for {@code on: false}; only meaningful once {@code on} is given. */
    @Override
    public NewMessage entry(String sender) {
      String kind = Boolean.FALSE.equals(on) ? EntryKind.UNREACT : EntryKind.REACT;
      return new NewMessage(sender, room, clientMsgId, kind, null, target, null, emoji);
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

  /**
   * {@code {type: typing, room, thread?}}: a hint relayed to the room's other users, never stored;
   * with {@code thread}, the id of the message whose thread is being replied to (a page shows it in
   * that thread's panel, not under the room's composer). It is relayed as given: a wrong id only
   * shows a hint nowhere.
   */
  record Typing(@NotNull @Positive Long room, @Positive Long thread) implements ClientFrame {
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
