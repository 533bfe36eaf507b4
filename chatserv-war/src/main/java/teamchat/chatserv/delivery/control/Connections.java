package teamchat.chatserv.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.identity.control.TokenVerifier;
import teamchat.chatserv.identity.control.TokenVerifier.Identity;

/**
 * The open sockets and who is behind each. A socket that has not authenticated within {@code
 * chatserv.auth-timeout} is closed; once a second every authenticated socket is checked, and one
 * whose token expired or whose session was revoked (logout) is closed.
 */
@ApplicationScoped
public class Connections {

  private static final Logger LOG = Logger.getLogger(Connections.class.getName());

  /** How often tokens of open sockets are checked again: a logout closes sockets within this. */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  @Inject
  @ConfigProperty(name = "chatserv.auth-timeout")
  Duration authTimeout;

  @Inject TokenVerifier verifier;

  private final Map<String, Connection> open = new ConcurrentHashMap<>();
  private ScheduledExecutorService timers;

  /** One socket; identity is null until the auth frame was accepted. */
  public static final class Connection {
    public final Session session;
    volatile Identity identity;

    Connection(Session session) {
      this.session = session;
    }

    public Identity identity() {
      return identity;
    }
  }

  @PostConstruct
  void startTimers() {
    // Our own daemon thread: deadlines and sweeps must not wait behind request threads.
    timers =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "chatserv-connection-timers");
              thread.setDaemon(true);
              return thread;
            });
    timers.scheduleWithFixedDelay(
        this::closeInvalidated,
        SWEEP_EVERY.toMillis(),
        SWEEP_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stopTimers() {
    timers.shutdownNow();
  }

  public Duration authTimeout() {
    return authTimeout;
  }

  public Connection opened(Session session) {
    Connection connection = new Connection(session);
    open.put(session.getId(), connection);
    timers.schedule(
        () -> {
          if (connection.identity == null) {
            close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "auth_timeout");
          }
        },
        authTimeout.toMillis(),
        TimeUnit.MILLISECONDS);
    return connection;
  }

  public Connection of(Session session) {
    return open.get(session.getId());
  }

  public void authenticated(Connection connection, Identity identity) {
    connection.identity = identity;
  }

  public void closed(Session session) {
    open.remove(session.getId());
  }

  private void closeInvalidated() {
    for (Connection connection : open.values()) {
      Identity identity = connection.identity;
      if (identity != null && !verifier.stillValid(identity)) {
        close(connection.session, CloseReason.CloseCodes.VIOLATED_POLICY, "session_ended");
      }
    }
  }

  /** Closes with a code and a reason phrase; a socket that is already gone is no error. */
  public static void close(Session session, CloseReason.CloseCode code, String reason) {
    try {
      if (session.isOpen()) {
        session.close(new CloseReason(code, reason));
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing a socket that is already gone", e);
    }
  }
}
