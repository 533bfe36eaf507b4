package teamchat.chatserv.identity.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import teamchat.contract.revocation.RevokedSessions;
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
    cut.jwksLocation = "http://127.0.0.1:" + authority.port() + "/auth/.well-known/jwks.json";
    cut.issuer = TestAuthority.ISSUER;
    cut.audience = TestAuthority.AUDIENCE;
    cut.revokedSessions =
        new RevokedSessions() {
          @Override
          public boolean isRevoked(String sid) {
            return "revoked-session".equals(sid);
          }
        };
    cut.build();
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
    for (Map.Entry<String, String> attack : ForgedTokens.against(authority).entrySet()) {
      assertThrows(
          TokenVerifier.Refused.class, () -> cut.verify(attack.getValue()), attack.getKey());
    }
  }

  @Test
  void refusesServicesRevokedSessionsAndNothing() {
    assertEquals(
        "not_a_user",
        assertThrows(
                TokenVerifier.Refused.class, () -> cut.verify(authority.serviceToken("chatserv")))
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
