package teamchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generator's client against a WebSocket server that speaks the sign-in of docs/protocol.md
 * (hello, auth, welcome, subscribe, subscribed), as chatserv and the Node reference do: a fleet is
 * ready only once signed in and following its room, frames reach the scenario's callbacks, and a
 * close by the server counts as a drop with its code and reason, one by the bench does not.
 */
class ChatConnectionTest {

  private EventLoopGroup loop;
  private Channel server;

  /** Frames the server received, in order. */
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  /** The server's side of each connection, once signed in. */
  private final BlockingQueue<Channel> signedIn = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws InterruptedException {
    loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel socket) {
                    socket
                        .pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(64 * 1024),
                            new WebSocketServerProtocolHandler("/ws"),
                            new ProtocolServer());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  @AfterEach
  void stop() {
    server.close().syncUninterruptibly();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** hello on open, welcome for an auth with the token "good", subscribed, an ack per send. */
  private final class ProtocolServer extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
      if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        context.writeAndFlush(new TextWebSocketFrame("{\"type\":\"hello\"}"));
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, TextWebSocketFrame frame) {
      String text = frame.text();
      received.add(text);
      String type = Frames.field(text, "type");
      if ("auth".equals(type)) {
        if ("good".equals(Frames.field(text, "token"))) {
          context.writeAndFlush(new TextWebSocketFrame("{\"type\":\"welcome\"}"));
        } else {
          context.writeAndFlush(new CloseWebSocketFrame(1008, "invalid_token"));
        }
      } else if ("subscribe".equals(type)) {
        // Counted before the answer goes out: the client's fleet may be ready, and the test
        // reading this queue, before this thread gets past the write.
        signedIn.add(context.channel());
        context.writeAndFlush(
            new TextWebSocketFrame(
                "{\"type\":\"subscribed\",\"room\":" + Frames.field(text, "room") + "}"));
      } else if ("send".equals(type)) {
        context.writeAndFlush(
            new TextWebSocketFrame(
                "{\"type\":\"ack\",\"client_msg_id\":\""
                    + Frames.field(text, "client_msg_id")
                    + "\"}"));
      }
    }
  }

  private URI uri() {
    return URI.create(
        "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/ws");
  }

  @Test
  void aFleetIsReadyOnceSignedInAndFollowingAndHandsFramesToItsTraffic() throws Exception {
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    BlockingQueue<String> acks = new LinkedBlockingQueue<>();
    Fleet fleet = Fleet.open(uri(), 3, i -> 10 + i, List.of("good"));
    try {
      assertEquals(3, signedIn.size(), "every connection followed its room before open returned");
      assertTrue(
          received.containsAll(
              List.of(
                  "{\"type\":\"auth\",\"token\":\"good\"}",
                  "{\"type\":\"subscribe\",\"room\":10,\"after\":0}",
                  "{\"type\":\"subscribe\",\"room\":12,\"after\":0}")),
          received.toString());
      fleet.setTraffic(
          new ChatConnection.Traffic() {
            @Override
            public void onMessage(ChatConnection connection, String frame, long nowNanos) {
              messages.add(connection.room + " " + frame);
            }

            @Override
            public void onAck(ChatConnection connection, String frame, long nowNanos) {
              acks.add(connection.room + " " + Frames.field(frame, "client_msg_id"));
            }
          });
      ChatConnection first = fleet.connections.get(0);
      first.send(Frames.send(10, "k-1", "hi"));
      first.send(Frames.send(10, "k-2", "again"));
      assertEquals("10 k-1", acks.poll(10, TimeUnit.SECONDS));
      assertEquals("10 k-2", acks.poll(10, TimeUnit.SECONDS), "in the order sent");
      String message = "{\"type\":\"message\",\"room\":11,\"body\":\"" + "x".repeat(70_000) + "\"}";
      for (Channel each : signedIn) {
        each.writeAndFlush(new TextWebSocketFrame(message));
      }
      for (int i = 0; i < 3; i++) {
        String got = messages.poll(10, TimeUnit.SECONDS);
        assertTrue(got != null && got.endsWith(message), "a long frame arrives whole");
      }
      assertEquals(0, fleet.drops.sum());
    } finally {
      fleet.close();
    }
    for (Channel each : signedIn) {
      assertTrue(each.closeFuture().await(10, TimeUnit.SECONDS), "closed by the bench");
    }
    Thread.sleep(200); // the client's end of each connection is seen by now
    assertEquals(0, fleet.drops.sum(), "the bench's own close is no drop");
  }

  @Test
  void aCloseByTheServerIsADropWithItsCodeAndReason() throws Exception {
    try (Fleet fleet = Fleet.open(uri(), 2, i -> 20, List.of("good"))) {
      signedIn.take().writeAndFlush(new CloseWebSocketFrame(1013, "too_slow"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (fleet.drops.sum() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(200); // a second count of the same end would show by now
      assertEquals(1, fleet.drops.sum());
      assertEquals("closed by the server: 1013 too_slow", fleet.lastDrop);
    }
  }

  @Test
  void aRefusedSignInFailsTheFleet() {
    IOException refused =
        assertThrows(IOException.class, () -> Fleet.open(uri(), 1, i -> 0, List.of("bad")));
    assertTrue(refused.getMessage().contains("1008 invalid_token"), refused.getMessage());
  }
}
