package teamchat.contract.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one token policy, rule by rule, at a fixed clock: what each service used to disagree on (nbf,
 * iat ahead, lifetime, typ, trailing characters, skew). The forged-token matrix of token-testkit is
 * run against this verifier by chatserv's and chatfront's tests.
 */
class AccessTokenVerifierTest {

  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static RSAKey key;
  private static AccessTokenVerifier cut;

  @BeforeAll
  static void wire() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    cut =
        AccessTokenVerifier.of(
            new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())),
            "teamchat-auth",
            "teamchat",
            SKEW,
            Duration.ofMinutes(15),
            "revoked"::equals,
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void acceptsATokenAsAuthIssuesIt() throws Exception {
    AccessTokenVerifier.Verified verified = cut.verify(token(c -> {}));
    assertEquals("subject-1", verified.subject());
    assertEquals("ada", verified.username());
    assertEquals("Ada L.", verified.name());
    assertEquals("session-1", verified.session());
    assertEquals(List.of("user"), verified.groups());
  }

  @Test
  void timesAreComparedWithOneSkew() throws Exception {
    // Within the skew: accepted (clocks of two VMs are never exactly equal).
    cut.verify(token(c -> c.notBeforeTime(at(25))));
    cut.verify(token(c -> c.issueTime(at(25)).expirationTime(at(600))));
    cut.verify(token(c -> c.issueTime(at(-620)).expirationTime(at(-20))));
    // Beyond it: refused.
    refused("token_invalid", token(c -> c.notBeforeTime(at(40))));
    refused("token_invalid", token(c -> c.notBeforeTime(at(600))));
    refused("token_invalid", token(c -> c.issueTime(at(40)).expirationTime(at(600))));
    refused("token_invalid", token(c -> c.issueTime(at(-640)).expirationTime(at(-40))));
  }

  @Test
  void aLifetimeAboveTheMaximumIsRefused() throws Exception {
    cut.verify(token(c -> c.issueTime(at(0)).expirationTime(at(15 * 60))));
    refused("token_invalid", token(c -> c.issueTime(at(0)).expirationTime(at(15 * 60 + 1))));
    refused(
        "token_invalid", token(c -> c.expirationTime(Date.from(NOW.plus(Duration.ofDays(3650))))));
  }

  @Test
  void noTokenOfAuthsMayClaimAServicesGroupWhateverItsLifetime() throws Exception {
    // A service's power comes only from its own assertion (ServiceAssertionVerifier), never from
    // auth's key: a token of auth's that claims the service group is refused, however short.
    Consumer<JWTClaimsSet.Builder> service =
        c -> c.claim("groups", List.of("chat-service")).claim("sid", null).issueTime(at(0));
    refused("token_invalid", token(service.andThen(c -> c.expirationTime(at(600)))));
    refused(
        "token_invalid",
        token(c -> c.claim("groups", List.of("user", "chat-service")).expirationTime(at(600))));
    refused("token_invalid", token(service.andThen(c -> c.expirationTime(at(12 * 3600)))));
    refused("token_invalid", token(c -> c.issueTime(at(0)).expirationTime(at(3600))));
  }

  @Test
  void everyRequiredClaimMustBeThere() throws Exception {
    refused("token_invalid", token(c -> c.issueTime(null)));
    refused("token_invalid", token(c -> c.subject(null)));
    refused("token_invalid", token(c -> c.jwtID(null)));
    refused("token_invalid", token(c -> c.claim("upn", null)));
    refused("token_invalid", token(c -> c.issuer("someone-else")));
    refused("token_invalid", token(c -> c.audience("someone-else")));
    refused("token_invalid", token(c -> c.claim("groups", "user")));
  }

  @Test
  void theHeaderMustSayJwtAndRs256() throws Exception {
    refused("token_invalid", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1"), c -> {}));
    refused(
        "token_invalid",
        sign(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("k1")
                .type(new JOSEObjectType("at+jwt")),
            c -> {}));
    refused(
        "token_invalid",
        sign(
            new JWSHeader.Builder(JWSAlgorithm.RS512).keyID("k1").type(JOSEObjectType.JWT),
            c -> {}));
  }

  @Test
  void theTokenIsTakenExactlyAsSent() throws Exception {
    String valid = token(c -> {});
    refused("token_invalid", valid + "\u0000");
    refused("token_invalid", valid + " ");
    refused("token_invalid", " " + valid);
    refused("token_invalid", valid + "\n");
    refused("token_invalid", valid.replace('.', ','));
    refused("token_missing", "");
    refused("token_missing", null);
    refused("token_too_long", "a".repeat(AccessTokenVerifier.MAX_TOKEN_LENGTH + 1));
  }

  @Test
  void aRevokedSessionIsRefusedAndStillValidSeesIt() throws Exception {
    refused("session_revoked", token(c -> c.claim("sid", "revoked")));
    AccessTokenVerifier.Verified verified = cut.verify(token(c -> {}));
    assertEquals(true, cut.stillValid(verified.expires(), verified.session()));
    assertEquals(false, cut.stillValid(verified.expires(), "revoked"));
    assertEquals(false, cut.stillValid(NOW.minusSeconds(1), verified.session()));
  }

  private static void refused(String code, String token) {
    assertEquals(
        code, assertThrows(AccessTokenVerifier.Refused.class, () -> cut.verify(token), token).code);
  }

  private static Date at(long secondsFromNow) {
    return Date.from(NOW.plusSeconds(secondsFromNow));
  }

  private static String token(Consumer<JWTClaimsSet.Builder> adjust) throws Exception {
    return sign(
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JWT), adjust);
  }

  private static String sign(JWSHeader.Builder header, Consumer<JWTClaimsSet.Builder> adjust)
      throws Exception {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer("teamchat-auth")
            .audience("teamchat")
            .subject("subject-1")
            .claim("upn", "ada")
            .claim("name", "Ada L.")
            .claim("sid", "session-1")
            .claim("groups", List.of("user"))
            .jwtID("jti-1")
            .issueTime(at(-60))
            .expirationTime(at(540));
    adjust.accept(claims);
    SignedJWT jwt = new SignedJWT(header.build(), claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
