package teamchat.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import teamchat.localpostgres.TestDatabase;
import teamchat.tokentestkit.ServerLog;
import teamchat.tokentestkit.TestServiceKey;

/**
 * The auth WAR as built, on Payara Micro with the project's domain config and a real PostgreSQL.
 * Its test settings (auth-war/pom.xml) rotate keys every 20 s and cap the login back-off at 3 s.
 *
 * <p>Each test logs in from its own client address (X-Forwarded-For through the trusted loopback
 * proxy), so that one test's failures never slow down another's logins. Only the first test depends
 * on order: it sees the deployment fresh, before any other test has touched it.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthServiceIT {

  private static final String GOOD_PASSWORD = "correct horse battery staple 42";

  /** Every password and token this class handled: none may appear in the server's log. */
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

  private static final AtomicInteger ADDRESSES = new AtomicInteger();

  @Deployment(testable = false)
  static WebArchive builtWar() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("teamchat.test.war")));
  }

  @ArquillianResource URL deployedAt;

  /** Through loopback: the trusted proxy address whose X-Forwarded-For auth believes. */
  private URI base;

  @BeforeEach
  void throughLoopback() {
    base = URI.create("http://127.0.0.1:" + deployedAt.getPort() + deployedAt.getPath());
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .build(); // no h2c upgrade with Payara

  // ---- a fresh deployment

  /** Issue 13, finding 17: the key is made at start, not by whoever asks for it first. */
  @Test
  @Order(1)
  void aFreshDeploymentPublishesItsKeyFromTheFirstRequestOn() throws Exception {
    List<String> storedKids = new ArrayList<>();
    try (var db = TestDatabase.connect();
        var accounts = db.createStatement().executeQuery("SELECT count(*) FROM accounts.account");
        var keys = db.createStatement().executeQuery("SELECT kid FROM accounts.signing_key")) {
      accounts.next();
      assertEquals(0, accounts.getInt(1), "this test runs first, on a fresh deployment");
      while (keys.next()) {
        storedKids.add(keys.getString(1));
      }
    }
    assertEquals(1, storedKids.size(), "one key, made at start before any request asked for it");

    HttpResponse<String> first = get(base + ".well-known/jwks.json");
    assertEquals(200, first.statusCode());
    JWKSet firstAnswer = JWKSet.parse(first.body());
    assertEquals(1, firstAnswer.getKeys().size(), first.body());
    assertTrue(firstAnswer.getKeys().get(0) instanceof RSAKey, first.body());
    assertEquals(storedKids.get(0), firstAnswer.getKeys().get(0).getKeyID());

    // A verifier that cached this first answer accepts a token issued afterwards.
    SignedJWT later =
        SignedJWT.parse(
            (String) json(login(registered(), GOOD_PASSWORD, newAddress())).get("access_token"));
    RSAKey cached = (RSAKey) firstAnswer.getKeyByKeyId(later.getHeader().getKeyID());
    assertTrue(
        cached != null && later.verify(new RSASSAVerifier(cached)), later.getHeader().toString());
  }

  // ---- health and schema

  @Test
  void readinessIncludesTheDatabaseAndTheSigningKey() throws Exception {
    HttpResponse<String> ready = get(serverRoot() + "/health/ready");
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(
        ready
            .body()
            .matches("(?s).*\"name\"\\s*:\\s*\"database\"\\s*,\\s*\"status\"\\s*:\\s*\"UP\".*"),
        ready.body());
    assertTrue(
        ready
            .body()
            .matches("(?s).*\"name\"\\s*:\\s*\"signing-key\"\\s*,\\s*\"status\"\\s*:\\s*\"UP\".*"),
        "ready only with a signing key (finding 17): " + ready.body());
    assertEquals(200, get(serverRoot() + "/health/live").statusCode());
  }

  @Test
  void startupMigratedTheAccountsSchema() throws Exception {
    assertEquals("5", TestDatabase.migratedVersion("accounts"));
    for (String table :
        List.of(
            "account",
            "signing_key",
            "refresh_token",
            "revoked_session",
            "throttle_count",
            "personal_token")) {
      assertTrue(TestDatabase.tableExists("accounts", table), table);
    }
  }

  // ---- registration

  @Test
  void registersAndRefusesTheSameNameInAnotherCase() throws Exception {
    String name = uniqueName();
    HttpResponse<String> created = register(name, "Ada Lovelace", GOOD_PASSWORD);
    assertEquals(201, created.statusCode(), created.body());
    Map<String, Object> account = json(created);
    assertEquals(name, account.get("username"));
    assertEquals("Ada Lovelace", account.get("display_name"));
    UUID.fromString((String) account.get("id"));
    assertFalse(created.body().contains("password"), "no password or hash in the answer");

    assertProblem(409, "username_taken", register(name.toUpperCase(), "Other", GOOD_PASSWORD));
  }

  @Test
  void eachPasswordRuleHasItsCode() throws Exception {
    String name = uniqueName();
    assertProblem(400, "password_missing", register(name, null, null));
    assertProblem(400, "password_too_short", register(name, null, "Ab3$eFg"));
    assertProblem(400, "password_common", register(name, null, "Password123"));
    assertProblem(
        400, "password_contains_username", register(name, null, "my-" + name + "-is-great"));
    assertProblem(400, "password_too_long", register(name, null, "é".repeat(513))); // 1,026 bytes
    HttpResponse<String> longPassphrase =
        register(name, null, "a long passphrase is welcome ".repeat(4));
    assertEquals(201, longPassphrase.statusCode(), "a 116-character passphrase is accepted");
  }

  @Test
  void usernamesAndDisplayNamesAreBounded() throws Exception {
    assertProblem(400, "username_missing", register("", null, GOOD_PASSWORD));
    assertProblem(400, "username_invalid", register("ab", null, GOOD_PASSWORD));
    assertProblem(400, "username_invalid", register("has space", null, GOOD_PASSWORD));
    assertProblem(400, "username_invalid", register("-dash-first", null, GOOD_PASSWORD));
    assertProblem(400, "username_invalid", register("x".repeat(33), null, GOOD_PASSWORD));
    assertProblem(400, "username_invalid", register("<script>", null, GOOD_PASSWORD));
    assertProblem(400, "display_name_invalid", register(uniqueName(), "bell\u0007", GOOD_PASSWORD));
    assertProblem(
        400, "display_name_invalid", register(uniqueName(), "n".repeat(65), GOOD_PASSWORD));
  }

  @Test
  void malformedBodiesAreClientErrors() throws Exception {
    assertProblem(400, "malformed_request", post("accounts", "{\"username\": ", null));
    assertProblem(400, "malformed_request", post("accounts", "[1, 2, 3]", null));
    assertProblem(400, "malformed_request", post("tokens", "not json", newAddress()));
    assertProblem(400, "malformed_request", post("tokens/refresh", "{}", null));
  }

  // ---- a person's own account

  @Test
  void aNewDisplayNameIsInTheNextAccessTokenAndFollowsTheRegistrationsRule() throws Exception {
    String name = registered();
    String refresh = (String) json(login(name, GOOD_PASSWORD, newAddress())).get("refresh_token");

    HttpResponse<String> changed = changeDisplayName(refresh, "  Grace Hopper ");
    assertEquals(200, changed.statusCode(), changed.body());
    assertEquals("Grace Hopper", json(changed).get("display_name"));
    assertEquals(name, json(changed).get("username"));
    HttpResponse<String> next = refresh(refresh);
    assertEquals(200, next.statusCode(), "the refresh token was not used up: " + next.body());
    assertEquals(
        "Grace Hopper",
        SignedJWT.parse((String) json(next).get("access_token"))
            .getJWTClaimsSet()
            .getStringClaim("name"));

    String current = (String) json(next).get("refresh_token");
    assertProblem(400, "display_name_invalid", changeDisplayName(current, "bell\u0007"));
    assertProblem(400, "display_name_invalid", changeDisplayName(current, "n".repeat(65)));
    assertProblem(400, "display_name_invalid", changeDisplayName(current, "   "));
    assertProblem(401, "refresh_token_invalid", changeDisplayName("made-up-token", "Eve"));
    // The used-up first token is a copy someone else may hold: its whole session ends.
    assertProblem(401, "refresh_token_reused", changeDisplayName(refresh, "Eve"));
    assertProblem(401, "session_revoked", refresh(current));
    assertProblem(400, "malformed_request", put("accounts/me/display-name", "{}", null));
  }

  @Test
  void aPasswordChangeNeedsTheCurrentOneFollowsTheRulesAndEndsTheOtherSessions() throws Exception {
    String name = registered();
    String address = newAddress();
    Map<String, Object> here = json(login(name, GOOD_PASSWORD, address));
    Map<String, Object> elsewhere = json(login(name, GOOD_PASSWORD, newAddress()));
    String refresh = (String) here.get("refresh_token");
    String newPassword = "a brand new passphrase " + UUID.randomUUID();

    assertProblem(
        403, "current_password_wrong", changePassword(refresh, "not it at all", newPassword));
    assertProblem(400, "password_too_short", changePassword(refresh, GOOD_PASSWORD, "Ab3$eFg"));
    assertProblem(400, "password_common", changePassword(refresh, GOOD_PASSWORD, "Password123"));
    assertProblem(
        400,
        "password_contains_username",
        changePassword(refresh, GOOD_PASSWORD, "my-" + name + "-is-great"));
    assertProblem(400, "password_unchanged", changePassword(refresh, GOOD_PASSWORD, GOOD_PASSWORD));
    assertProblem(
        401, "refresh_token_invalid", changePassword("made-up", GOOD_PASSWORD, newPassword));
    assertEquals(200, login(name, GOOD_PASSWORD, newAddress()).statusCode(), "nothing changed");

    HttpResponse<String> changed = changePassword(refresh, GOOD_PASSWORD, newPassword);
    assertEquals(200, changed.statusCode(), changed.body());
    // The other session, and the one the check above made: both signed out.
    assertEquals(2, ((Number) json(changed).get("ended_sessions")).intValue(), changed.body());
    assertProblem(401, "session_revoked", refresh((String) elsewhere.get("refresh_token")));
    String otherSid =
        SignedJWT.parse((String) elsewhere.get("access_token"))
            .getJWTClaimsSet()
            .getStringClaim("sid");
    assertTrue(revokedSessions().contains(otherSid), "verifiers learn of it within seconds");
    assertEquals(200, refresh(refresh).statusCode(), "the session that changed it goes on");

    assertProblem(401, "invalid_credentials", login(name, GOOD_PASSWORD, newAddress()));
    assertEquals(200, login(name, newPassword, newAddress()).statusCode());
    try (var db = TestDatabase.connect();
        var hash =
            db.createStatement()
                .executeQuery(
                    "SELECT password_hash FROM accounts.account WHERE username = '" + name + "'")) {
      hash.next();
      assertTrue(hash.getString(1).startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), "Argon2id");
    }
  }

  @Test
  void signingOutEverywhereEndsEverySessionTheCallersIncluded() throws Exception {
    String name = registered();
    Map<String, Object> here = json(login(name, GOOD_PASSWORD, newAddress()));
    Map<String, Object> elsewhere = json(login(name, GOOD_PASSWORD, newAddress()));
    String other = registered();
    Map<String, Object> someoneElse = json(login(other, GOOD_PASSWORD, newAddress()));
    String refresh = (String) here.get("refresh_token");

    HttpResponse<String> ended =
        post("accounts/me/sign-out-everywhere", "{\"refresh_token\":" + quote(refresh) + "}", null);
    assertEquals(200, ended.statusCode(), ended.body());
    assertEquals(2, ((Number) json(ended).get("ended_sessions")).intValue(), ended.body());
    assertProblem(401, "session_revoked", refresh(refresh));
    assertProblem(401, "session_revoked", refresh((String) elsewhere.get("refresh_token")));
    assertEquals(
        200,
        refresh((String) someoneElse.get("refresh_token")).statusCode(),
        "another person's session goes on");
    assertProblem(
        401,
        "session_revoked",
        post(
            "accounts/me/sign-out-everywhere", "{\"refresh_token\":" + quote(refresh) + "}", null));
  }

  @Test
  void guessingTheCurrentPasswordIsThrottledLikeALogin() throws Exception {
    String name = registered();
    String refresh = (String) json(login(name, GOOD_PASSWORD, newAddress())).get("refresh_token");
    String newPassword = "a brand new passphrase " + UUID.randomUUID();
    int wrong = 0;
    HttpResponse<String> answer = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      // A new address each time: the account's own count stops the guesser.
      answer = changePassword(refresh, "guess number " + attempt, newPassword, newAddress());
      if (answer.statusCode() == 429) {
        break;
      }
      assertProblem(403, "current_password_wrong", answer);
      wrong++;
    }
    assertProblem(429, "too_many_attempts", answer);
    assertEquals(5, wrong, "five free failures, as for a login");
    long retryAfter = Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 3, "within the configured cap: " + retryAfter);
    // The same account's logins wait too: one budget of guesses per account.
    assertProblem(429, "too_many_attempts", login(name, GOOD_PASSWORD, newAddress()));

    Thread.sleep(Duration.ofSeconds(retryAfter).plusMillis(500).toMillis());
    HttpResponse<String> owner = changePassword(refresh, GOOD_PASSWORD, newPassword, newAddress());
    assertEquals(200, owner.statusCode(), owner.body());
  }

  // ---- login and tokens

  @Test
  void loginIssuesAnRs256AccessTokenWithTheVerifiersClaimsAndARefreshToken() throws Exception {
    String name = registered();
    Map<String, Object> tokens = json(login(name, GOOD_PASSWORD, newAddress()));
    assertEquals("Bearer", tokens.get("token_type"));
    String refresh = (String) tokens.get("refresh_token");
    assertTrue(Base64.getUrlDecoder().decode(refresh).length >= 32, "at least 256 random bits");

    SignedJWT jwt = SignedJWT.parse((String) tokens.get("access_token"));
    assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
    assertEquals(JOSEObjectType.JWT, jwt.getHeader().getType());
    assertTrue(verifiesWithJwks(jwt), "signature verifies with the published JWKS");
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertEquals("teamchat-auth", claims.getIssuer());
    assertEquals(List.of("teamchat"), claims.getAudience());
    UUID.fromString(claims.getSubject());
    assertEquals(name, claims.getStringClaim("upn"));
    assertEquals(name, claims.getStringClaim("name"), "display name, the username by default");
    assertEquals(List.of("user"), claims.getStringListClaim("groups"));
    UUID.fromString(claims.getJWTID());
    UUID.fromString(claims.getStringClaim("sid"));
    Duration lifetime =
        Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant());
    assertTrue(lifetime.compareTo(Duration.ofMinutes(15)) <= 0, "at most 15 minutes: " + lifetime);
    assertEquals(lifetime.toSeconds(), ((Number) tokens.get("expires_in")).longValue());
  }

  @Test
  void unknownUserAndWrongPasswordLookAlikeAndTakeAlike() throws Exception {
    String name = registered();
    HttpResponse<String> wrong = login(name, "not the password at all", newAddress());
    HttpResponse<String> unknown = login(uniqueName(), "not the password at all", newAddress());
    assertEquals(401, wrong.statusCode());
    assertEquals(wrong.statusCode(), unknown.statusCode());
    assertEquals(wrong.body(), unknown.body());

    // Interleaved, each from a fresh address and account so that no back-off kicks in.
    List<Long> wrongTimes = new ArrayList<>();
    List<Long> unknownTimes = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String someone = registered();
      long start = System.nanoTime();
      login(someone, "wrong password " + i, newAddress());
      wrongTimes.add(System.nanoTime() - start);
      start = System.nanoTime();
      login(uniqueName(), "wrong password " + i, newAddress());
      unknownTimes.add(System.nanoTime() - start);
    }
    double ratio = (double) median(unknownTimes) / median(wrongTimes);
    assertTrue(
        ratio > 0.5 && ratio < 2.0,
        "unknown/wrong median time ratio " + ratio + " (the hash runs either way)");
  }

  @Test
  void refreshRotatesAndAReusedTokenRevokesTheWholeSession() throws Exception {
    String name = registered();
    Map<String, Object> first = json(login(name, GOOD_PASSWORD, newAddress()));
    String firstRefresh = (String) first.get("refresh_token");
    String sid =
        SignedJWT.parse((String) first.get("access_token")).getJWTClaimsSet().getStringClaim("sid");

    HttpResponse<String> rotated = refresh(firstRefresh);
    assertEquals(200, rotated.statusCode(), rotated.body());
    Map<String, Object> second = json(rotated);
    String secondRefresh = (String) second.get("refresh_token");
    assertNotEquals(firstRefresh, secondRefresh);
    assertEquals(
        sid,
        SignedJWT.parse((String) second.get("access_token"))
            .getJWTClaimsSet()
            .getStringClaim("sid"));
    assertFalse(revokedSessions().contains(sid));

    assertProblem(401, "refresh_token_reused", refresh(firstRefresh));
    assertProblem(401, "session_revoked", refresh(secondRefresh));
    assertTrue(revokedSessions().contains(sid), "verifiers learn of the revoked session");
    assertProblem(401, "refresh_token_invalid", refresh("made-up-token"));
  }

  @Test
  void logoutRevokesTheSession() throws Exception {
    String name = registered();
    Map<String, Object> tokens = json(login(name, GOOD_PASSWORD, newAddress()));
    String refresh = (String) tokens.get("refresh_token");
    String sid =
        SignedJWT.parse((String) tokens.get("access_token"))
            .getJWTClaimsSet()
            .getStringClaim("sid");

    assertEquals(
        204, post("tokens/revoke", "{\"refresh_token\":\"" + refresh + "\"}", null).statusCode());
    assertTrue(revokedSessions().contains(sid));
    assertProblem(401, "session_revoked", refresh(refresh));
    assertEquals(204, post("tokens/revoke", "{\"refresh_token\":\"unknown\"}", null).statusCode());
  }

  @Test
  void bruteForceIsThrottledAndTheOwnerLogsInAfterwards() throws Exception {
    String name = registered();
    int unauthorized = 0;
    int throttled = 0;
    long maxRetryAfter = 0;
    for (int attempt = 0; attempt < 200; attempt++) {
      // A distributed attack: a new address each time, so only the account's counter applies.
      HttpResponse<String> answer = login(name, "guess number " + attempt, newAddress());
      if (answer.statusCode() == 429) {
        throttled++;
        assertProblem(429, "too_many_attempts", answer);
        maxRetryAfter =
            Math.max(
                maxRetryAfter,
                Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow()));
      } else {
        assertEquals(401, answer.statusCode(), answer.body());
        unauthorized++;
      }
      if (attempt < 5) {
        assertEquals(401, answer.statusCode(), "the first five failures are free");
      }
    }
    assertTrue(throttled > 150, "most of 200 guesses were refused without checking: " + throttled);
    assertTrue(unauthorized < 50, "few guesses were checked at all: " + unauthorized);
    assertTrue(
        maxRetryAfter >= 1 && maxRetryAfter <= 3,
        "Retry-After within the configured cap: " + maxRetryAfter);

    // The attack stops; the real owner, waiting as Retry-After says (as the login page does), gets
    // in once the last guess's back-off, at most the 3 s cap, is over. Not a fixed sleep: on a
    // loaded machine the last guess may be answered late, so its back-off ends later than the
    // largest Retry-After seen suggests.
    long stopped = System.nanoTime();
    HttpResponse<String> owner = login(name, GOOD_PASSWORD, newAddress());
    while (owner.statusCode() == 429 && System.nanoTime() - stopped < 10_000_000_000L) {
      long wait = Long.parseLong(owner.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(wait >= 1 && wait <= 3, "the owner's wait within the cap: " + wait);
      Thread.sleep(Duration.ofSeconds(wait).toMillis());
      owner = login(name, GOOD_PASSWORD, newAddress());
    }
    assertEquals(200, owner.statusCode(), owner.body());
  }

  @Test
  void authIssuesNoServiceTokens() throws Exception {
    // chatserv signs its own assertions for chatfront (docs/tokens.md, "Service calls"): auth is
    // out of that path, and there is no way to ask it for a service's power.
    HttpResponse<String> asked =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "tokens/service"))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString("chatserv:secret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(404, asked.statusCode(), asked.body());
  }

  @Test
  void theApiIsDescribedInOpenApi() throws Exception {
    HttpResponse<String> openapi = get(serverRoot() + "/openapi");
    assertEquals(200, openapi.statusCode());
    String description = openapi.body();
    assertTrue(description.contains("title: teamchat auth"), description);
    assertTrue(
        description.matches("(?s).*- url: [^\\s]*/auth\\s.*"), "paths are relative to /auth");
    for (String path :
        List.of(
            "/accounts",
            "/accounts/me/display-name",
            "/accounts/me/password",
            "/accounts/me/sign-out-everywhere",
            "/accounts/me/personal-tokens",
            "/accounts/me/personal-tokens/list",
            "/accounts/me/personal-tokens/{id}/revoke",
            "/accounts/me/bots",
            "/accounts/me/bots/list",
            "/accounts/me/bots/{bot}/delete",
            "/accounts/me/bots/{bot}/tokens",
            "/accounts/me/bots/{bot}/tokens/list",
            "/accounts/me/bots/{bot}/tokens/{token}/revoke",
            "/tokens",
            "/tokens/introspect",
            "/tokens/refresh",
            "/tokens/revoke",
            "/.well-known/jwks.json",
            "/revocations")) {
      assertTrue(description.contains("\n  " + path + ":"), path + " described");
    }
    assertTrue(description.contains("too_many_attempts"), "error codes are documented");
  }

  @Test
  void jwksPublishesPublicKeysOnly() throws Exception {
    HttpResponse<String> jwks = get(base + ".well-known/jwks.json");
    assertEquals(200, jwks.statusCode());
    assertFalse(jwks.body().contains("\"d\""), "no private exponent");
    JWKSet set = JWKSet.parse(jwks.body());
    assertFalse(set.getKeys().isEmpty());
    for (var key : set.getKeys()) {
      assertTrue(key instanceof RSAKey, key.getKeyType().toString());
      assertEquals(JWSAlgorithm.RS256, key.getAlgorithm());
      assertTrue(key.getKeyID() != null && !key.getKeyID().isEmpty());
      assertFalse(key.isPrivate());
    }
  }

  @Test
  void keyRotationKeepsTokensOfTheOldKeyVerifiable() throws Exception {
    String name = registered();
    SignedJWT before =
        SignedJWT.parse(
            (String) json(login(name, GOOD_PASSWORD, newAddress())).get("access_token"));
    String oldKid = before.getHeader().getKeyID();
    SignedJWT after = before;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (after.getHeader().getKeyID().equals(oldKid) && System.nanoTime() < deadline) {
      Thread.sleep(2000);
      after =
          SignedJWT.parse(
              (String) json(login(name, GOOD_PASSWORD, newAddress())).get("access_token"));
    }
    assertNotEquals(
        oldKid, after.getHeader().getKeyID(), "a new key signs after auth.keys.rotate-after");
    JWKSet published = JWKSet.parse(get(base + ".well-known/jwks.json").body());
    assertTrue(published.getKeyByKeyId(oldKid) != null, "the old key is still published");
    assertTrue(verifiesWithJwks(before), "a token of the old key still verifies");
    assertTrue(verifiesWithJwks(after));
  }

  // ---- personal access tokens (issue 20)

  /** chatfront's assertion key, whose public half auth reads at the first introspection. */
  private static final TestServiceKey CHATFRONT =
      TestServiceKey.writeTo(Path.of(TestServiceKey.FOLDER), "chatfront-assertion");

  @Test
  void aPersonalTokenIsShownOnceStoredAsItsHashAndIntrospectedForChatfrontOnly() throws Exception {
    String name = registered();
    String refresh = (String) json(login(name, GOOD_PASSWORD, newAddress())).get("refresh_token");
    HttpResponse<String> made =
        createPersonalToken(refresh, "CI deploys", "[\"read\",\"write\"]", 30);
    assertEquals(201, made.statusCode(), made.body());
    String token = (String) json(made).get("token");
    assertTrue(token.matches("tcp_[A-Za-z0-9_-]{43}"), "prefix and 256 bits base64url: " + token);
    Map<String, Object> listed = JSONObjectUtils.getJSONObject(json(made), "personal_token");
    String id = (String) listed.get("id");
    assertEquals("CI deploys", listed.get("name"));
    assertEquals(List.of("read", "write"), listed.get("scopes"));

    HttpResponse<String> list = post("accounts/me/personal-tokens/list", proof(refresh), null);
    assertEquals(200, list.statusCode(), list.body());
    assertFalse(list.body().contains(token), "the list never shows the token");
    assertEquals(null, onlyToken(list).get("last_used_at"), "not used yet");

    try (var db = TestDatabase.connect();
        var row =
            db.createStatement()
                .executeQuery(
                    "SELECT token_hash, t::text FROM accounts.personal_token t WHERE id = '"
                        + id
                        + "'")) {
      assertTrue(row.next());
      assertArrayEquals(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)),
          row.getBytes(1),
          "the SHA-256 of the token is stored");
      assertFalse(row.getString(2).contains(token.substring(4)), "the token itself is not");
    }

    HttpResponse<String> active = introspect(token, CHATFRONT.assertion(this::chatfrontForAuth));
    assertEquals(200, active.statusCode(), active.body());
    Map<String, Object> answer = json(active);
    assertEquals(true, answer.get("active"));
    assertEquals("read write", answer.get("scope"));
    assertEquals(name, answer.get("username"));
    UUID.fromString((String) answer.get("sub"));
    assertFalse(answer.containsKey("bot_owner"), "a person's token is no bot's");
    long exp = ((Number) answer.get("exp")).longValue();
    long thirtyDays = Instant.now().plus(Duration.ofDays(30)).getEpochSecond();
    assertTrue(Math.abs(exp - thirtyDays) < 120, "expires in 30 days: " + exp);
    assertTrue(
        onlyToken(post("accounts/me/personal-tokens/list", proof(refresh), null))
                .get("last_used_at")
            != null,
        "the use is on record");

    assertProblem(401, "caller_invalid", introspect(token, null));
    assertProblem(401, "caller_invalid", introspect(token, "garbage"));
    assertProblem(
        401,
        "caller_invalid",
        introspect(token, CHATFRONT.assertion(claims -> {})),
        "an assertion for chatfront (chatserv's kind) is not one for auth");
    assertProblem(
        401,
        "caller_invalid",
        introspect(
            token,
            TestServiceKey.writeTo(Files.createTempDirectory("stranger"), "stranger")
                .assertion(this::chatfrontForAuth)),
        "signed by another key");
    String accessToken =
        (String) json(login(name, GOOD_PASSWORD, newAddress())).get("access_token");
    assertProblem(401, "caller_invalid", introspect(token, accessToken), "a person's token");

    for (String inactive :
        List.of("tcp_" + "A".repeat(43), token + "x", token.substring(4), "", "tcp_\u0000")) {
      HttpResponse<String> none = introspect(inactive, CHATFRONT.assertion(this::chatfrontForAuth));
      assertEquals(200, none.statusCode(), none.body());
      assertEquals(Map.of("active", false), json(none), "nothing more than inactive");
    }
  }

  @Test
  void aRevokedOrExpiredPersonalTokenIsInactiveAndOnlyItsOwnerRevokesIt() throws Exception {
    String refresh =
        (String) json(login(registered(), GOOD_PASSWORD, newAddress())).get("refresh_token");
    String stranger =
        (String) json(login(registered(), GOOD_PASSWORD, newAddress())).get("refresh_token");
    Map<String, Object> made = json(createPersonalToken(refresh, "bot", "[\"read\"]", 1));
    String token = (String) made.get("token");
    String id = (String) JSONObjectUtils.getJSONObject(made, "personal_token").get("id");
    assertEquals(
        "read", json(introspect(token, CHATFRONT.assertion(this::chatfrontForAuth))).get("scope"));

    assertProblem(
        404,
        "token_not_found",
        post("accounts/me/personal-tokens/" + id + "/revoke", proof(stranger), null));
    assertEquals(
        true, json(introspect(token, CHATFRONT.assertion(this::chatfrontForAuth))).get("active"));
    assertEquals(
        204,
        post("accounts/me/personal-tokens/" + id + "/revoke", proof(refresh), null).statusCode());
    assertEquals(
        Map.of("active", false),
        json(introspect(token, CHATFRONT.assertion(this::chatfrontForAuth))));
    Map<String, Object> listed =
        onlyToken(post("accounts/me/personal-tokens/list", proof(refresh), null));
    assertEquals(false, listed.get("active"));
    assertTrue(listed.get("revoked_at") != null);

    Map<String, Object> expiring = json(createPersonalToken(refresh, "old", "[\"write\"]", 1));
    String expiringToken = (String) expiring.get("token");
    assertEquals(
        true,
        json(introspect(expiringToken, CHATFRONT.assertion(this::chatfrontForAuth))).get("active"));
    try (var db = TestDatabase.connect()) {
      db.createStatement()
          .executeUpdate(
              "UPDATE accounts.personal_token SET expires_at = now() - interval '1 second'"
                  + " WHERE id = '"
                  + JSONObjectUtils.getJSONObject(expiring, "personal_token").get("id")
                  + "'");
    }
    assertEquals(
        Map.of("active", false),
        json(introspect(expiringToken, CHATFRONT.assertion(this::chatfrontForAuth))));
  }

  @Test
  void personalTokenRequestsAreBoundedAndNeedTheSession() throws Exception {
    String refresh =
        (String) json(login(registered(), GOOD_PASSWORD, newAddress())).get("refresh_token");
    assertProblem(400, "token_name_invalid", createPersonalToken(refresh, "", "[\"read\"]", 5));
    assertProblem(
        400, "token_name_invalid", createPersonalToken(refresh, "x".repeat(65), "[\"read\"]", 5));
    assertProblem(
        400, "token_name_invalid", createPersonalToken(refresh, "a\u202eb", "[\"read\"]", 5));
    assertProblem(400, "scopes_invalid", createPersonalToken(refresh, "n", "[]", 5));
    assertProblem(400, "scopes_invalid", createPersonalToken(refresh, "n", "[\"owner\"]", 5));
    assertProblem(400, "scopes_invalid", createPersonalToken(refresh, "n", "null", 5));
    assertProblem(400, "expiry_invalid", createPersonalToken(refresh, "n", "[\"read\"]", 0));
    assertProblem(400, "expiry_invalid", createPersonalToken(refresh, "n", "[\"read\"]", 367));
    assertProblem(401, "refresh_token_invalid", createPersonalToken("nope", "n", "[\"read\"]", 5));
    assertProblem(
        401,
        "refresh_token_invalid",
        post("accounts/me/personal-tokens/list", proof("nope"), null));
    assertProblem(
        404,
        "token_not_found",
        post("accounts/me/personal-tokens/not-an-id/revoke", proof(refresh), null));
    assertEquals(
        400, post("accounts/me/personal-tokens", "{\"name\":", null).statusCode(), "malformed");
    assertEquals(
        List.of(),
        JSONObjectUtils.getJSONArray(
            json(post("accounts/me/personal-tokens/list", proof(refresh), null)), "tokens"),
        "nothing was made");

    // admin (managing the rooms one owns in chatfront, issue 20) is a scope of its own.
    HttpResponse<String> admin = createPersonalToken(refresh, "n", "[\"read\",\"admin\"]", 5);
    assertEquals(201, admin.statusCode(), admin.body());
    assertEquals(
        List.of("read", "admin"),
        JSONObjectUtils.getJSONObject(json(admin), "personal_token").get("scopes"));
  }

  // ---- bot accounts (issue 20)

  @Test
  void aBotBelongsToThePersonWhoMadeItAndOnlyTheyMakeAndRevokeItsTokens() throws Exception {
    String owner = registered();
    String refresh = (String) json(login(owner, GOOD_PASSWORD, newAddress())).get("refresh_token");
    String stranger =
        (String) json(login(registered(), GOOD_PASSWORD, newAddress())).get("refresh_token");
    String botName = "ci-" + uniqueName();
    HttpResponse<String> made = createBot(refresh, botName, "Deploy bot");
    assertEquals(201, made.statusCode(), made.body());
    Map<String, Object> bot = json(made);
    String botId = (String) bot.get("id");
    assertEquals(botName, bot.get("username"));
    assertEquals("Deploy bot", bot.get("display_name"));
    assertProblem(401, "refresh_token_invalid", createBot("nope", "x" + botName, "x"));

    assertEquals(List.of(), bots(stranger), "another person's list does not show it");
    assertProblem(
        404,
        "bot_not_found",
        createBotToken(stranger, botId, "[\"write\"]", 30),
        "a stranger makes no token for it");
    HttpResponse<String> tokenMade = createBotToken(refresh, botId, "[\"read\",\"write\"]", 30);
    assertEquals(201, tokenMade.statusCode(), tokenMade.body());
    String token = (String) json(tokenMade).get("token");
    String tokenId =
        (String) JSONObjectUtils.getJSONObject(json(tokenMade), "personal_token").get("id");
    assertTrue(token.matches("tcp_[A-Za-z0-9_-]{43}"), "a personal token's shape");

    HttpResponse<String> active = introspect(token, CHATFRONT.assertion(this::chatfrontForAuth));
    Map<String, Object> answer = json(active);
    assertEquals(true, answer.get("active"), active.body());
    assertEquals(botId, answer.get("sub"), "the token acts as the bot");
    assertEquals(botName, answer.get("username"));
    assertEquals("Deploy bot", answer.get("name"));
    assertEquals(accountId(owner), answer.get("bot_owner"), "and says whose bot it is");

    List<Object> listed = bots(refresh);
    assertEquals(1, listed.size());
    @SuppressWarnings("unchecked")
    Map<String, Object> row = (Map<String, Object>) listed.get(0);
    assertEquals(1, ((Number) row.get("active_tokens")).intValue());
    assertTrue(row.get("last_used_at") != null, "the introspection is its last use");
    assertFalse(
        post("accounts/me/bots/" + botId + "/tokens/list", proof(refresh), null)
            .body()
            .contains(token),
        "the token is shown once");
    assertProblem(
        404,
        "bot_not_found",
        post("accounts/me/bots/" + botId + "/tokens/list", proof(stranger), null));
    assertProblem(
        404,
        "bot_not_found",
        post(
            "accounts/me/bots/" + botId + "/tokens/" + tokenId + "/revoke", proof(stranger), null));
    assertEquals(
        true, json(introspect(token, CHATFRONT.assertion(this::chatfrontForAuth))).get("active"));
    assertProblem(
        404,
        "token_not_found",
        post("accounts/me/personal-tokens/" + tokenId + "/revoke", proof(refresh), null),
        "the bot's token is not among its owner's own");
    assertEquals(
        204,
        post("accounts/me/bots/" + botId + "/tokens/" + tokenId + "/revoke", proof(refresh), null)
            .statusCode());
    assertEquals(
        Map.of("active", false),
        json(introspect(token, CHATFRONT.assertion(this::chatfrontForAuth))));
  }

  @Test
  void aBotNeitherLogsInNorRefreshesAndDeletingItEndsItsTokens() throws Exception {
    String refresh =
        (String) json(login(registered(), GOOD_PASSWORD, newAddress())).get("refresh_token");
    String botName = "bot" + uniqueName();
    String botId = (String) json(createBot(refresh, botName, null)).get("id");
    assertEquals(
        botName,
        bots(refresh).stream()
            .map(b -> ((Map<?, ?>) b).get("display_name"))
            .findFirst()
            .orElseThrow(),
        "a blank display name is the username");
    for (String password : List.of(GOOD_PASSWORD, "any password at all")) {
      assertProblem(
          401, "invalid_credentials", login(botName, password, newAddress()), "no password works");
    }
    assertProblem(
        409,
        "username_taken",
        register(botName.toUpperCase(), null, GOOD_PASSWORD),
        "a bot's username is taken for people too");
    try (var db = TestDatabase.connect();
        var sessions =
            db.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM accounts.refresh_token WHERE account_id = '"
                        + botId
                        + "'")) {
      assertTrue(sessions.next());
      assertEquals(0, sessions.getInt(1), "a bot never had a session to refresh");
    }

    String first = (String) json(createBotToken(refresh, botId, "[\"write\"]", 7)).get("token");
    String second = (String) json(createBotToken(refresh, botId, "[\"read\"]", 7)).get("token");
    assertEquals(
        true, json(introspect(first, CHATFRONT.assertion(this::chatfrontForAuth))).get("active"));
    assertEquals(
        204, post("accounts/me/bots/" + botId + "/delete", proof(refresh), null).statusCode());
    for (String token : List.of(first, second)) {
      assertEquals(
          Map.of("active", false),
          json(introspect(token, CHATFRONT.assertion(this::chatfrontForAuth))),
          "a deleted bot's tokens stop working");
    }
    assertEquals(List.of(), bots(refresh), "gone from the list");
    assertProblem(
        404, "bot_not_found", post("accounts/me/bots/" + botId + "/delete", proof(refresh), null));
    assertProblem(404, "bot_not_found", createBotToken(refresh, botId, "[\"read\"]", 7));
    assertProblem(
        409,
        "username_taken",
        createBot(refresh, botName, null),
        "its name stays with its messages");
  }

  @Test
  void botsAreBoundedInNameAndNumber() throws Exception {
    String refresh =
        (String) json(login(registered(), GOOD_PASSWORD, newAddress())).get("refresh_token");
    for (String invalid : List.of("", "ab", "x".repeat(33), "-lead", "has space", "b\u00f6t")) {
      assertProblem(400, "username_invalid", createBot(refresh, invalid, null), invalid);
    }
    assertProblem(
        400, "display_name_invalid", createBot(refresh, "b" + uniqueName(), "x".repeat(65)));
    assertProblem(400, "display_name_invalid", createBot(refresh, "b" + uniqueName(), "a\u0007b"));
    String person = registered();
    assertProblem(409, "username_taken", createBot(refresh, person, null), "a person's name");
    assertProblem(
        404, "bot_not_found", post("accounts/me/bots/not-an-id/tokens/list", proof(refresh), null));
    assertProblem(
        404,
        "bot_not_found",
        post("accounts/me/bots/" + accountId(person) + "/delete", proof(refresh), null),
        "a person is nobody's bot");
    assertEquals(400, post("accounts/me/bots", "{\"username\":", null).statusCode(), "malformed");
    assertEquals(List.of(), bots(refresh), "nothing was made");

    String lastId = null;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> made = createBot(refresh, "b" + i + uniqueName(), null);
      assertEquals(201, made.statusCode(), made.body());
      lastId = (String) json(made).get("id");
    }
    assertProblem(409, "too_many_bots", createBot(refresh, "b" + uniqueName(), null));
    assertEquals(
        204, post("accounts/me/bots/" + lastId + "/delete", proof(refresh), null).statusCode());
    assertEquals(
        201, createBot(refresh, "b" + uniqueName(), null).statusCode(), "a deleted one frees room");
  }

  private HttpResponse<String> createBot(String refreshToken, String username, String displayName)
      throws Exception {
    return post(
        "accounts/me/bots",
        "{\"refresh_token\":"
            + quote(refreshToken)
            + ",\"username\":"
            + quote(username)
            + (displayName == null ? "" : ",\"display_name\":" + quote(displayName))
            + "}",
        null);
  }

  private HttpResponse<String> createBotToken(
      String refreshToken, String botId, String scopesJson, int days) throws Exception {
    HttpResponse<String> made =
        post(
            "accounts/me/bots/" + botId + "/tokens",
            "{\"refresh_token\":"
                + quote(refreshToken)
                + ",\"name\":\"deploys\",\"scopes\":"
                + scopesJson
                + ",\"expires_in_days\":"
                + days
                + "}",
            null);
    if (made.statusCode() == 201) {
      SECRETS.add((String) json(made).get("token"));
    }
    return made;
  }

  private List<Object> bots(String refreshToken) throws Exception {
    HttpResponse<String> list = post("accounts/me/bots/list", proof(refreshToken), null);
    assertEquals(200, list.statusCode(), list.body());
    return JSONObjectUtils.getJSONArray(json(list), "bots");
  }

  private static String accountId(String username) throws Exception {
    try (var db = TestDatabase.connect();
        var row =
            db.createStatement()
                .executeQuery(
                    "SELECT id FROM accounts.account WHERE username = '" + username + "'")) {
      assertTrue(row.next(), username);
      return row.getString(1);
    }
  }

  private void chatfrontForAuth(JWTClaimsSet.Builder claims) {
    claims.issuer("chatfront").subject("chatfront").audience("auth");
  }

  private HttpResponse<String> createPersonalToken(
      String refreshToken, String name, String scopesJson, int days) throws Exception {
    HttpResponse<String> made =
        post(
            "accounts/me/personal-tokens",
            "{\"refresh_token\":"
                + quote(refreshToken)
                + ",\"name\":"
                + quote(name)
                + ",\"scopes\":"
                + scopesJson
                + ",\"expires_in_days\":"
                + days
                + "}",
            null);
    if (made.statusCode() == 201) {
      SECRETS.add((String) json(made).get("token"));
    }
    return made;
  }

  private static String proof(String refreshToken) {
    return "{\"refresh_token\":" + quote(refreshToken) + "}";
  }

  private static Map<String, Object> onlyToken(HttpResponse<String> list) throws Exception {
    List<Object> tokens = JSONObjectUtils.getJSONArray(json(list), "tokens");
    assertEquals(1, tokens.size(), list.body());
    @SuppressWarnings("unchecked")
    Map<String, Object> token = (Map<String, Object>) tokens.get(0);
    return token;
  }

  private HttpResponse<String> introspect(String token, String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "tokens/introspect"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
      SECRETS.add(bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertProblem(
      int status, String code, HttpResponse<String> response, String why) throws Exception {
    assertEquals(status, response.statusCode(), why + ": " + response.body());
    assertEquals(code, json(response).get("code"), why + ": " + response.body());
  }

  /** Run after all tests: the log of the whole class must hold none of its secrets. */
  @AfterAll
  static void noPasswordOrTokenInTheServerLog() throws Exception {
    assertTrue(SECRETS.size() > 100, "the tests handled passwords and tokens: " + SECRETS.size());
    ServerLog.assertHoldsNone(SECRETS, "Schema accounts at version");
  }

  // ---- helpers

  private static String uniqueName() {
    return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static String newAddress() {
    int n = ADDRESSES.incrementAndGet();
    return "10.77." + (n / 250) + "." + (n % 250 + 1);
  }

  @Test
  void registrationsPerAddressAreLimitedAndLoginFollowsTheOneCanonicalName() throws Exception {
    // Finding 12: one address, five accounts (the IT's limit), then 429 with Retry-After.
    String address = newAddress();
    for (int i = 0; i < 5; i++) {
      String name = uniqueName();
      assertEquals(201, registerFrom(address, name).statusCode(), "registration " + i);
    }
    HttpResponse<String> sixth = registerFrom(address, uniqueName());
    assertProblem(429, "too_many_registrations", sixth);
    assertTrue(sixth.headers().firstValue("Retry-After").isPresent());
    assertEquals(201, registerFrom(newAddress(), uniqueName()).statusCode(), "another address");

    // Finding 5: İ is not a second spelling of i, and case shares one throttle bucket.
    String vicki = "vicki" + uniqueName().substring(0, 6).toLowerCase(java.util.Locale.ROOT);
    assertEquals(201, register(vicki, null, GOOD_PASSWORD).statusCode());
    assertEquals(
        401, login("v\u0130" + vicki.substring(2), GOOD_PASSWORD, newAddress()).statusCode());
    assertEquals(401, login(vicki + "\u0000", GOOD_PASSWORD, newAddress()).statusCode());
    assertEquals(
        200,
        login(vicki.toUpperCase(java.util.Locale.ROOT), GOOD_PASSWORD, newAddress()).statusCode());
  }

  @Test
  void tokenResponsesAreNeverStoredAndSigningKeysAreStoredSealed() throws Exception {
    String name = registered();
    HttpResponse<String> tokens = login(name, GOOD_PASSWORD, newAddress());
    assertEquals(200, tokens.statusCode());
    assertEquals("no-store", tokens.headers().firstValue("Cache-Control").orElse(""));
    assertEquals("no-cache", tokens.headers().firstValue("Pragma").orElse(""));
    HttpResponse<String> refused = login(name, "wrong password entirely", newAddress());
    assertEquals("no-store", refused.headers().firstValue("Cache-Control").orElse(""));
    HttpResponse<String> keys = get(base + ".well-known/jwks.json");
    assertTrue(keys.body().contains("\"kty\":\"RSA\""), keys.body());
    // Finding 10: no private key lies in the database as a plain PKCS#8 key (first byte 0x30).
    try (var db = TestDatabase.connect();
        var rows =
            db.createStatement()
                .executeQuery("SELECT kid, private_key FROM accounts.signing_key")) {
      int count = 0;
      while (rows.next()) {
        count++;
        byte[] stored = rows.getBytes("private_key");
        assertEquals(0x01, stored[0], "key " + rows.getString("kid") + " is stored sealed");
      }
      assertTrue(count > 0);
    }
  }

  @Test
  void refusalsOfTheFrameworkItselfAreProblemJsonToo() throws Exception {
    HttpResponse<String> wrongType =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "accounts"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(415, wrongType.statusCode());
    assertTrue(wrongType.body().contains("\"code\""), wrongType.body());
    assertTrue(!wrongType.body().contains("Payara"), wrongType.body());
    HttpResponse<String> wadl = get(base + "application.wadl");
    assertEquals(404, wadl.statusCode());
  }

  @Test
  void aClientBuiltFromTheOpenApiDocumentRegistersAndLogsIn() throws Exception {
    HttpResponse<String> document =
        http.send(
            HttpRequest.newBuilder(URI.create(serverRoot() + "/openapi"))
                .header("Accept", "application/json")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, document.statusCode(), document.body());
    Map<String, Object> openapi = JSONObjectUtils.parse(document.body());
    assertEquals(
        Set.of(
            "/accounts",
            "/accounts/me/display-name",
            "/accounts/me/password",
            "/accounts/me/sign-out-everywhere",
            "/accounts/me/personal-tokens",
            "/accounts/me/personal-tokens/list",
            "/accounts/me/personal-tokens/{id}/revoke",
            "/accounts/me/bots",
            "/accounts/me/bots/list",
            "/accounts/me/bots/{bot}/delete",
            "/accounts/me/bots/{bot}/tokens",
            "/accounts/me/bots/{bot}/tokens/list",
            "/accounts/me/bots/{bot}/tokens/{token}/revoke",
            "/tokens",
            "/tokens/introspect",
            "/tokens/refresh",
            "/tokens/revoke",
            "/.well-known/jwks.json",
            "/revocations"),
        JSONObjectUtils.getJSONObject(openapi, "paths").keySet());
    Map<String, Object> schemas =
        JSONObjectUtils.getJSONObject(
            JSONObjectUtils.getJSONObject(openapi, "components"), "schemas");
    String name = uniqueName();
    // Every documented property of a new account, by the document's own names.
    Map<String, Object> values =
        Map.of("username", name, "display_name", "From the Document", "password", GOOD_PASSWORD);
    Map<String, Object> account = new java.util.LinkedHashMap<>();
    for (String property :
        JSONObjectUtils.getJSONObject(
                JSONObjectUtils.getJSONObject(schemas, "NewAccount"), "properties")
            .keySet()) {
      account.put(property, values.get(property));
    }
    SECRETS.add(GOOD_PASSWORD);
    HttpResponse<String> created =
        post("accounts", JSONObjectUtils.toJSONString(account), newAddress());
    assertEquals(201, created.statusCode(), created.body());
    Map<String, Object> view = JSONObjectUtils.parse(created.body());
    for (String field :
        JSONObjectUtils.getStringList(
            JSONObjectUtils.getJSONObject(schemas, "Account"), "required")) {
      assertTrue(view.containsKey(field), "documented field " + field + " in " + view);
    }
    assertEquals("From the Document", view.get("display_name"));
    Map<String, Object> credentials = new java.util.LinkedHashMap<>();
    for (String field :
        JSONObjectUtils.getStringList(
            JSONObjectUtils.getJSONObject(schemas, "Credentials"), "required")) {
      credentials.put(field, values.get(field));
    }
    HttpResponse<String> tokens =
        post("tokens", JSONObjectUtils.toJSONString(credentials), newAddress());
    assertEquals(200, tokens.statusCode(), tokens.body());
    Map<String, Object> pair = JSONObjectUtils.parse(tokens.body());
    SECRETS.add(String.valueOf(pair.get("access_token")));
    SECRETS.add(String.valueOf(pair.get("refresh_token")));
    for (String field :
        JSONObjectUtils.getStringList(
            JSONObjectUtils.getJSONObject(schemas, "TokenPair"), "required")) {
      assertTrue(pair.containsKey(field), "documented field " + field);
    }
  }

  private HttpResponse<String> registerFrom(String address, String username) throws Exception {
    SECRETS.add(GOOD_PASSWORD);
    return post(
        "accounts",
        "{\"username\":" + quote(username) + ",\"password\":" + quote(GOOD_PASSWORD) + "}",
        address);
  }

  private String registered() throws Exception {
    String name = uniqueName();
    assertEquals(201, register(name, null, GOOD_PASSWORD).statusCode());
    return name;
  }

  private HttpResponse<String> register(String username, String displayName, String password)
      throws Exception {
    if (password != null) {
      SECRETS.add(password);
    }
    return post(
        "accounts",
        "{\"username\":"
            + quote(username)
            + ",\"display_name\":"
            + quote(displayName)
            + ",\"password\":"
            + quote(password)
            + "}",
        newAddress()); // each from its own address: registrations per address are limited
  }

  private HttpResponse<String> login(String username, String password, String address)
      throws Exception {
    SECRETS.add(password);
    HttpResponse<String> response =
        post(
            "tokens",
            "{\"username\":" + quote(username) + ",\"password\":" + quote(password) + "}",
            address);
    rememberTokens(response);
    return response;
  }

  private HttpResponse<String> refresh(String refreshToken) throws Exception {
    HttpResponse<String> response =
        post("tokens/refresh", "{\"refresh_token\":" + quote(refreshToken) + "}", null);
    rememberTokens(response);
    return response;
  }

  private static void rememberTokens(HttpResponse<String> response) throws Exception {
    if (response.statusCode() == 200) {
      Map<String, Object> tokens = json(response);
      SECRETS.add((String) tokens.get("access_token"));
      if (tokens.get("refresh_token") != null) {
        SECRETS.add((String) tokens.get("refresh_token"));
      }
    }
  }

  private List<Object> revokedSessions() throws Exception {
    HttpResponse<String> revocations = get(base + "revocations");
    assertEquals(200, revocations.statusCode());
    return JSONObjectUtils.getJSONArray(
        JSONObjectUtils.parse(revocations.body()), "revoked_sessions");
  }

  private boolean verifiesWithJwks(SignedJWT jwt) throws Exception {
    JWKSet set = JWKSet.parse(get(base + ".well-known/jwks.json").body());
    RSAKey key = (RSAKey) set.getKeyByKeyId(jwt.getHeader().getKeyID());
    return key != null && jwt.verify(new RSASSAVerifier(key));
  }

  private HttpResponse<String> changeDisplayName(String refreshToken, String displayName)
      throws Exception {
    return put(
        "accounts/me/display-name",
        "{\"refresh_token\":"
            + quote(refreshToken)
            + ",\"display_name\":"
            + quote(displayName)
            + "}",
        null);
  }

  private HttpResponse<String> changePassword(
      String refreshToken, String currentPassword, String newPassword) throws Exception {
    return changePassword(refreshToken, currentPassword, newPassword, newAddress());
  }

  private HttpResponse<String> changePassword(
      String refreshToken, String currentPassword, String newPassword, String address)
      throws Exception {
    SECRETS.add(currentPassword);
    SECRETS.add(newPassword);
    return put(
        "accounts/me/password",
        "{\"refresh_token\":"
            + quote(refreshToken)
            + ",\"current_password\":"
            + quote(currentPassword)
            + ",\"new_password\":"
            + quote(newPassword)
            + "}",
        address);
  }

  private HttpResponse<String> post(String path, String body, String forwardedFor)
      throws Exception {
    return send("POST", path, body, forwardedFor);
  }

  private HttpResponse<String> put(String path, String body, String forwardedFor) throws Exception {
    return send("PUT", path, body, forwardedFor);
  }

  private HttpResponse<String> send(String method, String path, String body, String forwardedFor)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String serverRoot() {
    return "http://127.0.0.1:" + base.getPort();
  }

  private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
    return JSONObjectUtils.parse(response.body());
  }

  private static void assertProblem(int status, String code, HttpResponse<String> response)
      throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(code, json(response).get("code"), response.body());
  }

  private static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
