package teamchat.chatserv.delivery.control;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.util.Collection;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoredMessage;

/** The JSON frames chatserv sends (docs/protocol.md), encoded once and sent as text. */
public final class Frames {

  /**
   * Every frame read or written goes through this one provider. The static {@code Json.create*}
   * methods look the provider up anew on each call, a {@code ServiceLoader} scan of the
   * application's class path: 14% of chatserv's CPU in a fan-out profile (BENCHMARKS.md).
   */
  public static final JsonProvider JSON = JsonProvider.provider();

  private Frames() {}

  public static String message(StoredMessage message) {
    return JSON.createObjectBuilder()
        .add("type", "message")
        .add("room", message.room())
        .add("seq", message.seq())
        .add("id", message.id())
        .add("sender", message.sender())
        .add("client_msg_id", message.clientMsgId())
        .add("body", message.body())
        .add("time", message.time().toEpochMilli())
        .build()
        .toString();
  }

  public static String ack(StoreOutcome outcome) {
    return JSON.createObjectBuilder()
        .add("type", "ack")
        .add("client_msg_id", outcome.clientMsgId())
        .add("id", outcome.id())
        .add("room", outcome.room())
        .add("seq", outcome.seq())
        .add("time", outcome.time().toEpochMilli())
        .build()
        .toString();
  }

  public static String subscribed(long room, long lastSeq) {
    return JSON.createObjectBuilder()
        .add("type", "subscribed")
        .add("room", room)
        .add("last_seq", lastSeq)
        .build()
        .toString();
  }

  /** The last frame before close 1001: reconnect after this long, then subscribe with last seqs. */
  public static String goingAway(long retryAfterMillis) {
    return JSON.createObjectBuilder()
        .add("type", "going_away")
        .add("retry_after_ms", retryAfterMillis)
        .build()
        .toString();
  }

  /** Who of a room is online now: sent to a socket when it subscribes. */
  public static String presence(long room, Collection<User> online) {
    JsonArrayBuilder users = JSON.createArrayBuilder();
    online.forEach(user -> users.add(user(user)));
    return JSON.createObjectBuilder()
        .add("type", "presence")
        .add("room", room)
        .add("online", users)
        .build()
        .toString();
  }

  /** {@code online} or {@code offline}: a user came to or left a room (all their sockets). */
  public static String presenceChange(String type, long room, User user) {
    return JSON.createObjectBuilder()
        .add("type", type)
        .add("room", room)
        .add("user", user(user))
        .build()
        .toString();
  }

  /** Someone is typing in a room: relayed, never stored. */
  public static String typing(long room, User user) {
    return JSON.createObjectBuilder()
        .add("type", "typing")
        .add("room", room)
        .add("user", user(user))
        .build()
        .toString();
  }

  /** A user as frames show it: the token's subject and name. */
  public record User(String id, String name) {}

  private static JsonObjectBuilder user(User user) {
    return JSON.createObjectBuilder().add("id", user.id()).add("name", user.name());
  }

  /** Too many sends: nothing was stored; the same frame may be sent again after the wait. */
  public static String rateLimited(String clientMsgId, long room, long retryAfterMillis) {
    return JSON.createObjectBuilder()
        .add("type", "error")
        .add("code", "rate_limited")
        .add("message", "Too many messages; send it again shortly.")
        .add("retry", true)
        .add("retry_after_ms", retryAfterMillis)
        .add("client_msg_id", clientMsgId)
        .add("room", room)
        .build()
        .toString();
  }

  /**
   * A refused action. {@code retry} tells the client whether sending the same frame again may
   * succeed (the message was not stored, nothing is lost by resending it with the same client id).
   */
  public static String error(
      String code, String message, boolean retry, String clientMsgId, Long room) {
    JsonObjectBuilder frame =
        JSON.createObjectBuilder()
            .add("type", "error")
            .add("code", code)
            .add("message", message)
            .add("retry", retry);
    if (clientMsgId != null) {
      frame.add("client_msg_id", clientMsgId);
    }
    if (room != null) {
      frame.add("room", room);
    }
    return frame.build().toString();
  }
}
