package teamchat.systemtestkit;

import com.nimbusds.jwt.SignedJWT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.UUID;

/**
 * People made as people make themselves: registered and signed in at auth's own API ({@code POST
 * accounts}, {@code POST tokens}; docs/tokens.md), never written into its database.
 */
public final class Accounts {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          // HTTP/1.1: with Payara an h2c upgrade attempt sometimes stalls the request.
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private final URI auth;

  /**
   * @param auth auth's base address, e.g. {@code http://127.0.0.1:8081/auth/}
   */
  public Accounts(URI auth) {
    this.auth = auth.toString().endsWith("/") ? auth : URI.create(auth + "/");
  }

  /**
   * A signed-in person.
   *
   * @param subject their id at auth (the tokens' {@code sub})
   * @param username what they signed in with
   * @param password their password
   * @param token their access token
   * @param refreshToken their refresh token
   */
  public record Person(
      String subject, String username, String password, String token, String refreshToken) {}

  /** A new account with a unique name (starting with {@code prefix}), signed in. */
  public Person register(String prefix) throws IOException, InterruptedException {
    String username = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return register(username, "a fine long passphrase " + UUID.randomUUID());
  }

  /** Registers this account and signs it in; fails unless auth says 201, then 200. */
  public Person register(String username, String password)
      throws IOException, InterruptedException {
    JsonObject credentials = credentials(username, password);
    HttpResponse<String> registered = postJson(auth.resolve("accounts"), credentials);
    if (registered.statusCode() != 201) {
      throw new IOException("registration: " + registered.statusCode() + " " + registered.body());
    }
    return signIn(username, password);
  }

  /** Signs an existing account in: fresh tokens. */
  public Person signIn(String username, String password) throws IOException, InterruptedException {
    HttpResponse<String> login = postJson(auth.resolve("tokens"), credentials(username, password));
    if (login.statusCode() != 200) {
      throw new IOException("login: " + login.statusCode() + " " + login.body());
    }
    JsonObject tokens = JsonBodies.parse(login.body());
    String token = tokens.getString("access_token");
    try {
      return new Person(
          SignedJWT.parse(token).getJWTClaimsSet().getSubject(),
          username,
          password,
          token,
          tokens.getString("refresh_token"));
    } catch (ParseException e) {
      throw new IOException("auth answered an access token that is no JWT", e);
    }
  }

  private static JsonObject credentials(String username, String password) {
    return Json.createObjectBuilder().add("username", username).add("password", password).build();
  }

  /** POSTs a JSON body; the answer as it came. */
  private static HttpResponse<String> postJson(URI uri, JsonObject body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
