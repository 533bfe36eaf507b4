package teamchat.chatfront.security.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teamchat.chatfront.security.control.ChatservAssertions;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.tokens.AccessTokenVerifier;
import teamchat.contract.tokens.ServiceAssertionVerifier;
import teamchat.tokentestkit.ForgedTokens;
import teamchat.tokentestkit.TestAuthority;
import teamchat.tokentestkit.TestServiceKey;

/**
 * The /api filter with the contract's real verifier against a test authority: who gets through to
 * which method, and what the others are told.
 */
class TokenPolicyTest {

  private static TestAuthority authority;
  private static AccessTokenVerifier verifier;
  private static TestServiceKey chatservKey;
  private static ChatservAssertions chatserv;
  private static final String REVOKED = "s-revoked-" + UUID.randomUUID();

  @TokenGroups("user")
  static class UserResource {
    public void forUsers() {}

    @TokenGroups("chat-service")
    public void forServices() {}
  }

  static class OpenResource {
    public void forAnyone() {}
  }

  @BeforeAll
  static void start(@TempDir java.nio.file.Path keys) {
    chatservKey = TestServiceKey.writeTo(keys);
    chatserv =
        ChatservAssertions.of(
            new ServiceAssertionVerifier(
                chatservKey.publicKeyFile(),
                "chatserv",
                "chatfront",
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Clock.systemUTC()));
    authority = TestAuthority.start(0);
    verifier =
        AccessTokenVerifier.of(
            "http://127.0.0.1:" + authority.port() + "/auth/.well-known/jwks.json",
            TestAuthority.ISSUER,
            TestAuthority.AUDIENCE,
            Duration.ofSeconds(30),
            Duration.ofMinutes(15),
            REVOKED::equals);
  }

  @AfterAll
  static void stop() {
    authority.close();
  }

  @Test
  void aValidTokenInTheRightGroupPassesAndNamesItsBearer() {
    String subject = UUID.randomUUID().toString();
    Outcome passed = filter("forUsers", "Bearer " + authority.userToken(subject, "ada"));
    assertNull(passed.aborted);
    assertEquals(subject, passed.security.getUserPrincipal().getName());
    assertTrue(passed.security.isUserInRole("user"));
  }

  @Test
  void theMethodsOwnRolesWinOverItsClasss() {
    Outcome service = filter("forServices", "Bearer " + chatservKey.assertion());
    assertNull(service.aborted);
    assertEquals("chatserv", service.security.getUserPrincipal().getName());
    assertTrue(service.security.isUserInRole("chat-service"));
    assertEquals(
        403, filter("forServices", "Bearer " + authority.userToken("u", "u")).aborted.getStatus());
    assertEquals(403, filter("forUsers", "Bearer " + chatservKey.assertion()).aborted.getStatus());
  }

  @Test
  void onlyChatservsOwnAssertionGetsTheServiceGroupNeverAuthsToken() {
    // auth's key cannot grant chatserv's power: its tokens claiming the group are refused.
    assertRefused(
        filter("forServices", "Bearer " + authority.serviceGroupToken("chatserv")),
        "token_invalid");
    // Nor does chatserv's assertion for another audience, or one signed by another key.
    assertRefused(
        filter("forServices", "Bearer " + chatservKey.assertion(c -> c.audience("auth"))),
        "token_invalid");
    String stranger = TestServiceKey.writeTo(strangerFolder).assertion();
    assertRefused(filter("forServices", "Bearer " + stranger), "token_invalid");
  }

  @TempDir static java.nio.file.Path strangerFolder;

  @Test
  void noTokenJunkOrAnotherSchemeIsRefusedWith401() {
    assertRefused(filter("forUsers", null), "token_missing");
    assertRefused(filter("forUsers", "Bearer junk"), "token_invalid");
    assertRefused(filter("forUsers", "Basic YWRhOmFkYQ=="), "token_invalid");
    assertRefused(
        filter("forUsers", "Bearer " + authority.userToken("u", "u") + "\u0000"), "token_invalid");
  }

  @Test
  void everyForgedTokenIsRefusedWith401() {
    ForgedTokens.against(authority)
        .forEach(
            (attack, token) -> {
              Response refused = filter("forUsers", "Bearer " + token).aborted;
              assertTrue(refused != null && refused.getStatus() == 401, attack);
            });
  }

  @Test
  void aTokenOfARevokedSessionIsRefused() {
    String token = authority.token(claims -> claims.claim("sid", REVOKED));
    assertRefused(filter("forUsers", "Bearer " + token), "session_revoked");
  }

  @Test
  void openMethodsTakeAnonymousCallers() {
    assertNull(filter(OpenResource.class, "forAnyone", null).aborted);
  }

  private static void assertRefused(Outcome outcome, String code) {
    assertEquals(401, outcome.aborted.getStatus());
    assertEquals(code, ((ApiProblem.Body) outcome.aborted.getEntity()).code());
  }

  private static final class Outcome {
    Response aborted;
    SecurityContext security;
  }

  private static Outcome filter(String methodName, String authorization) {
    return filter(UserResource.class, methodName, authorization);
  }

  private static Outcome filter(Class<?> type, String methodName, String authorization) {
    TokenPolicy cut = new TokenPolicy();
    cut.bearers = new Bearers();
    cut.bearers.verifier = verifier;
    cut.bearers.chatserv = chatserv;
    Method method;
    try {
      method = type.getMethod(methodName);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    cut.resource =
        new ResourceInfo() {
          @Override
          public Method getResourceMethod() {
            return method;
          }

          @Override
          public Class<?> getResourceClass() {
            return type;
          }
        };
    Outcome outcome = new Outcome();
    Map<String, String> headers = new HashMap<>();
    if (authorization != null) {
      headers.put(HttpHeaders.AUTHORIZATION, authorization);
    }
    ContainerRequestContext request =
        (ContainerRequestContext)
            Proxy.newProxyInstance(
                ContainerRequestContext.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class},
                (proxy, called, args) ->
                    switch (called.getName()) {
                      case "getHeaderString" -> headers.get((String) args[0]);
                      case "abortWith" -> {
                        outcome.aborted = (Response) args[0];
                        yield null;
                      }
                      case "setSecurityContext" -> {
                        outcome.security = (SecurityContext) args[0];
                        yield null;
                      }
                      case "getSecurityContext" -> insecure();
                      default -> throw new UnsupportedOperationException(called.getName());
                    });
    cut.filter(request);
    return outcome;
  }

  private static SecurityContext insecure() {
    return (SecurityContext)
        Proxy.newProxyInstance(
            SecurityContext.class.getClassLoader(),
            new Class<?>[] {SecurityContext.class},
            (proxy, called, args) -> called.getName().equals("isSecure") ? false : null);
  }
}
