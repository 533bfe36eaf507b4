package teamchat.chatserv.delivery.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.delivery.control.Connections;
import teamchat.chatserv.delivery.control.Connections.Connection;
import teamchat.chatserv.identity.control.TokenVerifier;
import teamchat.chatserv.identity.control.TokenVerifier.Identity;

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

  @Inject Connections connections;
  @Inject TokenVerifier verifier;

  @OnOpen
  public void open(Session session) {
    connections.opened(session);
    send(
        session,
        Json.createObjectBuilder()
            .add("type", "hello")
            .add("protocol", PROTOCOL_VERSION)
            .add("time", System.currentTimeMillis())
            .add("auth_timeout_ms", connections.authTimeout().toMillis())
            .build());
  }

  @OnMessage(maxMessageSize = MAX_FRAME_BYTES)
  public void text(Session session, String frame) {
    JsonObject message;
    try {
      JsonValue value = Json.createReader(new StringReader(frame)).readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        Connections.close(session, CloseCodes.NOT_CONSISTENT, "frame_not_an_object");
        return;
      }
      message = value.asJsonObject();
    } catch (JsonException e) {
      Connections.close(session, CloseCodes.NOT_CONSISTENT, "invalid_json");
      return;
    }
    Connection connection = connections.of(session);
    String type = text(message, "type");
    if ("auth".equals(type)) {
      authenticate(connection, text(message, "token"));
    } else if (connection.identity() == null) {
      Connections.close(session, CloseCodes.VIOLATED_POLICY, "auth_required");
    } else {
      error(session, "unknown_type", "Unknown frame type.");
    }
  }

  @OnMessage
  public void binary(Session session, ByteBuffer data) {
    Connections.close(session, CloseCodes.CANNOT_ACCEPT, "binary_not_supported");
  }

  @OnClose
  public void closed(Session session) {
    connections.closed(session);
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
    connections.authenticated(connection, identity);
    send(
        session,
        Json.createObjectBuilder()
            .add("type", before == null ? "welcome" : "reauthenticated")
            .add(
                "user",
                Json.createObjectBuilder()
                    .add("id", identity.subject())
                    .add("name", identity.name()))
            .add("expires", identity.expires().toEpochMilli())
            .build());
  }

  private static String text(JsonObject message, String field) {
    JsonValue value = message.get(field);
    return value instanceof JsonString string ? string.getString() : null;
  }

  private static void error(Session session, String code, String text) {
    send(
        session,
        Json.createObjectBuilder()
            .add("type", "error")
            .add("code", code)
            .add("message", text)
            .build());
  }

  private static void send(Session session, JsonObject frame) {
    session.getAsyncRemote().sendText(frame.toString());
  }
}
