package teamchat.chatserv.sockets.control;

import jakarta.websocket.Session;
import java.time.Duration;
import java.time.Instant;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.identity.control.TokenVerifier;
import teamchat.chatserv.identity.control.TokenVerifier.Identity;

/**
 * A started {@link Connections} outside the container, whose sessions never end, for tests of the
 * features that reach sockets through it.
 */
public final class ConnectionsForTests {

  private ConnectionsForTests() {}

  public static Connections started(Workers workers) {
    Connections connections = new Connections();
    connections.authTimeout = Duration.ofSeconds(30);
    connections.outboundFrames = 100;
    connections.outboundChars = 1_000_000;
    connections.reconnectAfter = Duration.ofSeconds(1);
    connections.pingInterval = Duration.ofSeconds(30);
    connections.workers = workers;
    connections.limits = new Limits();
    connections.limits.grid = new HazelcastSocketCounts(); // no Data Grid: this instance alone
    connections.limits.maxConnections = 100;
    connections.limits.connectionsPerUser = 10;
    connections.limits.sendsPerSecond = 5;
    connections.verifier =
        new TokenVerifier() {
          @Override
          public boolean stillValid(Identity identity) {
            return true;
          }
        };
    connections.startTimers();
    return connections;
  }

  public static void stop(Connections connections) {
    connections.stopTimers();
  }

  /** A socket opened and signed in as {@code subject}. */
  public static Connection signedIn(Connections connections, Session session, String subject) {
    Connection connection = connections.opened(session).orElseThrow();
    connections.signIn(
        connection,
        new Identity(subject, subject, "sid-" + subject, Instant.MAX, subject, Instant.EPOCH));
    return connection;
  }
}
