package teamchat.chatserv.sockets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import java.util.List;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.protocol.entity.ServerFrame;

/** The per-socket queue without a container: a fake socket that writes at once or never. */
class OutboundTest {

  @Test
  void writesInOrderOneAtATimeWithoutRecursingWhenWritesCompleteInline() {
    FakeSocket socket = new FakeSocket("s1");
    Outbound cut = new Outbound(socket.session(), 100_000, 10_000_000);
    for (int i = 0; i < 50_000; i++) {
      assertTrue(cut.send(text("f" + i)));
    }
    assertEquals(50_000, socket.written().size());
    assertEquals("f49999", socket.written().get(49_999));
    assertEquals(1, socket.maxInFlight());
    assertTrue(cut.drained());
  }

  @Test
  void aClientThatDoesNotReadIsClosedWith1013TooSlowOnceTheQueueIsFull() throws Exception {
    FakeSocket socket = new FakeSocket("s1").completingOnlyWhenTold();
    Outbound cut = new Outbound(socket.session(), 10, 1_000_000);
    assertTrue(cut.send(text("first"))); // in flight, never completes
    for (int i = 0; i < 10; i++) {
      assertTrue(cut.send(text("queued " + i)));
    }
    assertNull(socket.closed());
    assertFalse(cut.send(text("one too many")));
    CloseReason closed = socket.awaitClosed();
    assertEquals(1013, closed.getCloseCode().getCode());
    assertEquals("too_slow", closed.getReasonPhrase());
    assertFalse(cut.send(text("later")), "nothing more is queued for a closed client");
    assertEquals(1, socket.written().size());
  }

  @Test
  void theCharacterBoundCountsToo() throws Exception {
    FakeSocket socket = new FakeSocket("s1").completingOnlyWhenTold();
    Outbound cut = new Outbound(socket.session(), 1000, 100);
    assertTrue(cut.send(text("x".repeat(10)))); // in flight
    assertTrue(cut.send(text("y".repeat(60))));
    assertFalse(cut.send(text("z".repeat(60))));
    assertEquals("too_slow", socket.awaitClosed().getReasonPhrase());
  }

  @Test
  void aClientThatCatchesUpKeepsItsSocketAndGetsEverythingInOrder() {
    FakeSocket socket = new FakeSocket("s1").completingOnlyWhenTold();
    Outbound cut = new Outbound(socket.session(), 5, 1_000_000);
    for (int i = 0; i < 6; i++) {
      assertTrue(cut.send(text("m" + i)));
    }
    socket.completeOne();
    socket.completeOne();
    assertTrue(cut.send(text("m6")));
    while (socket.hasWritesInFlight()) {
      socket.completeOne();
    }
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6"), socket.written());
    assertNull(socket.closed());
  }

  @Test
  void aPingGoesOnlyWhenNothingIsBeingWrittenAndFramesQueuedMeanwhileFollow() {
    FakeSocket socket = new FakeSocket("s1").completingOnlyWhenTold();
    Outbound cut = new Outbound(socket.session(), 10, 1_000_000);
    cut.ping(); // idle: goes out
    cut.send(text("a")); // in flight
    cut.ping(); // busy: not beside a text write
    socket.completeOne();
    assertEquals(List.of("(ping)", "a"), socket.written());
    assertEquals(1, socket.maxInFlight(), "never two writes at once");
    assertTrue(cut.drained());
    cut.closeAfterQueued(Outbound.TOO_SLOW);
    cut.ping();
    assertEquals(2, socket.written().size(), "no ping to a closing socket");
  }

  @Test
  void goingAwayWritesWhatIsQueuedThenCloses() {
    FakeSocket socket = new FakeSocket("s1").completingOnlyWhenTold();
    Outbound cut = new Outbound(socket.session(), 10, 1_000_000);
    cut.send(text("a"));
    cut.send(text("{\"type\":\"going_away\"}"));
    cut.closeAfterQueued(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "going_away"));
    assertFalse(cut.send(text("too late")));
    assertNull(socket.closed(), "not before the queued frames are written");
    socket.completeOne();
    socket.completeOne();
    assertEquals(1001, socket.closed().getCloseCode().getCode());
    assertEquals(List.of("a", "{\"type\":\"going_away\"}"), socket.written());
  }

  @Test
  void aFrameTheWriterCannotEncodeClosesThatSocketAloneWith1011() throws Exception {
    FakeSocket socket = new FakeSocket("s1");
    Outbound cut = new Outbound(socket.session(), 100, 1_000_000);
    assertTrue(cut.send(text("before")));
    cut.send(
        text("lone \ud800 surrogate")); // the writer throws an Error: the caller must not see it
    CloseReason closed = socket.awaitClosed();
    assertEquals(1011, closed.getCloseCode().getCode());
    assertEquals("internal_error", closed.getReasonPhrase());
    assertFalse(cut.send(text("after")), "nothing more is queued for a broken socket");
    assertTrue(cut.drained(), "the queue is not left writing forever");
    assertEquals(List.of("before"), socket.written());
  }

  private static ServerFrame.Encoded text(String frame) {
    return new ServerFrame.Encoded(frame);
  }
}
