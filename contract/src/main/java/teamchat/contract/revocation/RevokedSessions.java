package teamchat.contract.revocation;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * The sessions auth has revoked (logout, stolen refresh token) while access tokens of theirs may
 * still be unexpired. Followed by polling {@code auth.url}/revocations every {@code
 * auth.revocations.poll-interval}, so that a logout takes effect everywhere within about that long.
 * A token's session is its {@code sid} claim.
 *
 * <p>When auth cannot be reached, the last list stays in force: verification keeps working, and
 * what auth revokes meanwhile takes effect once it answers again.
 *
 * <p>Also a readiness check: how old the list in force is ({@code age_seconds}), so an operator
 * sees that auth has been away without the service being taken out of service for it (always UP).
 * The check is this bean itself, not a bean that injects it: in a Payara Server domain running all
 * three WARs, the health service may build one application's check with another's copy of this
 * class.
 */
@Readiness
@Default // @Readiness is a qualifier: without @Default, the verifier could not inject this bean
@ApplicationScoped
public class RevokedSessions implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(RevokedSessions.class.getName());

  @Inject
  @ConfigProperty(name = "auth.url")
  String authUrl;

  @Inject
  @ConfigProperty(name = "auth.revocations.poll-interval")
  Duration interval;

  /** A poll gives up after these: the last list stays in force meanwhile. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

  /** The thread of the poll, from the container (Jakarta Concurrency). */
  @Resource ManagedThreadFactory threads;

  private volatile Set<String> revoked = Set.of();
  private volatile boolean reachable = true;
  private volatile Instant fetchedAt;
  private volatile Instant answeringSince;
  private volatile ScheduledExecutorService poller;
  RevocationsApi auth;

  /** Started by the first question, so that a WAR that never asks (auth itself) never polls. */
  private synchronized void ensureStarted() {
    if (poller != null) {
      return;
    }
    auth =
        RestClientBuilder.newBuilder()
            .baseUri(URI.create(authUrl))
            .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .build(RevocationsApi.class);
    // A timer of its own on a container thread: the poll must never wait behind request work.
    poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = threads.newThread(runnable);
              thread.setName("revoked-sessions");
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
    if (auth instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing the revocations client", e);
      }
    }
  }

  /** Whether the session {@code sid} was revoked. Tokens without a session (services) never are. */
  public boolean isRevoked(String sid) {
    if (poller == null) {
      ensureStarted();
    }
    return listed(sid);
  }

  /**
   * When the list in force was fetched; empty before the first answer of auth, and in a WAR that
   * never asked (auth itself).
   */
  public Optional<Instant> fetchedAt() {
    return Optional.ofNullable(fetchedAt);
  }

  /**
   * Since when auth has answered every poll, without a break; empty while it does not answer (and
   * before its first answer). chatserv lets a socket outlive its token while auth cannot be asked
   * for a new one.
   */
  public Optional<Instant> answeringSince() {
    return reachable ? Optional.ofNullable(answeringSince) : Optional.empty();
  }

  /** Whether this service follows the list (it has verified a token with a session). */
  public boolean followed() {
    return poller != null;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("revoked-sessions").up();
    health()
        .forEach(
            (name, value) -> {
              if (value instanceof Long number) {
                response.withData(name, number);
              } else if (value instanceof Boolean flag) {
                response.withData(name, flag);
              } else {
                response.withData(name, String.valueOf(value));
              }
            });
    return response.build();
  }

  /** {@code followed}, and {@code age_seconds} of the list in force when it is followed. */
  Map<String, Object> health() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("followed", followed());
    if (followed()) {
      data.put(
          "age_seconds",
          fetchedAt()
              .<Object>map(fetched -> Duration.between(fetched, Instant.now()).toSeconds())
              .orElse("never fetched"));
    }
    return data;
  }

  /** Whether the list as last fetched holds the session. */
  boolean listed(String sid) {
    return sid != null && revoked.contains(sid);
  }

  /**
   * One poll. Whatever goes wrong, even an {@link Error}, is caught: a scheduled task that throws
   * is never run again, and logouts would silently stop taking effect.
   */
  void poll() {
    try {
      JsonObject answer = auth.revoked();
      revoked =
          answer.getJsonArray("revoked_sessions").getValuesAs(JsonString.class).stream()
              .map(JsonString::getString)
              .collect(Collectors.toUnmodifiableSet());
      fetchedAt = Instant.now();
      if (!reachable || answeringSince == null) {
        answeringSince = fetchedAt;
      }
      if (!reachable) {
        LOG.info("Revoked sessions: auth answers again");
        reachable = true;
      }
    } catch (Throwable e) {
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
