package teamchat.chatserv.delivery.boundary;

import static teamchat.chatserv.delivery.control.Frames.JSON;

import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import teamchat.chatserv.delivery.control.Batcher;
import teamchat.chatserv.delivery.control.Connections;
import teamchat.chatserv.delivery.control.Connections.Connection;
import teamchat.chatserv.delivery.control.FrameShape;
import teamchat.chatserv.delivery.control.Frames;
import teamchat.chatserv.delivery.control.Limits;
import teamchat.chatserv.delivery.control.Memberships;
import teamchat.chatserv.delivery.control.Subscriptions;
import teamchat.chatserv.identity.control.KnownPeople;
import teamchat.chatserv.identity.control.TokenVerifier;
import teamchat.chatserv.identity.control.TokenVerifier.Identity;
import teamchat.chatserv.presence.control.Presence;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.text.PlainText;

/**
 * The browsers' WebSocket, at {@code /ws}. The frames and close codes are described in
 * docs/protocol.md. The access token travels in the first frame, never in the URL, where proxy logs
 * would keep it.
 */
@ServerEndpoint(value = "/ws", configurator = OriginCheck.class)
public class ChatEndpoint {

  /** Raised whenever a frame changes meaning, so clients can tell what they talk to. */
  public static final int PROTOCOL_VERSION = 1;

  /** Frames above this close the socket with 1009. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());

  private static final Pattern CLIENT_MSG_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Inject Connections connections;
  @Inject TokenVerifier verifier;
  @Inject Memberships memberships;
  @Inject Subscriptions subscriptions;
  @Inject Batcher batcher;
  @Inject Limits limits;
  @Inject Presence presence;
  @Inject KnownPeople people;

  /** Session properties: counted in the socket total; signed in as this subject. */
  private static final String COUNTED = "teamchat.counted";

  private static final String SIGNED_IN = "teamchat.subject";

  @OnOpen
  public void open(Session session) {
    if (!limits.openSocket()) {
      Connections.close(session, CloseCodes.TRY_AGAIN_LATER, "server_full");
      return;
    }
    session.getUserProperties().put(COUNTED, Boolean.TRUE);
    Connection connection = connections.opened(session);
    reply(
        connection,
        JSON.createObjectBuilder()
            .add("type", "hello")
            .add("protocol", PROTOCOL_VERSION)
            .add("time", System.currentTimeMillis())
            .add("auth_timeout_ms", connections.authTimeout().toMillis())
            .build());
  }

  @OnMessage(maxMessageSize = MAX_FRAME_BYTES)
  public void text(Session session, String frame) {
    JsonObject message;
    if (!FrameShape.withinBounds(frame)) {
      Connections.close(session, CloseCodes.NOT_CONSISTENT, "invalid_json");
      return;
    }
    try {
      JsonValue value = JSON.createReader(new StringReader(frame)).readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        Connections.close(session, CloseCodes.NOT_CONSISTENT, "frame_not_an_object");
        return;
      }
      message = value.asJsonObject();
    } catch (RuntimeException | StackOverflowError e) { // JsonException included
      // Whatever the parser makes of it, the frame is not JSON we take: the documented answer.
      Connections.close(session, CloseCodes.NOT_CONSISTENT, "invalid_json");
      return;
    }
    Connection connection = connections.of(session);
    if (connection == null) {
      return; // refused at open (server full) and closing: nothing more to answer
    }
    connection.heard();
    String type = text(message, "type");
    if ("auth".equals(type)) {
      authenticate(connection, text(message, "token"));
    } else if (connection.identity() == null) {
      Connections.close(session, CloseCodes.VIOLATED_POLICY, "auth_required");
    } else if ("send".equals(type)) {
      send(connection, message);
    } else if ("subscribe".equals(type)) {
      subscribe(connection, message);
    } else if ("unsubscribe".equals(type)) {
      Long room = number(message, "room");
      if (room != null) {
        subscriptions.unsubscribe(session, room);
        presence.leave(room, session);
      }
    } else if ("typing".equals(type)) {
      typing(connection, message);
    } else {
      connection.outbound.send(
          Frames.error("unknown_type", "Unknown frame type.", false, null, null));
    }
  }

  /** {@code {type: send, room, client_msg_id, body}}: stored through chatfront, then acked. */
  private void send(Connection connection, JsonObject frame) {
    Long room = number(frame, "room");
    String clientMsgId = text(frame, "client_msg_id");
    if (clientMsgId != null && !CLIENT_MSG_ID.matcher(clientMsgId).matches()) {
      clientMsgId = null; // never echoed: it may not even be well-formed Unicode
    }
    if (room == null || room < 1 || clientMsgId == null) {
      connection.outbound.send(
          Frames.error(
              "invalid_frame", "send needs room and client_msg_id.", false, clientMsgId, room));
      return;
    }
    // Checked at the door, alone: a body that cannot be stored or sent is refused here, before it
    // can reach a batch of other people's messages or another socket's writer.
    String body = PlainText.normalize(text(frame, "body"));
    Optional<PlainText.Problem> problem =
        PlainText.check(body, 1, NewMessage.MAX_BODY_CHARACTERS, true);
    if (problem.isPresent()) {
      connection.outbound.send(
          Frames.error(
              "invalid_body",
              "A message has 1 to "
                  + NewMessage.MAX_BODY_CHARACTERS
                  + " characters of well-formed text, no control characters but newline and tab ("
                  + problem.get().code()
                  + ").",
              false,
              clientMsgId,
              room));
      return;
    }
    String subject = connection.identity().subject();
    long wait = limits.sendDelayMillis(subject);
    if (wait > 0) {
      connection.outbound.send(Frames.rateLimited(clientMsgId, room, wait));
      return;
    }
    if (!member(connection, subject, room, clientMsgId)) {
      return;
    }
    if (!batcher.submit(connection.outbound, new NewMessage(subject, room, clientMsgId, body))) {
      connection.outbound.send(
          Frames.error("overloaded", "Too busy; send it again shortly.", true, clientMsgId, room));
    }
  }

  /** {@code {type: subscribe, room, after}}: what came after seq {@code after}, then live. */
  private void subscribe(Connection connection, JsonObject frame) {
    Long room = number(frame, "room");
    Long after = number(frame, "after");
    if (room == null || room < 1 || after == null || after < 0) {
      connection.outbound.send(
          Frames.error("invalid_frame", "subscribe needs room and after >= 0.", false, null, room));
      return;
    }
    String subject = connection.identity().subject();
    if (member(connection, subject, room, null)) {
      subscriptions.subscribe(connection.outbound, subject, room, after);
      presence.enter(room, connection.outbound, user(connection.identity()));
    }
  }

  /**
   * {@code {type: typing, room}}: relayed to the room's other users, at most once per {@code
   * chatserv.typing-interval}; more often is dropped without an answer (typing is a hint).
   */
  private void typing(Connection connection, JsonObject frame) {
    Long room = number(frame, "room");
    if (room == null || room < 1) {
      connection.outbound.send(
          Frames.error("invalid_frame", "typing needs a room.", false, null, room));
      return;
    }
    if (presence.typing(room, connection.session) == Presence.Typing.NOT_FOLLOWING) {
      connection.outbound.send(
          Frames.error("not_subscribed", "Subscribe to the room first.", false, null, room));
    }
  }

  private static Frames.User user(Identity identity) {
    return new Frames.User(identity.subject(), identity.name());
  }

  private boolean member(Connection connection, String subject, long room, String clientMsgId) {
    try {
      if (memberships.isMember(subject, room)) {
        return true;
      }
      connection.outbound.send(
          Frames.error(
              "not_a_member", "You are not a member of this room.", false, clientMsgId, room));
    } catch (Chatfront.Unavailable e) {
      connection.outbound.send(
          Frames.error("unavailable", "Try again shortly.", true, clientMsgId, room));
    }
    return false;
  }

  /** The answer to chatserv's ping (browsers send it by themselves): the client is alive. */
  @OnMessage
  public void pong(Session session, PongMessage pong) {
    Connection connection = connections.of(session);
    if (connection != null) {
      connection.heard();
    }
  }

  @OnMessage
  public void binary(Session session, ByteBuffer data) {
    Connections.close(session, CloseCodes.CANNOT_ACCEPT, "binary_not_supported");
  }

  @OnClose
  public void closed(Session session) {
    if (session.getUserProperties().remove(COUNTED) != null) {
      limits.closeSocket();
    }
    Object subject = session.getUserProperties().remove(SIGNED_IN);
    if (subject != null) {
      limits.signOut((String) subject);
    }
    connections.closed(session);
    subscriptions.forget(session);
    presence.leaveAll(session);
  }

  @OnError
  public void failed(Session session, Throwable error) {
    // Abrupt disconnects land here; they are the client's business, not a server fault.
    LOG.log(Level.FINE, "socket error", error);
  }

  /** The first auth frame signs the socket in; a later one refreshes the token in-band. */
  private void authenticate(Connection connection, String token) {
    Session session = connection.session;
    Identity identity;
    try {
      identity = verifier.verify(token);
    } catch (TokenVerifier.Refused refused) {
      Connections.close(session, CloseCodes.VIOLATED_POLICY, refused.code);
      return;
    }
    Identity before = connection.identity();
    if (before != null && !before.subject().equals(identity.subject())) {
      Connections.close(session, CloseCodes.VIOLATED_POLICY, "user_changed");
      return;
    }
    if (before == null) {
      if (!limits.signIn(identity.subject())) {
        Connections.close(session, CloseCodes.VIOLATED_POLICY, "too_many_connections");
        return;
      }
      session.getUserProperties().put(SIGNED_IN, identity.subject());
      people.signedIn(identity);
    }
    connections.authenticated(connection, identity);
    reply(
        connection,
        JSON.createObjectBuilder()
            .add("type", before == null ? "welcome" : "reauthenticated")
            .add(
                "user",
                JSON.createObjectBuilder()
                    .add("id", identity.subject())
                    .add("name", identity.name()))
            .add("expires", identity.expires().toEpochMilli())
            .build());
  }

  /** An integral JSON number, or null for anything else (text, fractions, absurd sizes). */
  private static Long number(JsonObject message, String field) {
    JsonValue value = message.get(field);
    if (value instanceof JsonNumber number && number.isIntegral()) {
      try {
        return number.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    return null;
  }

  private static String text(JsonObject message, String field) {
    JsonValue value = message.get(field);
    return value instanceof JsonString string ? string.getString() : null;
  }

  private static void reply(Connection connection, JsonObject frame) {
    connection.outbound.send(frame.toString());
  }
}
