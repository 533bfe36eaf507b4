package teamchat.chatserv.storage.control;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * chatserv's own short-lived access token (group chat-service), obtained from auth with the client
 * credentials in its environment ({@code chatserv.client-id}, {@code chatserv.client-secret}) and
 * renewed when half its life is gone. No static password ever goes to chatfront.
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

  /** How long chatserv waits for auth to connect and to answer. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private AuthApi auth;
  private String token;
  private Instant renewAt = Instant.EPOCH;

  /** A valid service token, fetched or renewed as needed. */
  public synchronized String current() {
    if (token == null || Instant.now().isAfter(renewAt)) {
      if (auth == null) {
        auth = RestClients.build(AuthApi.class, authUrl, CONNECT_TIMEOUT, READ_TIMEOUT, false);
      }
      String basic =
          Base64.getEncoder()
              .encodeToString(
                  (clientId + ":" + clientSecret.orElse("")).getBytes(StandardCharsets.UTF_8));
      JsonObject answer = auth.serviceToken("Basic " + basic);
      token = answer.getString("access_token");
      renewAt = Instant.now().plusSeconds(answer.getJsonNumber("expires_in").longValue() / 2);
    }
    return token;
  }

  /** Forget the token: chatfront refused it (e.g. auth rotated keys in an unexpected way). */
  public synchronized void discard() {
    token = null;
  }

  @PreDestroy
  synchronized void close() {
    RestClients.close(auth);
  }
}
