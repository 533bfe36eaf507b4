package teamchat.chatserv.identity.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import teamchat.contract.tokens.AccessTokenVerifier;
import teamchat.tokentestkit.ForgedTokens;
import teamchat.tokentestkit.TestAuthority;

/** The verifier on its own, against a test-only authority: no container, about a second. */
class TokenVerifierTest {

  private static TestAuthority authority;
  private static TokenVerifier cut;

  @BeforeAll
  static void wire() {
    authority = TestAuthority.start(0);
    cut = new TokenVerifier();
    cut.tokens =
        AccessTokenVerifier.of(
            "http://127.0.0.1:" + authority.port() + "/auth/.well-known/jwks.json",
            TestAuthority.ISSUER,
            TestAuthority.AUDIENCE,
            Duration.ofSeconds(30),
            Duration.ofMinutes(15),
            "revoked-session"::equals);
  }

  @AfterAll
  static void stop() {
    authority.close();
  }

  @Test
  void acceptsAValidUserToken() throws Exception {
    String subject = UUID.randomUUID().toString();
    TokenVerifier.Identity identity = cut.verify(authority.userToken(subject, "ada"));
    assertEquals(subject, identity.subject());
    assertEquals("ada", identity.name());
  }

  @Test
  void refusesEveryForgedToken() {
    Map<String, String> forged = new java.util.LinkedHashMap<>(ForgedTokens.against(authority));
    forged.putAll(ForgedTokens.withTrailingCharacters(authority));
    for (Map.Entry<String, String> attack : forged.entrySet()) {
      assertThrows(
          TokenVerifier.Refused.class, () -> cut.verify(attack.getValue()), attack.getKey());
    }
  }

  @Test
  void refusesServicesRevokedSessionsAndNothing() {
    assertEquals(
        "token_invalid",
        assertThrows(
                TokenVerifier.Refused.class,
                () -> cut.verify(authority.serviceGroupToken("chatserv")))
            .code);
    assertEquals(
        "not_a_user",
        assertThrows(
                TokenVerifier.Refused.class,
                () -> cut.verify(authority.token(c -> c.claim("groups", List.of("admin")))))
            .code);
    assertEquals(
        "session_revoked",
        assertThrows(
                TokenVerifier.Refused.class,
                () -> cut.verify(authority.token(c -> c.claim("sid", "revoked-session"))))
            .code);
    assertEquals(
        "token_missing", assertThrows(TokenVerifier.Refused.class, () -> cut.verify("")).code);
  }
}
