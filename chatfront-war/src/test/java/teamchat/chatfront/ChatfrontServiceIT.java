package teamchat.chatfront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import teamchat.localpostgres.TestDatabase;

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

  private final HttpClient http = HttpClient.newHttpClient();

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

  private String serverRoot() {
    return base.getProtocol() + "://" + base.getAuthority();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
