package teamchat.chatserv.storage.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.health.control.Workers;

/**
 * chatserv's own short-lived access token (group chat-service), obtained from auth with the client
 * credentials in its environment ({@code chatserv.client-id}, {@code chatserv.client-secret}) and
 * renewed when half its life is gone. No static password ever goes to chatfront.
 *
 * <p>A slow or hung auth must not stall the callers (every call to chatfront asks for the token,
 * some on the threads that handle frames): while the token in hand is valid, it is returned at once
 * and its renewal runs in the background, one at a time. Only without a valid token does a caller
 * wait for auth, one fetch at a time and bounded by the client's timeouts.
 */
@ApplicationScoped
public class ServiceToken {

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

  /** A token this close to its expiry is not used any more: it may expire on the way. */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

  /**
   * A token with the times that matter: renew from {@code renewAt}, useless from {@code expires}.
   */
  record Grant(String token, Instant renewAt, Instant expires) {}

  AuthApi auth;
  volatile Grant grant;
  private final AtomicBoolean renewing = new AtomicBoolean();
  private final Object fetching = new Object();

  /** A valid service token: the one in hand, or a new one when there is none. */
  public String current() {
    Grant held = grant;
    Instant now = Instant.now();
    if (held != null && now.isBefore(held.expires)) {
      if (!now.isBefore(held.renewAt)) {
        renewInBackground();
      }
      return held.token;
    }
    synchronized (fetching) { // one fetch at a time; the others then use its token
      held = grant;
      if (held != null && Instant.now().isBefore(held.expires)) {
        return held.token;
      }
      grant = fetch();
      return grant.token;
    }
  }

  /**
   * chatfront refused the token (e.g. auth rotated keys in an unexpected way): a new one is fetched
   * in the background, and the one in hand is still handed out meanwhile. Not thrown away: while
   * auth hangs, every caller would then wait on a fetch, and a refusal that was chatfront's mistake
   * (its keys not fetched yet) would stop all storage until auth answers.
   */
  public void refused() {
    renewInBackground();
  }

  private void renewInBackground() {
    if (!renewing.compareAndSet(false, true)) {
      return;
    }
    try {
      renewals.execute(
          () -> {
            try {
              grant = fetch();
            } catch (Throwable e) {
              // The token in hand still serves; the next call after this one tries again. An Error
              // too is logged here, once, rather than left to end the container's thread.
              Workers.failed("renewing the service token", e);
            } finally {
              renewing.set(false);
            }
          });
    } catch (RuntimeException e) { // rejected: shutting down
      renewing.set(false);
    }
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
