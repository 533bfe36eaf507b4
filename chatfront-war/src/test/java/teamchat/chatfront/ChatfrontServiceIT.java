package teamchat.chatfront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import teamchat.localpostgres.TestDatabase;
import teamchat.tokentestkit.ForgedTokens;
import teamchat.tokentestkit.ServerLog;
import teamchat.tokentestkit.TestAuthority;

/**
 * The chatfront WAR as built, on Payara Micro with the project's domain config and a real
 * PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
class ChatfrontServiceIT {

  @Deployment(testable = false)
  static WebArchive builtWar() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("teamchat.test.war")));
  }

  @ArquillianResource URL base;

  /** HTTP/1.1 as browsers behind nginx speak it; no h2c upgrade in between. */
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void readinessIncludesTheDatabase() throws Exception {
    HttpResponse<String> ready = get(URI.create(serverRoot() + "/health/ready"));
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(
        ready
            .body()
            .matches("(?s).*\"name\"\\s*:\\s*\"database\"\\s*,\\s*\"status\"\\s*:\\s*\"UP\".*"),
        ready.body());
  }

  @Test
  void startupMigratedTheChatSchema() throws Exception {
    assertEquals("1", TestDatabase.migratedVersion("chat"));
    for (String table :
        new String[] {"chat_user", "room", "direct_room", "membership", "message"}) {
      assertTrue(TestDatabase.tableExists("chat", table), "table chat." + table);
    }
  }

  @Test
  void servesTheWelcomePageAsHtmlWithoutSessionIdInLinks() throws Exception {
    HttpResponse<String> page = get(base.toURI());
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("<title>Team chat</title>"), page.body());
    assertTrue(page.body().contains("css/chat.css"), "stylesheet linked");
    assertTrue(!page.body().contains("jsessionid"), "no session id in URLs");
  }

  // ---- the REST API's token checks (tokens from a test-only authority standing in for auth)

  private static TestAuthority authority;

  @BeforeAll
  static void startTestAuthority() {
    authority = TestAuthority.startOnReservedPort();
  }

  @AfterAll
  static void stopTestAuthorityAndCheckTheLog() throws Exception {
    authority.close();
    // Every token this class sent, valid or forged: none may have been logged.
    ServerLog.assertHoldsNone(authority.issued(), "Schema chat at version");
  }

  @Test
  void apiAnswersTheRightPersonRefusesTheAnonymousAndForbidsOtherRoles() throws Exception {
    String subject = UUID.randomUUID().toString();
    HttpResponse<String> me = api("me", authority.userToken(subject, "ada"));
    assertEquals(200, me.statusCode(), me.body());
    assertTrue(me.body().contains(subject) && me.body().contains("ada"), me.body());

    assertEquals(401, api("me", null).statusCode(), "no token");
    assertEquals(
        403, api("me", authority.serviceToken("chatserv")).statusCode(), "a service is not a user");
  }

  @Test
  void everyForgedTokenIsRefused() throws Exception {
    assertEquals(
        200, api("me", authority.userToken("control", "control")).statusCode(), "positive control");
    Map<String, String> forged = ForgedTokens.against(authority);
    StringBuilder accepted = new StringBuilder();
    for (Map.Entry<String, String> attack : forged.entrySet()) {
      int status;
      try {
        status = api("me", attack.getValue()).statusCode();
      } catch (IOException closed) {
        status = 400; // the server would not even read the request (the 64 KB header): refused
      }
      if (status < 400 || status >= 500) {
        accepted.append(attack.getKey()).append(" -> ").append(status).append('\n');
      }
    }
    assertEquals("", accepted.toString(), "forged tokens not refused with a 4xx");
    assertTrue(forged.size() >= 19, "the whole matrix ran: " + forged.size());
  }

  @Test
  void aRevokedSessionIsRefusedWithinOneSecond() throws Exception {
    String sid = UUID.randomUUID().toString();
    String token = authority.token(c -> c.claim("sid", sid));
    assertEquals(200, api("me", token).statusCode());
    authority.revoke(sid);
    long revokedAt = System.nanoTime();
    int status = 200;
    while (status == 200 && System.nanoTime() - revokedAt < 3_000_000_000L) {
      Thread.sleep(50);
      status = api("me", token).statusCode();
    }
    long millis = (System.nanoTime() - revokedAt) / 1_000_000;
    assertEquals(401, status, "refused after logout");
    assertTrue(millis <= 1000, "refused " + millis + " ms after the revocation was published");
  }

  private HttpResponse<String> api(String path, String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(serverRoot() + base.getPath().replaceAll("/$", "") + "/api/" + path))
            .GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String serverRoot() {
    return base.getProtocol() + "://" + base.getAuthority();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
