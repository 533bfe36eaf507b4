package teamchat.chatserv.sockets.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.identity.control.TokenVerifier;
import teamchat.chatserv.identity.control.TokenVerifier.Identity;
import teamchat.chatserv.protocol.entity.ServerFrame;

/**
 * The open sockets and who is behind each. A socket that has not authenticated within {@code
 * chatserv.auth-timeout} is closed; once a second every authenticated socket is checked, and one
 * whose token expired or whose session was revoked (logout) is closed.
 *
 * <p>Every {@code chatserv.ping-interval} each idle socket gets a WebSocket ping. That keeps
 * proxies on the way (nginx's {@code proxy_read_timeout}, a cloud load balancer's idle timeout)
 * from closing a quiet socket, and it finds peers that vanished without closing (a laptop lid, a
 * lost network): a socket from which nothing, neither a frame nor a pong, was heard for {@link
 * #MISSED_PINGS} intervals is closed with 1013 {@code no_pong}, which frees its memory and its
 * user's socket count.
 */
@ApplicationScoped
public class Connections {

  private static final Logger LOG = Logger.getLogger(Connections.class.getName());

  /** How often tokens of open sockets are checked again: a logout closes sockets within this. */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  @Inject
  @ConfigProperty(name = "chatserv.auth-timeout")
  Duration authTimeout;

  @Inject
  @ConfigProperty(name = "chatserv.outbound-queue-frames")
  int outboundFrames;

  @Inject
  @ConfigProperty(name = "chatserv.outbound-queue-chars")
  long outboundChars;

  @Inject
  @ConfigProperty(name = "chatserv.reconnect-after")
  Duration reconnectAfter;

  @Inject
  @ConfigProperty(name = "chatserv.ping-interval")
  Duration pingInterval;

  /** Intervals without a word from the client after which it is taken for gone. */
  static final int MISSED_PINGS = 3;

  /** Close code and reason of a client that stopped answering pings (docs/protocol.md). */
  public static final CloseReason NO_PONG =
      new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "no_pong");

  @Inject TokenVerifier verifier;
  @Inject Limits limits;
  @Inject Workers workers;

  private final Map<String, Connection> open = new ConcurrentHashMap<>();
  private ScheduledExecutorService timers;

  /** What an accepted token came to on a socket. */
  public enum SignIn {
    /** The socket's first token: signed in now. */
    FIRST,
    /** A refreshed token of the same person. */
    REFRESHED,
    /** The token is another person's than the one signed in on this socket. */
    USER_CHANGED,
    /** The person holds {@code chatserv.connections-per-user} sockets already. */
    TOO_MANY_CONNECTIONS
  }

  @PostConstruct
  void startTimers() {
    if (pingInterval.isNegative() || pingInterval.isZero()) {
      throw new IllegalStateException("chatserv.ping-interval must be positive: " + pingInterval);
    }
    // Our own timer thread: deadlines and sweeps must not wait behind request threads.
    timers = workers.timers("chatserv-connection-timers");
    timers.scheduleWithFixedDelay(
        Workers.guarded("closing sockets of ended sessions", this::closeInvalidated),
        SWEEP_EVERY.toMillis(),
        SWEEP_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(
        Workers.guarded("pinging sockets", this::pingOrClose),
        pingInterval.toMillis(),
        pingInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stopTimers() {
    timers.shutdownNow();
  }

  /**
   * A socket opened: counted against {@code chatserv.max-connections} and given a sign-in deadline.
   * Empty when the server is full; the socket is then closed with 1013 {@code server_full}.
   */
  public Optional<Connection> opened(Session session) {
    if (!limits.openSocket()) {
      close(session, CloseReason.CloseCodes.TRY_AGAIN_LATER, "server_full");
      return Optional.empty();
    }
    Connection connection =
        new Connection(session, new Outbound(session, outboundFrames, outboundChars));
    open.put(session.getId(), connection);
    timers.schedule(
        Workers.guarded(
            "the sign-in deadline",
            () -> {
              if (connection.identity() == null) {
                close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "auth_timeout");
              }
            }),
        authTimeout.toMillis(),
        TimeUnit.MILLISECONDS);
    connection.send(new ServerFrame.Hello(System.currentTimeMillis(), authTimeout.toMillis()));
    return Optional.of(connection);
  }

  /**
   * A verified token arrived on the socket: the first signs it in (counted against {@code
   * chatserv.connections-per-user}), a later one of the same person replaces the identity.
   */
  public SignIn signIn(Connection connection, Identity identity) {
    Identity before = connection.identity();
    if (before != null) {
      if (!before.subject().equals(identity.subject())) {
        return SignIn.USER_CHANGED;
      }
      connection.signedIn(identity);
      return SignIn.REFRESHED;
    }
    if (!limits.signIn(identity.subject())) {
      return SignIn.TOO_MANY_CONNECTIONS;
    }
    connection.signedIn(identity);
    return SignIn.FIRST;
  }

  /**
   * Queues a frame for every socket signed in as {@code subject} on this instance (each instance
   * tells its own sockets), whatever rooms they follow.
   */
  public void tell(String subject, ServerFrame frame) {
    ServerFrame.Encoded encoded = null;
    for (Connection connection : open.values()) {
      Identity identity = connection.identity();
      if (identity != null && identity.subject().equals(subject)) {
        if (encoded == null) {
          encoded = frame.encode();
        }
        connection.outbound.send(encoded);
      }
    }
  }

  /** The socket closed: its share of the limits is given back. */
  public void closed(Connection connection) {
    if (open.remove(connection.session.getId()) == null) {
      return;
    }
    limits.closeSocket();
    Identity identity = connection.identity();
    if (identity != null) {
      limits.signOut(identity.subject());
    }
  }

  /**
   * The application is going away (undeploy, shutdown, restart): every socket gets a {@code
   * going_away} frame with a reconnect hint, then close code 1001, and this waits a moment for
   * those to be written. The hint is spread at random over one to two times {@code
   * chatserv.reconnect-after}, so that thousands of clients do not all come back in the same
   * instant (a reconnect storm).
   */
  public void goAway(Duration patience) {
    CloseReason reason = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "going_away");
    long base = reconnectAfter.toMillis();
    for (Connection connection : open.values()) {
      long retryAfter = base + ThreadLocalRandom.current().nextLong(base + 1);
      connection.send(new ServerFrame.GoingAway(retryAfter));
      connection.outbound.closeAfterQueued(reason);
    }
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline
        && open.values().stream().anyMatch(c -> !c.outbound.drained())) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Each socket's turn is guarded on its own: one that fails in a way nobody foresaw (an Error from
   * its close) would otherwise end the round, in every round, for all the sockets after it.
   */
  private void pingOrClose() {
    long silentLimit = pingInterval.toNanos() * MISSED_PINGS;
    long now = System.nanoTime();
    for (Connection connection : open.values()) {
      Workers.guarded(
              "pinging a socket",
              () -> {
                if (now - connection.heardAt() > silentLimit) {
                  close(connection.session, NO_PONG.getCloseCode(), NO_PONG.getReasonPhrase());
                } else {
                  connection.outbound.ping();
                }
              })
          .run();
    }
  }

  private void closeInvalidated() {
    for (Connection connection : open.values()) {
      Workers.guarded(
              "checking the session of a socket",
              () -> {
                Identity identity = connection.identity();
                if (identity != null && !verifier.stillValid(identity)) {
                  close(
                      connection.session, CloseReason.CloseCodes.VIOLATED_POLICY, "session_ended");
                }
              })
          .run();
    }
  }

  /** Closes with a code and a reason phrase; a socket that is already gone is no error. */
  public static void close(Session session, CloseReason.CloseCode code, String reason) {
    try {
      if (session.isOpen()) {
        session.close(new CloseReason(code, reason));
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "closing a socket that is already gone", e);
    }
  }
}
