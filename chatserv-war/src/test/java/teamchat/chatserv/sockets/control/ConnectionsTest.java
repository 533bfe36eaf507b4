package teamchat.chatserv.sockets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.identity.control.TokenVerifier;
import teamchat.chatserv.identity.control.TokenVerifier.Identity;

/** The socket registry's timers, without a container. */
class ConnectionsTest {

  private final AtomicInteger checks = new AtomicInteger();
  private final Connections cut = new Connections();

  {
    cut.authTimeout = Duration.ofSeconds(30);
    cut.outboundFrames = 100;
    cut.outboundChars = 100_000;
    cut.reconnectAfter = Duration.ofSeconds(1);
    cut.pingInterval = Duration.ofSeconds(30);
    cut.workers = Workers.withPlainThreads();
    cut.limits = new Limits();
    cut.limits.grid = new HazelcastSocketCounts(); // no Data Grid: this instance alone
    cut.limits.maxConnections = 10;
    cut.limits.connectionsPerUser = 2;
    cut.limits.sendsPerSecond = 5;
    cut.verifier =
        new TokenVerifier() {
          @Override
          public boolean stillValid(Identity identity) {
            if (checks.incrementAndGet() == 1) {
              throw new Error("as an Error from deep inside a revocation check");
            }
            return false; // the person logged out
          }
        };
    cut.startTimers();
  }

  @AfterEach
  void stop() {
    cut.stopTimers();
  }

  /**
   * The sweep that closes sockets of ended sessions runs every second; an Error must not end it.
   */
  @Test
  void theSweepGoesOnAfterAnErrorAndClosesTheSocketOfAnEndedSession() throws Exception {
    FakeSocket socket = new FakeSocket("s1");
    Connection connection = cut.opened(socket.session()).orElseThrow();
    assertEquals(
        Connections.SignIn.FIRST,
        cut.signIn(
            connection, new Identity("ada", "ada", "sid", Instant.MAX, "Ada", Instant.EPOCH)));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (socket.closed() == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    CloseReason closed = socket.closed();
    assertTrue(closed != null, "closed after " + checks.get() + " checks");
    assertEquals(1008, closed.getCloseCode().getCode());
    assertEquals("session_ended", closed.getReasonPhrase());
    assertTrue(checks.get() >= 2, "the sweep ran again after the Error");
  }

  /**
   * The sign-in deadline and the ping run on the same timer thread as the sweep: a socket whose
   * close throws an Error must cost neither its own timer task's successors nor the sockets after
   * it in the same round (they would never be pinged, nor closed when silent).
   */
  @Test
  void aSocketWhoseCloseThrowsAnErrorKeepsNeitherTheDeadlineNorThePingFromTheOthers()
      throws Exception {
    Connections timers = new Connections();
    timers.authTimeout = Duration.ofMillis(100);
    timers.outboundFrames = 100;
    timers.outboundChars = 100_000;
    timers.reconnectAfter = Duration.ofSeconds(1);
    timers.pingInterval = Duration.ofMillis(50);
    timers.workers = Workers.withPlainThreads();
    timers.limits = new Limits();
    timers.limits.grid = new HazelcastSocketCounts(); // no Data Grid: this instance alone
    timers.limits.maxConnections = 100;
    timers.limits.connectionsPerUser = 100;
    timers.limits.sendsPerSecond = 5;
    timers.verifier =
        new TokenVerifier() {
          @Override
          public boolean stillValid(Identity identity) {
            return true;
          }
        };
    timers.startTimers();
    try {
      // Never signs in: its sign-in deadline throws; the next socket's deadline still closes it.
      timers.opened(closeThrowsAnError(new FakeSocket("late-broken"))).orElseThrow();
      FakeSocket late = new FakeSocket("late");
      timers.opened(late.session()).orElseThrow();
      assertEquals("auth_timeout", awaitClosed(late).getReasonPhrase());

      // Signed in, then silent: the broken one throws in every ping round, wherever it comes in
      // the round; each of the others is still closed with no_pong.
      Identity ada = new Identity("ada", "ada", "sid", Instant.MAX, "Ada", Instant.EPOCH);
      timers.signIn(
          timers.opened(closeThrowsAnError(new FakeSocket("silent-broken"))).orElseThrow(), ada);
      List<FakeSocket> silent = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        FakeSocket socket = new FakeSocket("silent-" + i);
        silent.add(socket);
        timers.signIn(timers.opened(socket.session()).orElseThrow(), ada);
      }
      for (FakeSocket socket : silent) {
        CloseReason closed = awaitClosed(socket);
        assertEquals(1013, closed.getCloseCode().getCode());
        assertEquals("no_pong", closed.getReasonPhrase());
      }
    } finally {
      timers.stopTimers();
    }
  }

  /** The socket's session, except that closing it throws an Error. */
  private static Session closeThrowsAnError(FakeSocket socket) {
    Session session = socket.session();
    return (Session)
        Proxy.newProxyInstance(
            ConnectionsTest.class.getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                throw new Error("as an Error from deep inside a close");
              }
              try {
                return method.invoke(session, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static CloseReason awaitClosed(FakeSocket socket) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (socket.closed() == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    CloseReason closed = socket.closed();
    assertTrue(closed != null, "closed in time");
    return closed;
  }

  @Test
  void aSocketHoldsItsShareOfTheLimitsUntilItCloses() {
    FakeSocket first = new FakeSocket("s1");
    FakeSocket second = new FakeSocket("s2");
    FakeSocket third = new FakeSocket("s3");
    Identity ada = new Identity("ada", "ada", "sid", Instant.MAX, "Ada", Instant.EPOCH);
    Connection one = cut.opened(first.session()).orElseThrow();
    Connection two = cut.opened(second.session()).orElseThrow();
    Connection three = cut.opened(third.session()).orElseThrow();
    assertEquals(Connections.SignIn.FIRST, cut.signIn(one, ada));
    assertEquals(Connections.SignIn.REFRESHED, cut.signIn(one, ada));
    assertEquals(Connections.SignIn.FIRST, cut.signIn(two, ada));
    assertEquals(Connections.SignIn.TOO_MANY_CONNECTIONS, cut.signIn(three, ada));
    assertEquals(
        Connections.SignIn.USER_CHANGED,
        cut.signIn(one, new Identity("bob", "bob", "sid2", Instant.MAX, "Bob", Instant.EPOCH)));

    cut.closed(one);
    cut.closed(one); // a second close gives nothing back twice
    assertEquals(Connections.SignIn.FIRST, cut.signIn(three, ada));
    assertEquals(
        Connections.SignIn.TOO_MANY_CONNECTIONS,
        cut.signIn(cut.opened(new FakeSocket("s4").session()).orElseThrow(), ada));
  }
}
