package teamchat.chatserv.identity.control;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.revocation.RevokedSessions;

/**
 * Verifies an access token completely: RS256 only, signed by a key from auth's JWKS (never one
 * named by the token itself: jku, x5u and jwk headers are ignored), issuer, audience, expiry, the
 * claims every token must carry, and the revocation of its session.
 */
@ApplicationScoped
public class TokenVerifier {

  /** Far above any token auth issues; bounds the work spent on what a stranger sends. */
  public static final int MAX_TOKEN_LENGTH = 8 * 1024;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.publickey.location")
  String jwksLocation;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.issuer")
  String issuer;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.audiences")
  String audience;

  @Inject RevokedSessions revokedSessions;

  private ConfigurableJWTProcessor<SecurityContext> processor;

  /** A verified user: who, which session, until when. */
  public record Identity(String subject, String name, String session, Instant expires) {}

  /** The token was refused; {@code code} says why, for the error frame. */
  public static class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    public final String code;

    Refused(String code) {
      super(code);
      this.code = code;
    }
  }

  @PostConstruct
  void build() {
    JWKSource<SecurityContext> keys;
    try {
      // Cached, refreshed when a token names a key id it does not know yet (key rotation).
      keys = JWKSourceBuilder.create(URI.create(jwksLocation).toURL()).retrying(true).build();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(
          "mp.jwt.verify.publickey.location is not a URL: " + jwksLocation, e);
    }
    processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            audience,
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of("sub", "exp", "iat", "jti", "upn")));
  }

  public Identity verify(String token) throws Refused {
    if (token == null || token.isEmpty()) {
      throw new Refused("token_missing");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new Refused("token_too_long");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (Exception e) {
      // ParseException, BadJOSEException, JOSEException: all mean the same to the client.
      throw new Refused("token_invalid");
    }
    String session = (String) claims.getClaim("sid");
    if (revokedSessions.isRevoked(session)) {
      throw new Refused("session_revoked");
    }
    List<String> groups;
    try {
      groups = claims.getStringListClaim("groups");
    } catch (java.text.ParseException e) {
      throw new Refused("token_invalid");
    }
    if (groups == null || !groups.contains("user")) {
      throw new Refused("not_a_user");
    }
    return new Identity(
        claims.getSubject(),
        (String) claims.getClaim("upn"),
        session,
        claims.getExpirationTime().toInstant());
  }

  /** Whether a verified identity still holds: not expired, session not revoked. */
  public boolean stillValid(Identity identity) {
    return identity.expires().isAfter(Instant.now())
        && !revokedSessions.isRevoked(identity.session());
  }
}
