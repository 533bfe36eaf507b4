package teamchat.chatserv.sockets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import java.time.Duration;
import java.time.Instant;
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
        cut.signIn(connection, new Identity("ada", "ada", "sid", Instant.MAX, "Ada")));

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

  @Test
  void aSocketHoldsItsShareOfTheLimitsUntilItCloses() {
    FakeSocket first = new FakeSocket("s1");
    FakeSocket second = new FakeSocket("s2");
    FakeSocket third = new FakeSocket("s3");
    Identity ada = new Identity("ada", "ada", "sid", Instant.MAX, "Ada");
    Connection one = cut.opened(first.session()).orElseThrow();
    Connection two = cut.opened(second.session()).orElseThrow();
    Connection three = cut.opened(third.session()).orElseThrow();
    assertEquals(Connections.SignIn.FIRST, cut.signIn(one, ada));
    assertEquals(Connections.SignIn.REFRESHED, cut.signIn(one, ada));
    assertEquals(Connections.SignIn.FIRST, cut.signIn(two, ada));
    assertEquals(Connections.SignIn.TOO_MANY_CONNECTIONS, cut.signIn(three, ada));
    assertEquals(
        Connections.SignIn.USER_CHANGED,
        cut.signIn(one, new Identity("bob", "bob", "sid2", Instant.MAX, "Bob")));

    cut.closed(one);
    cut.closed(one); // a second close gives nothing back twice
    assertEquals(Connections.SignIn.FIRST, cut.signIn(three, ada));
    assertEquals(
        Connections.SignIn.TOO_MANY_CONNECTIONS,
        cut.signIn(cut.opened(new FakeSocket("s4").session()).orElseThrow(), ada));
  }
}
