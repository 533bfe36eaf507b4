package teamchat.chatserv.storage.control;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

  private Client client;
  private String token;
  private Instant renewAt = Instant.EPOCH;

  /** A valid service token, fetched or renewed as needed. */
  public synchronized String current() {
    if (token == null || Instant.now().isAfter(renewAt)) {
      if (client == null) {
        client =
            ClientBuilder.newBuilder()
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(5, TimeUnit.SECONDS)
                .build();
      }
      String basic =
          Base64.getEncoder()
              .encodeToString(
                  (clientId + ":" + clientSecret.orElse("")).getBytes(StandardCharsets.UTF_8));
      JsonObject answer =
          client
              .target(authUrl)
              .path("tokens/service")
              .request(MediaType.APPLICATION_JSON)
              .header("Authorization", "Basic " + basic)
              .post(Entity.text(""), JsonObject.class);
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
    if (client != null) {
      client.close();
    }
  }
}
