package teamchat.auth.tokens.control;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs access tokens: RS256 JWTs with the claims MicroProfile JWT verifiers expect ({@code iss},
 * {@code aud}, {@code sub}, {@code upn}, {@code groups}, {@code jti}, {@code iat}, {@code exp})
 * and, for people, {@code sid}: the session that a logout revokes.
 */
@ApplicationScoped
public class AccessTokens {

  /** The longest an access token may live: a stolen one is useful for no longer. */
  static final Duration MAX_LIFETIME = Duration.ofMinutes(15);

  public static final String USER_GROUP = "user";

  @Inject SigningKeys keys;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.issuer")
  String issuer;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.audiences")
  String audience;

  @Inject
  @ConfigProperty(name = "auth.access-token.lifetime")
  Duration lifetime;

  @PostConstruct
  void checkLifetime() {
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalStateException(
          "auth.access-token.lifetime must be between 1 s and " + MAX_LIFETIME);
    }
  }

  /** How long a person's access token lives. */
  public Duration lifetime() {
    return lifetime;
  }

  /** A token for a person, tied to their session; {@code name} is their display name. */
  public String forUser(UUID accountId, String username, String displayName, UUID session) {
    return sign(
        accountId.toString(), username, displayName, List.of(USER_GROUP), session, lifetime);
  }

  private String sign(
      String subject,
      String upn,
      String displayName,
      List<String> groups,
      UUID session,
      Duration lifetime) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .subject(subject)
            .claim("upn", upn)
            .claim("groups", groups)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)));
    if (displayName != null) {
      claims.claim("name", displayName);
    }
    if (session != null) {
      claims.claim("sid", session.toString());
    }
    RSAKey key = keys.signingKey();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims.build());
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign a token", e);
    }
    return jwt.serialize();
  }
}
