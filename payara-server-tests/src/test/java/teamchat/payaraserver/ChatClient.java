package teamchat.payaraserver;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client of chatserv's WebSocket protocol (docs/protocol.md), at whatever path chatserv is
 * deployed.
 */
final class ChatClient implements AutoCloseable, WebSocket.Listener {

  final LinkedBlockingQueue<Map<String, Object>> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  /** Connects and signs in with an access token; returns once welcomed. */
  static ChatClient connect(URI address, String accessToken) throws Exception {
    ChatClient client = connectUnauthenticated(address);
    client.send("{\"type\":\"auth\",\"token\":\"" + accessToken + "\"}");
    client.await(f -> "welcome".equals(f.get("type")));
    return client;
  }

  /** Connects and reads the greeting, without signing in. */
  static ChatClient connectUnauthenticated(URI address) throws Exception {
    ChatClient client = new ChatClient();
    client.socket =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .newWebSocketBuilder()
            .buildAsync(address, client)
            .get(10, TimeUnit.SECONDS);
    client.await(f -> "hello".equals(f.get("type")));
    return client;
  }

  void send(String frame) throws Exception {
    socket.sendText(frame, true).get(10, TimeUnit.SECONDS);
  }

  /** The next frame that matches, skipping others; fails after 15 s. */
  Map<String, Object> await(Predicate<Map<String, Object>> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      Map<String, Object> frame = frames.poll(100, TimeUnit.MILLISECONDS);
      if (frame != null && wanted.test(frame)) {
        return frame;
      }
    }
    throw new AssertionError(
        "no matching frame within 15 s" + (closed.isDone() ? "; closed " + closed.get() : ""));
  }

  static Predicate<Map<String, Object>> type(String type) {
    return frame -> type.equals(frame.get("type"));
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        frames.add(JSONObjectUtils.parse(partial.toString()));
      } catch (java.text.ParseException e) {
        frames.add(Map.of("type", "unparseable", "text", partial.toString()));
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(-1);
  }

  @Override
  public void close() {
    socket.abort();
  }
}
