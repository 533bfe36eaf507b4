package teamchat.chatserv.delivery.boundary;

import jakarta.json.Json;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** The browsers' WebSocket, at {@code /ws}. */
@ServerEndpoint("/ws")
public class ChatEndpoint {

  /** Raised whenever a frame changes meaning, so clients can tell what they talk to. */
  public static final int PROTOCOL_VERSION = 1;

  @OnOpen
  public void greet(Session session) {
    String hello =
        Json.createObjectBuilder()
            .add("type", "hello")
            .add("protocol", PROTOCOL_VERSION)
            .add("time", System.currentTimeMillis())
            .build()
            .toString();
    session.getAsyncRemote().sendText(hello);
  }
}
