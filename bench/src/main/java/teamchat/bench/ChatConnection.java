package teamchat.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client socket of the load generator, on Netty: one event loop thread per generator CPU does
 * the I/O of every connection and runs the scenario's callbacks, so thousands of connections cost
 * no thread each and a frame is handed from thread to thread not at all. It signs in (hello, auth,
 * welcome), follows one room when given one, and then hands every message, ack and error frame to
 * the {@link Traffic} of the scenario.
 *
 * <p>Not the JDK's WebSocket client, which the generator used first: at ~90,000 frames a second it
 * took 0.96 of the generator's core while Node was measured, so Node's figure could have been the
 * generator's, and it cost 15% more CPU per frame than this client (its one selector thread
 * schedules and re-registers interest for every read; BENCHMARKS.md, "A generator that does not
 * hold Node back"). Not the test kit's {@code teamchat.systemtestkit.ChatClient} either: that one
 * parses every frame into JSON and queues it for a test to wait on; here frames stay text, are read
 * by {@link Frames}, and go straight to the scenario's callback.
 */
final class ChatConnection extends SimpleChannelInboundHandler<WebSocketFrame> {

  /** What a scenario does with the frames that arrive. Called on the event loop threads. */
  interface Traffic {
    void onMessage(ChatConnection connection, String frame, long nowNanos);

    default void onAck(ChatConnection connection, String frame, long nowNanos) {}

    default void onError(ChatConnection connection, String frame) {}
  }

  /** Ignores everything: for idle connections. */
  static final Traffic IDLE = (connection, frame, now) -> {};

  /** Larger than any frame chatserv sends (a replayed entry with its html and reactions). */
  private static final int MAX_FRAME_BYTES = 1 << 20;

  private static final int CONNECT_TIMEOUT_MILLIS = 30_000;

  /**
   * The event loops of every connection: as many threads as the CPUs the generator may use (it is
   * pinned to one on a two-core machine), daemons so that they never keep the bench running.
   */
  private static final EventLoopGroup LOOPS =
      new MultiThreadIoEventLoopGroup(
          Runtime.getRuntime().availableProcessors(),
          new DefaultThreadFactory("bench-io", true),
          NioIoHandler.newFactory());

  final int index;
  final long room;
  private final String token;
  private final Fleet fleet;
  final CompletableFuture<ChatConnection> ready = new CompletableFuture<>();
  volatile Traffic traffic = IDLE;
  private volatile Channel channel;
  private volatile boolean closing;
  private final AtomicBoolean ended = new AtomicBoolean();

  /** The server's close frame, when it sent one, for the drop's report. */
  private volatile String closedWith;

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
  static ChatConnection open(URI uri, int index, long room, String token, Fleet fleet) {
    ChatConnection connection = new ChatConnection(index, room, token, fleet);
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .maxFramePayloadLength(MAX_FRAME_BYTES)
            .handshakeTimeoutMillis(CONNECT_TIMEOUT_MILLIS)
            // As a program, not a browser: no Origin (chatserv checks the Origin browsers send).
            .generateOriginHeader(false)
            // The server's close frame is read here, for its code and reason.
            .handleCloseFrames(false)
            .build();
    new Bootstrap()
        .group(LOOPS)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel socket) {
                socket
                    .pipeline()
                    .addLast(
                        new HttpClientCodec(),
                        new HttpObjectAggregator(64 * 1024),
                        new WebSocketClientProtocolHandler(config),
                        new WebSocketFrameAggregator(MAX_FRAME_BYTES),
                        connection);
              }
            })
        .connect(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80)
        .addListener(
            (ChannelFutureListener)
                connect -> {
                  if (!connect.isSuccess()) {
                    connection.ended(connect.cause());
                  }
                });
    return connection;
  }

  @Override
  public void channelActive(ChannelHandlerContext context) throws Exception {
    channel = context.channel();
    super.channelActive(context);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      handle(text.text());
    } else if (frame instanceof CloseWebSocketFrame close) {
      closedWith = close.statusCode() + " " + close.reasonText();
      context.close();
    }
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
          channel
              .eventLoop()
              .schedule(() -> send(Frames.subscribe(room)), 500, TimeUnit.MILLISECONDS);
        } else {
          ready.completeExceptionally(new IOException("refused: " + frame));
        }
        return;
      }
      traffic.onError(this, frame);
    }
  }

  /**
   * Sends a text frame after those already on their way: Netty writes a channel's frames in the
   * order they were given, from any thread.
   */
  void send(String text) {
    Channel open = channel;
    if (open != null) {
      open.writeAndFlush(new TextWebSocketFrame(text), open.voidPromise());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    ended(
        new IOException(
            closedWith == null
                ? "the connection closed without a close frame"
                : "closed by the server: " + closedWith));
    super.channelInactive(context);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable error) {
    ended(error);
    context.close();
  }

  /** The connection is over: a drop unless the bench closed it; counted once. */
  private void ended(Throwable why) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (!closing) {
      fleet.drops.increment();
      fleet.lastDrop = why.getMessage();
    }
    ready.completeExceptionally(why);
  }

  void close() {
    closing = true;
    Channel open = channel;
    if (open != null) {
      open.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
      open.close();
    }
  }
}
