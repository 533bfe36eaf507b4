package teamchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One client socket of the load generator on the JDK's WebSocket client: the client's selector
 * thread does the I/O of every connection and the listener runs on a small shared pool, so
 * thousands of connections cost no thread each. It signs in (hello, auth, welcome), follows one
 * room when given one, and then hands every message, ack and error frame to the {@link Traffic} of
 * the scenario.
 *
 * <p>Not the test kit's {@code teamchat.systemtestkit.ChatClient}, on purpose: that one parses
 * every frame into JSON and queues it for a test to wait on, which at tens of thousands of frames a
 * second would cost the generator more CPU than the server spends and make it the bottleneck; here
 * frames stay text, are read by {@link Frames}, and go straight to the scenario's callback.
 */
final class ChatConnection implements WebSocket.Listener {

  /** What a scenario does with the frames that arrive. Called on the client's pool threads. */
  interface Traffic {
    void onMessage(ChatConnection connection, String frame, long nowNanos);

    default void onAck(ChatConnection connection, String frame, long nowNanos) {}

    default void onError(ChatConnection connection, String frame) {}
  }

  /** Ignores everything: for idle connections. */
  static final Traffic IDLE = (connection, frame, now) -> {};

  final int index;
  final long room;
  private final String token;
  private final Fleet fleet;
  final CompletableFuture<ChatConnection> ready = new CompletableFuture<>();
  volatile Traffic traffic = IDLE;
  private volatile WebSocket socket;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean closing;
  private int subscribeRetries;

  private ChatConnection(int index, long room, String token, Fleet fleet) {
    this.index = index;
    this.room = room;
    this.token = token;
    this.fleet = fleet;
  }

  /**
   * Opens a connection; {@link #ready} completes once it is signed in and, if {@code room > 0},
   * follows that room.
   */
  static ChatConnection open(
      HttpClient client, URI uri, int index, long room, String token, Fleet fleet) {
    ChatConnection connection = new ChatConnection(index, room, token, fleet);
    client
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .buildAsync(uri, connection)
        .whenComplete(
            (socket, failure) -> {
              if (failure != null) {
                connection.ready.completeExceptionally(failure);
              }
            });
    return connection;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    socket = webSocket;
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String frame = partial.toString();
      partial.setLength(0);
      handle(frame);
    }
    webSocket.request(1);
    return null;
  }

  private void handle(String frame) {
    long now = System.nanoTime();
    String type = Frames.field(frame, "type");
    if ("message".equals(type)) {
      traffic.onMessage(this, frame, now);
    } else if ("ack".equals(type)) {
      traffic.onAck(this, frame, now);
    } else if ("hello".equals(type)) {
      send(Frames.auth(token));
    } else if ("welcome".equals(type)) {
      if (room > 0) {
        send(Frames.subscribe(room));
      } else {
        ready.complete(this);
      }
    } else if ("subscribed".equals(type)) {
      ready.complete(this);
    } else if ("error".equals(type)) {
      fleet.errors.increment();
      if (!ready.isDone()) {
        // A busy server may answer a subscribe with "unavailable, retry": retry as a client does.
        if ("true".equals(Frames.field(frame, "retry")) && room > 0 && subscribeRetries++ < 20) {
          CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS)
              .execute(() -> send(Frames.subscribe(room)));
        } else {
          ready.completeExceptionally(new IOException("refused: " + frame));
        }
        return;
      }
      traffic.onError(this, frame);
    }
  }

  /** Sends a text frame after those already on their way (the client allows one at a time). */
  void send(String text) {
    synchronized (this) {
      sending =
          sending.handle((done, failure) -> null).thenCompose(x -> socket.sendText(text, true));
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    ended(new IOException("closed by the server: " + statusCode + " " + reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    ended(error);
  }

  private void ended(Throwable why) {
    if (!closing) {
      fleet.drops.increment();
      fleet.lastDrop = why.getMessage();
    }
    ready.completeExceptionally(why);
  }

  void close() {
    closing = true;
    WebSocket open = socket;
    if (open != null) {
      open.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(failure -> null);
      open.abort();
    }
  }
}
