package teamchat.chatfront.accounts.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.problems.Refused;

/**
 * chatfront's calls to auth on behalf of people using the web app: register, log in, refresh, log
 * out (see docs/tokens.md). Passwords pass through and are never kept or logged.
 */
@ApplicationScoped
public class AuthClient {

  @Inject
  @ConfigProperty(name = "auth.url")
  String authUrl;

  @Inject
  @ConfigProperty(name = "chatfront.auth-timeout")
  Duration timeout;

  private Client client;

  @PostConstruct
  void open() {
    client =
        ClientBuilder.newBuilder()
            .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .build();
  }

  @PreDestroy
  void close() {
    client.close();
  }

  /** Registers an account; a blank display name lets auth use the username. */
  public void register(String username, String displayName, String password)
      throws Refused, AuthUnavailable {
    JsonObjectBuilder body =
        Json.createObjectBuilder()
            .add("username", nonNull(username))
            .add("password", nonNull(password));
    if (displayName != null && !displayName.isBlank()) {
      body.add("display_name", displayName);
    }
    call("accounts", body.build(), null).close();
  }

  /**
   * Logs in. {@code forwardedFor} is the chain of addresses the request came through, so that auth
   * throttles password guessing per real client, not per chatfront.
   */
  public Tokens login(String username, String password, String forwardedFor)
      throws Refused, AuthUnavailable {
    JsonObject body =
        Json.createObjectBuilder()
            .add("username", nonNull(username))
            .add("password", nonNull(password))
            .build();
    return tokens(call("tokens", body, forwardedFor));
  }

  /** The next token pair of a session (the refresh token given is used up). */
  public Tokens refresh(String refreshToken) throws Refused, AuthUnavailable {
    return tokens(
        call(
            "tokens/refresh",
            Json.createObjectBuilder().add("refresh_token", refreshToken).build(),
            null));
  }

  /** Ends the session of a refresh token at auth: its access tokens are refused within seconds. */
  public void logout(String refreshToken) throws Refused, AuthUnavailable {
    call(
            "tokens/revoke",
            Json.createObjectBuilder().add("refresh_token", refreshToken).build(),
            null)
        .close();
  }

  private Response call(String path, JsonObject body, String forwardedFor)
      throws Refused, AuthUnavailable {
    Response response;
    try {
      var request = client.target(authUrl).path(path).request(MediaType.APPLICATION_JSON_TYPE);
      if (forwardedFor != null) {
        request.header("X-Forwarded-For", forwardedFor);
      }
      response = request.post(Entity.json(body.toString()));
    } catch (ProcessingException unreachable) {
      throw new AuthUnavailable("auth did not answer: " + unreachable.getMessage(), unreachable);
    }
    int status = response.getStatus();
    if (status < 300) {
      return response;
    }
    try (response) {
      if (status >= 500 || !response.hasEntity()) {
        throw new AuthUnavailable("auth answered " + status, null);
      }
      JsonObject problem = json(response.readEntity(String.class));
      String message = problem.getString("message", "Refused.");
      String retryAfter = response.getHeaderString("Retry-After");
      if (retryAfter != null && !message.contains(retryAfter)) {
        message = message + " (try again in " + retryAfter + " s)";
      }
      throw new Refused(status, problem.getString("code", "refused"), message, seconds(retryAfter));
    } catch (RuntimeException unreadable) {
      throw new AuthUnavailable("auth answered " + status + " with an unreadable body", unreadable);
    }
  }

  private static Tokens tokens(Response response) throws AuthUnavailable {
    try (response) {
      JsonObject body = json(response.readEntity(String.class));
      return Tokens.of(
          body.getString("access_token"),
          body.getJsonNumber("expires_in").longValue(),
          body.getString("refresh_token"));
    } catch (RuntimeException unreadable) {
      throw new AuthUnavailable("auth sent an unreadable token response", unreadable);
    }
  }

  private static JsonObject json(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  /** auth's Retry-After, in seconds; null when absent or not a number of seconds. */
  private static Duration seconds(String retryAfter) {
    try {
      return retryAfter == null ? null : Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
    } catch (NumberFormatException notSeconds) {
      return null;
    }
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}
