package teamchat.chatfront.accounts.control;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.Serializable;
import java.text.ParseException;
import java.time.Instant;

/**
 * A token pair from auth, with the claims the web app shows, and its session ({@code sid}, null if
 * auth sent none), which the pages check against the revoked sessions. The claims are read without
 * checking the signature: chatfront received the token straight from auth over its own connection a
 * moment ago, and never accepts such a token from a browser. (Tokens that come in from outside are
 * verified by the contract's {@code AccessTokenVerifier}.)
 *
 * <p>Serializable: it is kept in the web session ({@link SignedInUser}), which several chatfront
 * instances share through the Data Grid. The refresh token therefore travels only between the
 * instances' grid members, never to the browser.
 */
public record Tokens(
    String accessToken,
    Instant accessExpires,
    String refreshToken,
    String subject,
    String username,
    String displayName,
    String session)
    implements Serializable {

  /**
   * @throws IllegalArgumentException when the access token is not a signed JWT with {@code sub} and
   *     {@code upn}
   */
  static Tokens of(String accessToken, long expiresInSeconds, String refreshToken) {
    JWTClaimsSet claims;
    String username;
    String name;
    String session;
    try {
      claims = SignedJWT.parse(accessToken).getJWTClaimsSet();
      username = claims.getStringClaim("upn");
      name = claims.getStringClaim("name");
      session = claims.getStringClaim("sid");
    } catch (ParseException notAJwt) {
      throw new IllegalArgumentException("auth sent an access token that is not a JWT", notAJwt);
    }
    if (claims.getSubject() == null || username == null) {
      throw new IllegalArgumentException("auth sent an access token without sub or upn");
    }
    return new Tokens(
        accessToken,
        Instant.now().plusSeconds(expiresInSeconds),
        refreshToken,
        claims.getSubject(),
        username,
        name == null ? username : name,
        session);
  }

  /** Never the tokens: a record's default toString would put them into any log that prints it. */
  @Override
  public String toString() {
    return "Tokens[subject=" + subject + ", expires=" + accessExpires + "]";
  }
}
