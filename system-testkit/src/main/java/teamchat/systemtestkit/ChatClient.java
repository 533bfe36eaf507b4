package teamchat.systemtestkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client of chatserv's WebSocket protocol (docs/protocol.md), at whatever address chatserv
 * is reached (its own port, a Payara Server context, nginx). Every frame it receives is parsed into
 * a {@link Frame} and queued; {@link #await} takes the next one a test wants.
 */
public final class ChatClient implements AutoCloseable, WebSocket.Listener {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          // HTTP/1.1: with Payara an h2c upgrade attempt sometimes stalls the request.
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile String closeReason = "";
  private WebSocket socket;

  private ChatClient() {}

  /** Connects and signs in with an access token; returns once welcomed. */
  public static ChatClient connect(URI webSocket, String accessToken) throws Exception {
    ChatClient client = connectUnauthenticated(webSocket);
    client.send(Json.createObjectBuilder().add("type", "auth").add("token", accessToken).build());
    client.await(type("welcome"));
    return client;
  }

  /** Connects and reads the greeting ({@code hello}), without signing in. */
  public static ChatClient connectUnauthenticated(URI webSocket) throws Exception {
    ChatClient client = new ChatClient();
    client.socket =
        HTTP.newWebSocketBuilder().buildAsync(webSocket, client).get(10, TimeUnit.SECONDS);
    client.await(type("hello"));
    return client;
  }

  /** Follows a room from after {@code after}: the replay, then live messages. */
  public void subscribe(long room, long after) throws Exception {
    send(
        Json.createObjectBuilder()
            .add("type", "subscribe")
            .add("room", room)
            .add("after", after)
            .build());
  }

  /** Sends a message to a room ({@code send} frame). */
  public void sendMessage(long room, String clientMsgId, String body) throws Exception {
    send(
        Json.createObjectBuilder()
            .add("type", "send")
            .add("room", room)
            .add("client_msg_id", clientMsgId)
            .add("body", body)
            .build());
  }

  /** Replies in the thread of message {@code parent} ({@code send} with {@code parent}). */
  public void sendReply(long room, String clientMsgId, long parent, String body) throws Exception {
    send(
        Json.createObjectBuilder()
            .add("type", "send")
            .add("room", room)
            .add("client_msg_id", clientMsgId)
            .add("body", body)
            .add("parent", parent)
            .build());
  }

  /** Replaces the body of one's own message {@code target} ({@code edit} frame). */
  public void edit(long room, String clientMsgId, long target, String body) throws Exception {
    send(
        Json.createObjectBuilder()
            .add("type", "edit")
            .add("room", room)
            .add("client_msg_id", clientMsgId)
            .add("target", target)
            .add("body", body)
            .build());
  }

  /** Deletes message {@code target} ({@code delete} frame). */
  public void delete(long room, String clientMsgId, long target) throws Exception {
    send(
        Json.createObjectBuilder()
            .add("type", "delete")
            .add("room", room)
            .add("client_msg_id", clientMsgId)
            .add("target", target)
            .build());
  }

  /** Adds ({@code on}) or takes away one's reaction to message {@code target} ({@code react}). */
  public void react(long room, String clientMsgId, long target, String emoji, boolean on)
      throws Exception {
    send(
        Json.createObjectBuilder()
            .add("type", "react")
            .add("room", room)
            .add("client_msg_id", clientMsgId)
            .add("target", target)
            .add("emoji", emoji)
            .add("on", on)
            .build());
  }

  public void send(JsonObject frame) throws Exception {
    send(frame.toString());
  }

  /** Sends any text, a frame or not (for tests of bad input). */
  public void send(String text) throws Exception {
    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
  }

  public void sendBinary(byte[] data) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
  }

  /** The next frame that matches, skipping others; fails after 15 s. */
  public Frame await(Predicate<Frame> wanted) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Frame frame = frames.poll(100, TimeUnit.MILLISECONDS);
      if (frame != null && wanted.test(frame)) {
        return frame;
      }
    }
    throw new AssertionError(
        "no matching frame within "
            + WAIT.toSeconds()
            + " s"
            + (closed.isDone() ? "; closed " + closed.get() : ""));
  }

  /**
   * The next frame that matches, skipping others, or empty once the socket is closed and every
   * frame before the close was looked at (for a client that must tell a refusal from a hang); fails
   * after 15 s.
   */
  public Optional<Frame> awaitUnlessClosed(Predicate<Frame> wanted) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      boolean wasClosed = closed.isDone();
      Frame frame = frames.poll(100, TimeUnit.MILLISECONDS);
      if (frame != null && wanted.test(frame)) {
        return Optional.of(frame);
      }
      if (frame == null && wasClosed) {
        return Optional.empty();
      }
    }
    throw new AssertionError("no matching frame within " + WAIT.toSeconds() + " s");
  }

  /** Frames of one type. */
  public static Predicate<Frame> type(String type) {
    return frame -> type.equals(frame.type());
  }

  /** Every frame received and not yet taken by {@link #await}, in order. */
  public BlockingQueue<Frame> frames() {
    return frames;
  }

  /** Completes with the close code when the socket closes (-1 on an error). */
  public CompletableFuture<Integer> closed() {
    return closed;
  }

  /**
   * The reason the server gave when it closed the socket ({@code no_pong}, {@code token_invalid},
   * ...), or "" (none given, an error, or still open).
   */
  public String closeReason() {
    return closeReason;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      frames.add(Frame.parse(partial.toString()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeReason = reason;
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(-1);
  }

  /** Drops the connection at once, as a client that goes away does. */
  @Override
  public void close() {
    socket.abort();
  }
}
