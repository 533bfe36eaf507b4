package teamchat.contract.revocation;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sessions auth has revoked (logout, stolen refresh token) while access tokens of theirs may
 * still be unexpired. Followed by polling {@code auth.url}/revocations every {@code
 * auth.revocations.poll-interval}, so that a logout takes effect everywhere within about that long.
 * A token's session is its {@code sid} claim.
 *
 * <p>When auth cannot be reached, the last list stays in force: verification keeps working, and
 * what auth revokes meanwhile takes effect once it answers again.
 */
@ApplicationScoped
public class RevokedSessions {

  private static final Logger LOG = Logger.getLogger(RevokedSessions.class.getName());

  @Inject
  @ConfigProperty(name = "auth.url")
  String authUrl;

  @Inject
  @ConfigProperty(name = "auth.revocations.poll-interval")
  Duration interval;

  private volatile Set<String> revoked = Set.of();
  private volatile boolean reachable = true;
  private volatile ScheduledExecutorService poller;
  private Client client;

  /** Started by the first question, so that a WAR that never asks (auth itself) never polls. */
  private synchronized void ensureStarted() {
    if (poller != null) {
      return;
    }
    client =
        ClientBuilder.newBuilder()
            .connectTimeout(1, TimeUnit.SECONDS)
            .readTimeout(2, TimeUnit.SECONDS)
            .build();
    // One daemon thread of our own: the poll must not depend on the server's managed executors,
    // which some deployments switch off.
    poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "revoked-sessions");
              thread.setDaemon(true);
              return thread;
            });
    poll();
    poller.scheduleWithFixedDelay(
        this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  synchronized void stop() {
    if (poller != null) {
      poller.shutdownNow();
    }
    if (client != null) {
      client.close();
    }
  }

  /** Whether the session {@code sid} was revoked. Tokens without a session (services) never are. */
  public boolean isRevoked(String sid) {
    if (poller == null) {
      ensureStarted();
    }
    return sid != null && revoked.contains(sid);
  }

  /** The revoked sessions as last fetched. */
  public Set<String> current() {
    if (poller == null) {
      ensureStarted();
    }
    return revoked;
  }

  void poll() {
    try {
      JsonObject answer =
          client
              .target(authUrl)
              .path("revocations")
              .request(MediaType.APPLICATION_JSON)
              .get(JsonObject.class);
      revoked =
          answer.getJsonArray("revoked_sessions").getValuesAs(JsonString.class).stream()
              .map(JsonString::getString)
              .collect(Collectors.toUnmodifiableSet());
      if (!reachable) {
        LOG.info("Revoked sessions: auth answers again");
        reachable = true;
      }
    } catch (RuntimeException e) {
      if (reachable) {
        LOG.log(
            Level.WARNING,
            "Revoked sessions: auth unreachable at {0}, keeping the last list ({1})",
            new Object[] {authUrl, e.getClass().getSimpleName()});
        reachable = false;
      }
    }
  }
}
