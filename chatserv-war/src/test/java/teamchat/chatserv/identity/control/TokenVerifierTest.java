package teamchat.chatserv.identity.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  @Test
  void aSocketOutlivesItsTokenWhileAuthIsAwayAndThenHasAMinuteToRenew() {
    Instant expired = Instant.now().minusSeconds(600);
    TokenVerifier.Identity ada =
        new TokenVerifier.Identity("s-ada", "ada", "sid-ada", expired, "Ada", expired);
    TokenVerifier.Identity loggedOut =
        new TokenVerifier.Identity("s-bob", "bob", "revoked-session", expired, "Bob", expired);
    TokenVerifier.Identity current =
        new TokenVerifier.Identity(
            "s-cy", "cy", "sid-cy", Instant.now().plusSeconds(600), "Cy", Instant.now());
    try {
      // auth answers and has answered since before the token expired: the socket's time is up.
      cut.authAnsweringSince = () -> Optional.of(expired.minusSeconds(3600));
      assertFalse(cut.stillValid(ada), "expired while auth answered");
      assertTrue(cut.stillValid(current), "a token not expired");

      // auth does not answer (for however long): nobody can renew, the socket stays.
      cut.authAnsweringSince = Optional::empty;
      assertTrue(cut.stillValid(ada), "expired while auth is away");
      assertFalse(cut.stillValid(loggedOut), "a session in the last list stays ended");

      // auth answers again: a minute to send a fresh token, then the socket's time is up.
      Instant back = expired.plusSeconds(3600);
      cut.authAnsweringSince = () -> Optional.of(back);
      cut.clock = Clock.fixed(back.plusSeconds(59), ZoneOffset.UTC);
      assertTrue(cut.stillValid(ada), "59 s after auth came back");
      cut.clock = Clock.fixed(back.plusSeconds(61), ZoneOffset.UTC);
      assertFalse(cut.stillValid(ada), "61 s after auth came back");
      assertFalse(cut.stillValid(loggedOut), "logged out");
    } finally {
      cut.authAnsweringSince = Optional::empty;
      cut.clock = Clock.systemUTC();
    }
  }
}
