package teamchat.chatserv.protocol.entity;

import static teamchat.chatserv.protocol.entity.FrameJson.PROVIDER;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import teamchat.contract.messages.AttachedFile;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.MessageState;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoredMessage;

/**
 * A frame chatserv sends (docs/protocol.md, "Server frames"); each record writes its own JSON, and
 * nothing else in chatserv builds a frame.
 *
 * <p>Frames are encoded by {@link #encode()} before they enter a socket's queue, not by a WebSocket
 * {@code Encoder} in {@code sendObject}: a room's message is encoded once and the same text goes to
 * every follower, where an encoder would run once per socket.
 */
public sealed interface ServerFrame {

  /** The protocol version in {@code hello}; raised whenever a frame changes meaning. */
  int PROTOCOL_VERSION = 1;

  JsonObject toJson();

  /** The frame as the text that goes on the wire. */
  default Encoded encode() {
    return new Encoded(toJson().toString());
  }

  /**
   * A frame's wire text, encoded once and shared by every socket it goes to, and the WebSocket
   * frame that carries it, made once too when a socket first asks for it ({@link #wireFrame()}).
   * Equal when the texts are.
   */
  final class Encoded {
    private final String text;

    /** Made on first use; a race makes it twice, with the same bytes. */
    private volatile byte[] wireFrame;

    public Encoded(String text) {
      this.text = Objects.requireNonNull(text);
    }

    public String text() {
      return text;
    }

    /**
     * The text as one whole WebSocket text frame from a server (RFC 6455, section 5.2: FIN and
     * opcode 1, the payload's length in 7, 7+16 or 7+64 bits, no mask, the text in UTF-8), for
     * sockets that take an already framed message ({@code Outbound}): then the text is encoded once
     * for all its recipients rather than once per socket.
     */
    public ByteBuffer wireFrame() {
      byte[] frame = wireFrame;
      if (frame == null) {
        frame = frameOf(text.getBytes(StandardCharsets.UTF_8));
        wireFrame = frame;
      }
      return ByteBuffer.wrap(frame);
    }

    static byte[] frameOf(byte[] payload) {
      int length = payload.length;
      int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
      byte[] frame = new byte[header + length];
      frame[0] = (byte) 0x81; // FIN, text
      if (header == 2) {
        frame[1] = (byte) length;
      } else if (header == 4) {
        frame[1] = 126;
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
      } else {
        frame[1] = 127;
        for (int i = 0; i < 8; i++) {
          frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
        }
      }
      System.arraycopy(payload, 0, frame, header, length);
      return frame;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Encoded encoded && encoded.text.equals(text);
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** A person as frames show them: the token's subject and username. */
  record User(String id, String name) {
    JsonObjectBuilder json() {
      return PROVIDER.createObjectBuilder().add("id", id).add("name", name);
    }
  }

  /** The first frame on every socket: send {@code auth} within {@code authTimeoutMs}. */
  record Hello(long time, long authTimeoutMs) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      return PROVIDER
          .createObjectBuilder()
          .add("type", "hello")
          .add("protocol", PROTOCOL_VERSION)
          .add("time", time)
          .add("auth_timeout_ms", authTimeoutMs)
          .build();
    }
  }

  /**
   * The token was accepted: {@code welcome} for the first, {@code reauthenticated} for a token
   * refreshed in-band.
   */
  record SignedIn(boolean first, User user, long expires) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      return PROVIDER
          .createObjectBuilder()
          .add("type", first ? "welcome" : "reauthenticated")
          .add("user", user.json())
          .add("expires", expires)
          .build();
    }
  }

  /**
   * The frame of an entry of a followed room's seq stream, chosen by its kind: {@code message},
   * {@code edited}, {@code deleted} or {@code reaction}. Every entry takes a seq, so every one is
   * sent, a kind this chatserv does not know yet too ({@link OtherEntry}).
   */
  static ServerFrame entry(StoredMessage entry) {
    return entry(entry, 0);
  }

  /**
   * The same for an entry read back from chatfront when the room's stream had reached {@code
   * stateSeq}: a message's state (edits, delete, reactions, replies) is then the effect of every
   * entry up to that seq, some of which follow it in the same replay, and its frame says so ({@code
   * state_seq}) so that a client does not apply them twice (a reply counted twice, an older edit
   * shown over the current text).
   */
  static ServerFrame entry(StoredMessage entry, long stateSeq) {
    String kind = entry.kind();
    if (kind == null || EntryKind.MESSAGE.equals(kind)) {
      return new Message(entry, stateSeq);
    }
    return switch (kind) {
      case EntryKind.EDIT -> new Edited(entry);
      case EntryKind.DELETE -> new Deleted(entry);
      case EntryKind.REACT, EntryKind.UNREACT -> new Reaction(entry);
      default -> new OtherEntry(entry);
    };
  }

  /** What every entry frame carries: its type, room, seq, id, sender, client id and time. */
  private static JsonObjectBuilder entryJson(String type, StoredMessage entry) {
    return PROVIDER
        .createObjectBuilder()
        .add("type", type)
        .add("room", entry.room())
        .add("seq", entry.seq())
        .add("id", entry.id())
        .add("sender", entry.sender())
        .add("client_msg_id", entry.clientMsgId())
        .add("time", entry.time().toEpochMilli());
  }

  /** Body and html where there are (a deleted message has neither), and the mentions if any. */
  private static void addText(JsonObjectBuilder frame, StoredMessage entry) {
    if (entry.body() != null) {
      frame.add("body", entry.body());
    }
    if (entry.html() != null) {
      frame.add("html", entry.html());
    }
    List<String> mentions = entry.mentions();
    if (mentions != null && !mentions.isEmpty()) {
      JsonArrayBuilder subjects = PROVIDER.createArrayBuilder();
      mentions.forEach(subjects::add);
      frame.add("mentions", subjects);
    }
    if (entry.mentionsRoom()) {
      frame.add("mentions_room", true);
    }
  }

  /**
   * A message of a followed room: {@code parent} when it is a reply in a thread, and, read back in
   * a replay, what became of it since ({@link MessageState}), only the fields that say something,
   * as of seq {@code stateSeq} of the room (0: not said).
   */
  record Message(StoredMessage message, long stateSeq) implements ServerFrame {

    /** A live message: nothing has happened to it yet. */
    public Message(StoredMessage message) {
      this(message, 0);
    }

    @Override
    public JsonObject toJson() {
      JsonObjectBuilder frame = entryJson("message", message);
      addText(frame, message);
      if (message.parent() != null) {
        frame.add("parent", message.parent());
      }
      if (message.webhook() != null) {
        frame.add(
            "webhook", message.webhook()); // posted through an incoming webhook, under this name
      }
      addFiles(frame, message.files());
      MessageState state = message.state();
      if (state != null) {
        if (stateSeq > 0) {
          frame.add("state_seq", stateSeq);
        }
        addState(frame, state);
      }
      return frame.build();
    }

    /** The files attached, when there are any (a deleted message has none left). */
    private static void addFiles(JsonObjectBuilder frame, List<AttachedFile> files) {
      if (files == null || files.isEmpty()) {
        return;
      }
      JsonArrayBuilder array = PROVIDER.createArrayBuilder();
      for (AttachedFile file : files) {
        JsonObjectBuilder json =
            PROVIDER
                .createObjectBuilder()
                .add("id", file.id())
                .add("name", file.name())
                .add("size", file.size())
                .add("type", file.type());
        if (file.width() != null && file.height() != null) {
          json.add("width", file.width()).add("height", file.height());
        }
        array.add(json);
      }
      frame.add("files", array);
    }

    private static void addState(JsonObjectBuilder frame, MessageState state) {
      if (state.editedAt() != null) {
        frame.add("edited_at", state.editedAt().toEpochMilli());
      }
      if (state.deleted()) {
        frame.add("deleted", true);
      }
      if (state.reactions() != null && !state.reactions().isEmpty()) {
        JsonArrayBuilder reactions = PROVIDER.createArrayBuilder();
        for (MessageState.Reaction reaction : state.reactions()) {
          JsonArrayBuilder users = PROVIDER.createArrayBuilder();
          reaction.users().forEach(users::add);
          reactions.add(
              PROVIDER.createObjectBuilder().add("emoji", reaction.emoji()).add("users", users));
        }
        frame.add("reactions", reactions);
      }
      if (state.replyCount() > 0) {
        frame.add("reply_count", state.replyCount());
      }
      if (state.repliers() != null && !state.repliers().isEmpty()) {
        JsonArrayBuilder repliers = PROVIDER.createArrayBuilder();
        state.repliers().forEach(repliers::add);
        frame.add("repliers", repliers);
      }
    }
  }

  /**
   * The sender edited their message {@code target}: its new body and html (neither when the target
   * has been deleted since: deleted text is never served again) and mentions.
   */
  record Edited(StoredMessage edit) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      JsonObjectBuilder frame = entryJson("edited", edit).add("target", edit.target());
      addText(frame, edit);
      return frame.build();
    }
  }

  /** Message {@code target} is deleted: only its tombstone is left. */
  record Deleted(StoredMessage delete) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      return entryJson("deleted", delete).add("target", delete.target()).build();
    }
  }

  /**
   * The sender's reaction {@code emoji} to {@code target} was added ({@code on: true}) or taken
   * away; clients apply it to a set, so the same one twice changes nothing.
   */
  record Reaction(StoredMessage reaction) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      return entryJson("reaction", reaction)
          .add("target", reaction.target())
          .add("emoji", reaction.emoji())
          .add("on", EntryKind.REACT.equals(reaction.kind()))
          .build();
    }
  }

  /**
   * An entry of a kind newer than this chatserv (chatfront upgraded first): sent as type {@code
   * entry} with its {@code kind}, so that clients, which ignore types they do not know, still count
   * its seq.
   */
  record OtherEntry(StoredMessage entry) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      return entryJson("entry", entry).add("kind", entry.kind()).build();
    }
  }

  /**
   * The sender's entry (a message, an edit, a delete or a reaction) is stored, now or by an earlier
   * frame with the same client id.
   */
  record Ack(StoreOutcome outcome) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      return PROVIDER
          .createObjectBuilder()
          .add("type", "ack")
          .add("client_msg_id", outcome.clientMsgId())
          .add("id", outcome.id())
          .add("room", outcome.room())
          .add("seq", outcome.seq())
          .add("time", outcome.time().toEpochMilli())
          .build();
    }
  }

  /** The replay of a subscription is done; from here on the room's messages come live. */
  record Subscribed(long room, long lastSeq) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      return PROVIDER
          .createObjectBuilder()
          .add("type", "subscribed")
          .add("room", room)
          .add("last_seq", lastSeq)
          .build();
    }
  }

  /** Who of a room is online now: sent to a socket when it subscribes. */
  record Presence(long room, Collection<User> online) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      JsonArrayBuilder users = PROVIDER.createArrayBuilder();
      online.forEach(user -> users.add(user.json()));
      return PROVIDER
          .createObjectBuilder()
          .add("type", "presence")
          .add("room", room)
          .add("online", users)
          .build();
    }
  }

  /** A user came to a room ({@code online}) or left it with all their sockets ({@code offline}). */
  record PresenceChange(boolean online, long room, User user) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      return PROVIDER
          .createObjectBuilder()
          .add("type", online ? "online" : "offline")
          .add("room", room)
          .add("user", user.json())
          .build();
    }
  }

  /**
   * Someone is typing in a room, in the thread of message {@code thread} when that is not null:
   * relayed, never stored.
   */
  record Typing(long room, Long thread, User user) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      JsonObjectBuilder frame =
          PROVIDER.createObjectBuilder().add("type", "typing").add("room", room);
      if (thread != null) {
        frame.add("thread", thread);
      }
      return frame.add("user", user.json()).build();
    }
  }

  /**
   * The person's rooms changed elsewhere: they joined {@code room} (created it, were invited, a
   * direct conversation was started with them) or it ended for them ({@code change} is the
   * membership feed's kind: {@code joined}, {@code left}, {@code removed}, {@code room_deleted}).
   * Sent to every socket of the person, whatever rooms it follows, so that an open sidebar can read
   * the person's rooms again.
   */
  record RoomsChanged(long room, String change) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      return PROVIDER
          .createObjectBuilder()
          .add("type", "rooms_changed")
          .add("room", room)
          .add("change", change)
          .build();
    }
  }

  /** The last frame before close 1001: reconnect after this long, then subscribe with last seqs. */
  record GoingAway(long retryAfterMillis) implements ServerFrame {
    @Override
    public JsonObject toJson() {
      return PROVIDER
          .createObjectBuilder()
          .add("type", "going_away")
          .add("retry_after_ms", retryAfterMillis)
          .build();
    }
  }

  /**
   * A refused action. {@code retry} tells the client whether sending the same frame again may
   * succeed; {@code retryAfterMillis}, when set, how long to wait first. {@code clientMsgId} and
   * {@code room} name what was refused, when the frame named them validly.
   */
  record Error(
      String code,
      String message,
      boolean retry,
      Long retryAfterMillis,
      String clientMsgId,
      Long room)
      implements ServerFrame {

    /** A refusal of a frame about {@code room} (or none) and {@code clientMsgId} (or none). */
    public static Error of(
        String code, String message, boolean retry, String clientMsgId, Long room) {
      return new Error(code, message, retry, null, clientMsgId, room);
    }

    /** Too many sends: nothing was stored; the same frame may be sent again after the wait. */
    public static Error rateLimited(String clientMsgId, long room, long retryAfterMillis) {
      return new Error(
          "rate_limited",
          "Too many messages; send it again shortly.",
          true,
          retryAfterMillis,
          clientMsgId,
          room);
    }

    @Override
    public JsonObject toJson() {
      JsonObjectBuilder frame =
          PROVIDER
              .createObjectBuilder()
              .add("type", "error")
              .add("code", code)
              .add("message", message)
              .add("retry", retry);
      if (retryAfterMillis != null) {
        frame.add("retry_after_ms", retryAfterMillis);
      }
      if (clientMsgId != null) {
        frame.add("client_msg_id", clientMsgId);
      }
      if (room != null) {
        frame.add("room", room);
      }
      return frame.build();
    }
  }
}
