package teamchat.chatserv.storage.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.health.control.Workers;

/**
 * chatserv's own short-lived access token (group chat-service), obtained from auth with the client
 * credentials in its environment ({@code chatserv.client-id}, {@code chatserv.client-secret}) and
 * renewed when half its life is gone. No static password ever goes to chatfront.
 *
 * <p>A slow or hung auth must not stall the callers (every call to chatfront asks for the token,
 * some on the threads that handle frames), and no caller ever waits behind a lock while auth is
 * asked: there is at most one fetch at a time, on a container thread, and callers share it. While
 * the token in hand is valid, it is returned at once and its renewal is that shared fetch in the
 * background. Only without a valid token (the first call, or after an outage longer than the
 * token's life) does a caller wait, for the fetch in progress and for at most {@link
 * #LONGEST_WAIT}; then it fails on its own, whatever auth does.
 */
@ApplicationScoped
public class ServiceToken {

  private static final Logger LOG = Logger.getLogger(ServiceToken.class.getName());

  @Inject
  @ConfigProperty(name = "auth.url")
  String authUrl;

  @Inject
  @ConfigProperty(name = "chatserv.client-id")
  String clientId;

  @Inject
  @ConfigProperty(name = "chatserv.client-secret")
  Optional<String> clientSecret;

  @Resource ManagedExecutorService renewals;

  /** How long chatserv waits for auth to connect and to answer. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long a caller without a valid token waits for the fetch in progress: what one fetch may
   * take (connect, then read).
   */
  static final Duration LONGEST_WAIT = CONNECT_TIMEOUT.plus(READ_TIMEOUT);

  /** A token this close to its expiry is not used any more: it may expire on the way. */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

  /**
   * A token with the times that matter: renew from {@code renewAt}, useless from {@code expires}.
   */
  record Grant(String token, Instant renewAt, Instant expires) {}

  /** auth could not give chatserv a token in time: chatfront cannot be called now. */
  public static class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  AuthApi auth;
  volatile Grant grant;
  Duration longestWait = LONGEST_WAIT;

  /** Whether the last fetch worked: the log says when this changes, not at every attempt. */
  private final AtomicBoolean answering = new AtomicBoolean(true);

  /** The fetch in progress, shared by every caller; null when none is. */
  private final AtomicReference<CompletableFuture<Grant>> fetching = new AtomicReference<>();

  /**
   * A valid service token: the one in hand, or a new one when there is none.
   *
   * @throws Unavailable when there is none and auth gave none within {@link #LONGEST_WAIT}
   */
  public String current() {
    Grant held = grant;
    Instant now = Instant.now();
    if (held != null && now.isBefore(held.expires)) {
      if (!now.isBefore(held.renewAt)) {
        fetchInBackground();
      }
      return held.token;
    }
    try {
      return fetchInBackground().get(longestWait.toMillis(), TimeUnit.MILLISECONDS).token;
    } catch (TimeoutException e) {
      throw new Unavailable("auth gave no service token within " + longestWait, e);
    } catch (ExecutionException e) {
      throw new Unavailable("auth gave no service token: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while waiting for a service token", e);
    }
  }

  /**
   * Puts the current token on each request of a client built by {@link RestClients}: a filter that
   * holds this bean, as a ClientHeadersFactory would be made by the Rest Client outside CDI for a
   * built client.
   */
  ClientRequestFilter bearer() {
    return request -> request.getHeaders().putSingle("Authorization", "Bearer " + current());
  }

  /**
   * chatfront refused the token (e.g. auth rotated keys in an unexpected way): a new one is fetched
   * in the background, and the one in hand is still handed out meanwhile. Not thrown away: while
   * auth hangs, every caller would then wait on a fetch, and a refusal that was chatfront's mistake
   * (its keys not fetched yet) would stop all storage until auth answers.
   */
  public void refused() {
    fetchInBackground();
  }

  /**
   * The fetch in progress, or a new one on a container thread. When it ends, the next call may
   * start another: a failed fetch is tried again by the next caller, not in a loop.
   */
  private CompletableFuture<Grant> fetchInBackground() {
    CompletableFuture<Grant> mine = new CompletableFuture<>();
    CompletableFuture<Grant> running = fetching.compareAndExchange(null, mine);
    if (running != null) {
      return running;
    }
    try {
      renewals.execute(
          () -> {
            Grant fetched = null;
            RuntimeException failure = null;
            try {
              fetched = fetch();
              grant = fetched;
              if (!answering.getAndSet(true)) {
                LOG.info("auth gives chatserv a service token again");
              }
            } catch (RuntimeException e) {
              // The token in hand, if any, still serves; the next call after this one tries again.
              // Logged once when auth stops giving tokens, not at every attempt while it is away.
              LOG.log(
                  answering.getAndSet(false) ? Level.WARNING : Level.FINE,
                  "fetching chatserv''s service token failed: {0}",
                  e.toString());
              failure = e;
            } catch (Error e) {
              // A bug, not an outage: logged as the worker's failure every time, rather than left
              // to end the container's thread; the callers hear of it as a failed fetch.
              Workers.failed("renewing the service token", e);
              failure = new IllegalStateException("fetching the service token failed", e);
            }
            // Over before its callers hear of it, so that whoever calls next may start another.
            fetching.compareAndSet(mine, null);
            if (failure == null) {
              mine.complete(fetched);
            } else {
              mine.completeExceptionally(failure);
            }
          });
    } catch (RuntimeException rejected) { // shutting down
      fetching.compareAndSet(mine, null);
      mine.completeExceptionally(rejected);
    }
    return mine;
  }

  private Grant fetch() {
    if (auth == null) {
      auth = RestClients.build(AuthApi.class, authUrl, CONNECT_TIMEOUT, READ_TIMEOUT, false);
    }
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (clientId + ":" + clientSecret.orElse("")).getBytes(StandardCharsets.UTF_8));
    Instant asked = Instant.now();
    JsonObject answer = auth.serviceToken("Basic " + basic);
    long lifetime = answer.getJsonNumber("expires_in").longValue();
    return new Grant(
        answer.getString("access_token"),
        asked.plusSeconds(lifetime / 2),
        asked.plusSeconds(lifetime).minus(EXPIRY_MARGIN));
  }

  @PreDestroy
  void close() {
    RestClients.close(auth);
  }
}
