package teamchat.chatserv.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-socket queue without a container: a fake socket that writes at once or never. */
class OutboundTest {

  /** A socket whose writes complete at once (inline, as Payara's do) or wait for the test. */
  static final class FakeSocket {
    final List<String> written = new ArrayList<>();
    final List<SendHandler> waiting = new ArrayList<>();
    boolean completeInline = true;
    volatile CloseReason closed;
    int inFlight;
    int maxInFlight;

    Session session() {
      RemoteEndpoint.Async remote =
          (RemoteEndpoint.Async)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {RemoteEndpoint.Async.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                      written.add((String) args[0]);
                      SendHandler handler = (SendHandler) args[1];
                      inFlight++;
                      maxInFlight = Math.max(maxInFlight, inFlight);
                      if (completeInline) {
                        inFlight--;
                        handler.onResult(new SendResult());
                      } else {
                        waiting.add(handler);
                      }
                      return null;
                    }
                    if (method.getName().equals("sendPing")) {
                      written.add("(ping)");
                      maxInFlight = Math.max(maxInFlight, inFlight + 1);
                      return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                  });
      return (Session)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Session.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "getId" -> "s1";
                    case "isOpen" -> closed == null;
                    case "close" -> {
                      closed = (CloseReason) args[0];
                      yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                  });
    }

    void awaitClosed() {
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (closed == null && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    }

    void completeOne() {
      SendHandler handler = waiting.remove(0);
      inFlight--;
      handler.onResult(new SendResult());
    }
  }

  @Test
  void writesInOrderOneAtATimeWithoutRecursingWhenWritesCompleteInline() {
    FakeSocket socket = new FakeSocket();
    Outbound cut = new Outbound(socket.session(), 100_000, 10_000_000);
    for (int i = 0; i < 50_000; i++) {
      assertTrue(cut.send("f" + i));
    }
    assertEquals(50_000, socket.written.size());
    assertEquals("f49999", socket.written.get(49_999));
    assertEquals(1, socket.maxInFlight);
    assertTrue(cut.drained());
  }

  @Test
  void aClientThatDoesNotReadIsClosedWith1013TooSlowOnceTheQueueIsFull() {
    FakeSocket socket = new FakeSocket();
    socket.completeInline = false;
    Outbound cut = new Outbound(socket.session(), 10, 1_000_000);
    assertTrue(cut.send("first")); // in flight, never completes
    for (int i = 0; i < 10; i++) {
      assertTrue(cut.send("queued " + i));
    }
    assertNull(socket.closed);
    assertFalse(cut.send("one too many"));
    socket.awaitClosed();
    assertEquals(1013, socket.closed.getCloseCode().getCode());
    assertEquals("too_slow", socket.closed.getReasonPhrase());
    assertFalse(cut.send("later"), "nothing more is queued for a closed client");
    assertEquals(1, socket.written.size());
  }

  @Test
  void theCharacterBoundCountsToo() {
    FakeSocket socket = new FakeSocket();
    socket.completeInline = false;
    Outbound cut = new Outbound(socket.session(), 1000, 100);
    assertTrue(cut.send("x".repeat(10))); // in flight
    assertTrue(cut.send("y".repeat(60)));
    assertFalse(cut.send("z".repeat(60)));
    socket.awaitClosed();
    assertEquals("too_slow", socket.closed.getReasonPhrase());
  }

  @Test
  void aClientThatCatchesUpKeepsItsSocketAndGetsEverythingInOrder() {
    FakeSocket socket = new FakeSocket();
    socket.completeInline = false;
    Outbound cut = new Outbound(socket.session(), 5, 1_000_000);
    for (int i = 0; i < 6; i++) {
      assertTrue(cut.send("m" + i));
    }
    socket.completeOne();
    socket.completeOne();
    assertTrue(cut.send("m6"));
    while (!socket.waiting.isEmpty()) {
      socket.completeOne();
    }
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6"), socket.written);
    assertNull(socket.closed);
  }

  @Test
  void aPingGoesOnlyWhenNothingIsBeingWrittenAndFramesQueuedMeanwhileFollow() {
    FakeSocket socket = new FakeSocket();
    socket.completeInline = false;
    Outbound cut = new Outbound(socket.session(), 10, 1_000_000);
    cut.ping(); // idle: goes out
    cut.send("a"); // in flight
    cut.ping(); // busy: not beside a text write
    socket.completeOne();
    assertEquals(List.of("(ping)", "a"), socket.written);
    assertEquals(1, socket.maxInFlight, "never two writes at once");
    assertTrue(cut.drained());
    cut.closeAfterQueued(Outbound.TOO_SLOW);
    cut.ping();
    assertEquals(2, socket.written.size(), "no ping to a closing socket");
  }

  @Test
  void goingAwayWritesWhatIsQueuedThenCloses() {
    FakeSocket socket = new FakeSocket();
    socket.completeInline = false;
    Outbound cut = new Outbound(socket.session(), 10, 1_000_000);
    cut.send("a");
    cut.send("{\"type\":\"going_away\"}");
    cut.closeAfterQueued(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "going_away"));
    assertFalse(cut.send("too late"));
    assertNull(socket.closed, "not before the queued frames are written");
    socket.completeOne();
    socket.completeOne();
    assertEquals(1001, socket.closed.getCloseCode().getCode());
    assertEquals(List.of("a", "{\"type\":\"going_away\"}"), socket.written);
  }
}
