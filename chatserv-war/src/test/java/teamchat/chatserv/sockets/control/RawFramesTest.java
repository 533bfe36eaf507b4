package teamchat.chatserv.sockets.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.protocol.entity.ServerFrame;

/**
 * Framed messages written through a Tyrus-shaped socket: reached the way {@link RawFrames} reaches
 * Tyrus's, and written by {@link Outbound} in order, one at a time, within its bounds.
 */
public class RawFramesTest {

  /** Shaped like Tyrus's {@code TyrusWebSocket}: its futures are {@code CompletableFuture}s. */
  public static class TyrusShapedSocket {
    final List<byte[]> written = new ArrayList<>();
    final List<CompletableFuture<Object>> inFlight = new ArrayList<>();
    boolean completeInline = true;
    boolean connected = true;

    public synchronized CompletableFuture<Object> sendRawFrame(ByteBuffer frame) {
      if (!connected) {
        throw new RuntimeException("Socket is not connected."); // as Tyrus says it
      }
      byte[] bytes = new byte[frame.remaining()];
      frame.get(bytes);
      written.add(bytes);
      CompletableFuture<Object> done = new CompletableFuture<>();
      if (completeInline) {
        done.complete(null);
      } else {
        inFlight.add(done);
      }
      return done;
    }

    synchronized void completeOne() {
      inFlight.remove(0).complete(null);
    }

    /** The texts written, each frame's header taken off (all short here: two bytes). */
    synchronized List<String> texts() {
      return written.stream()
          .map(f -> new String(Arrays.copyOfRange(f, 2, f.length), StandardCharsets.UTF_8))
          .toList();
    }
  }

  /** Shaped like Tyrus's {@code TyrusRemoteEndpoint}: the socket in a package-private field. */
  static class RemoteEndpoint {
    final Object webSocket;

    RemoteEndpoint(Object webSocket) {
      this.webSocket = webSocket;
    }
  }

  /** And its {@code Async}, the class a session's {@code getAsyncRemote()} returns. */
  static class AsyncRemote extends RemoteEndpoint {
    AsyncRemote(Object webSocket) {
      super(webSocket);
    }
  }

  /** A socket whose futures cannot say when they complete. */
  public static class PlainFutureSocket {
    public Future<Object> sendRawFrame(ByteBuffer frame) {
      return null;
    }
  }

  @Test
  void aTyrusShapedSocketTakesTheFrameAsItIs() {
    TyrusShapedSocket socket = new TyrusShapedSocket();
    RawFrames raw = RawFrames.ofRemote(new AsyncRemote(socket)).orElseThrow();
    ServerFrame.Encoded frame = new ServerFrame.Encoded("{\"type\":\"ack\"}");
    assertTrue(raw.send(frame.wireFrame()).isDone());
    byte[] expected = new byte[frame.wireFrame().remaining()];
    frame.wireFrame().get(expected);
    assertArrayEquals(expected, socket.written.get(0));
    socket.connected = false;
    assertThrows(RuntimeException.class, () -> raw.send(frame.wireFrame()));
  }

  @Test
  void anyOtherRemoteEndpointSendsText() {
    assertTrue(RawFrames.ofRemote(new Object()).isEmpty(), "no such field");
    assertTrue(RawFrames.ofRemote(new AsyncRemote(new Object())).isEmpty(), "no sendRawFrame");
    assertTrue(
        RawFrames.ofRemote(new AsyncRemote(new PlainFutureSocket())).isEmpty(),
        "futures that cannot tell when they complete");
    FakeSocket text = new FakeSocket("s1");
    Outbound cut = new Outbound(text.session(), 10, 1_000);
    assertTrue(cut.send(new ServerFrame.Encoded("a")));
    assertEquals(List.of("a"), text.written(), "sent as text");
  }

  @Test
  void framedWritesGoInOrderOneAtATimeAndTheBoundsStillHold() throws Exception {
    FakeSocket session = new FakeSocket("s1");
    TyrusShapedSocket socket = new TyrusShapedSocket();
    socket.completeInline = false;
    Outbound cut =
        new Outbound(
            session.session(), RawFrames.ofRemote(new AsyncRemote(socket)).orElseThrow(), 3, 1_000);
    for (int i = 0; i < 4; i++) {
      assertTrue(cut.send(new ServerFrame.Encoded("m" + i)));
    }
    assertEquals(List.of("m0"), socket.texts(), "one write in flight, three queued");
    socket.completeOne();
    socket.completeOne();
    assertEquals(List.of("m0", "m1", "m2"), socket.texts());
    assertTrue(cut.send(new ServerFrame.Encoded("m4")));
    assertTrue(cut.send(new ServerFrame.Encoded("m5")));
    assertFalse(cut.send(new ServerFrame.Encoded("m6")), "a fourth frame waiting is too many");
    CloseReason closed = session.awaitClosed();
    assertEquals("too_slow", closed.getReasonPhrase());
    assertTrue(session.written().isEmpty(), "nothing went as text");
  }

  @Test
  void aFramedWriteToAClosedSocketEndsTheQueueQuietly() {
    FakeSocket session = new FakeSocket("s1");
    TyrusShapedSocket socket = new TyrusShapedSocket();
    Outbound cut =
        new Outbound(
            session.session(),
            RawFrames.ofRemote(new AsyncRemote(socket)).orElseThrow(),
            10,
            1_000);
    assertTrue(cut.send(new ServerFrame.Encoded("a")));
    socket.connected = false;
    cut.send(new ServerFrame.Encoded("b"));
    assertFalse(cut.send(new ServerFrame.Encoded("c")), "nothing more is queued");
    assertTrue(cut.drained());
    assertNull(session.closed(), "gone already: no close of ours");
    assertEquals(List.of("a"), socket.texts());
  }
}
