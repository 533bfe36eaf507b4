package teamchat.auth;

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
 * The auth WAR as built, on Payara Micro with the project's domain config and a real PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
class AuthServiceIT {

  @Deployment(testable = false)
  static WebArchive builtWar() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("teamchat.test.war")));
  }

  @ArquillianResource URL base;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readinessIncludesTheDatabase() throws Exception {
    HttpResponse<String> ready = get("/health/ready");
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(
        ready
            .body()
            .matches("(?s).*\"name\"\\s*:\\s*\"database\"\\s*,\\s*\"status\"\\s*:\\s*\"UP\".*"),
        ready.body());
  }

  @Test
  void livenessIsUp() throws Exception {
    HttpResponse<String> live = get("/health/live");
    assertEquals(200, live.statusCode(), live.body());
    assertTrue(live.body().contains("\"UP\""), live.body());
  }

  @Test
  void startupMigratedTheAccountsSchema() throws Exception {
    assertEquals("1", TestDatabase.migratedVersion("accounts"));
    assertTrue(TestDatabase.tableExists("accounts", "account"));
  }

  private HttpResponse<String> get(String serverPath) throws Exception {
    URI uri = URI.create(base.getProtocol() + "://" + base.getAuthority() + serverPath);
    return http.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
