package teamchat.chatfront.accounts.control;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A token pair from auth, with the claims the web app shows. The claims are read without checking
 * the signature: chatfront received the token straight from auth over its own connection a moment
 * ago, and never accepts such a token from a browser. (Tokens that come in from outside are
 * verified by MicroProfile JWT.)
 */
public record Tokens(
    String accessToken,
    Instant accessExpires,
    String refreshToken,
    String subject,
    String username,
    String displayName) {

  static Tokens of(String accessToken, long expiresInSeconds, String refreshToken) {
    String[] parts = accessToken.split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("auth sent an access token that is not a JWT");
    }
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    try (JsonReader reader = Json.createReader(new StringReader(payload))) {
      JsonObject claims = reader.readObject();
      String username = claims.getString("upn");
      return new Tokens(
          accessToken,
          Instant.now().plusSeconds(expiresInSeconds),
          refreshToken,
          claims.getString("sub"),
          username,
          claims.getString("name", username));
    }
  }

  /** Never the tokens: a record's default toString would put them into any log that prints it. */
  @Override
  public String toString() {
    return "Tokens[subject=" + subject + ", expires=" + accessExpires + "]";
  }
}
