package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teamchat.localpostgres.LocalPostgres;

/**
 * {@code ./chat up} as a developer runs it: it boots the three services on a real PostgreSQL,
 * refuses a second instance, and leaves nothing running after SIGINT. Ports are free ones picked
 * now, so a developer's own {@code ./chat up} on 8080-8082 does not get in the way.
 */
class ChatUpIT {

  @TempDir Path dataDirectory;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .build(); // no h2c upgrade with Payara

  @Test
  void upServesEverythingRefusesASecondInstanceAndStopsCleanlyOnSigint() throws Exception {
    RunningSystem system = RunningSystem.start(dataDirectory);
    String transcript = system.transcript.toString();
    assertTrue(transcript.contains("starting"), "progress shown while booting:\n" + transcript);
    assertTrue(system.postgresPort > 0, "embedded PostgreSQL reported its port:\n" + transcript);
    List<ProcessHandle> started = system.children();
    boolean stopped = false;
    try {
      // PostgreSQL is not among them: pg_ctl starts it detached. Its port is checked at the end.
      assertTrue(started.size() >= 3, "the three services run as children: " + started);
      for (int port : new int[] {system.chatfrontPort, system.authPort, system.chatservPort}) {
        HttpResponse<String> ready = get("http://127.0.0.1:" + port + "/health/ready");
        assertEquals(200, ready.statusCode(), "readiness on " + port + ": " + ready.body());
        assertTrue(ready.body().contains("\"status\":\"UP\""), ready.body());
      }
      for (int port : new int[] {system.chatfrontPort, system.authPort}) {
        assertTrue(
            get("http://127.0.0.1:" + port + "/health/ready")
                .body()
                .contains("\"name\":\"database\""),
            "readiness of the service on " + port + " includes its database");
      }
      HttpResponse<String> page = get("http://127.0.0.1:" + system.chatfrontPort + "/");
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("· Team chat</title>"), page.body());
      assertTrue(
          greeting(system.chatservPort).contains("\"type\":\"hello\""), "chatserv answers at /ws");

      Process second = RunningSystem.chatUp(system.environment);
      String secondOutput =
          new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(second.waitFor(60, TimeUnit.SECONDS), "second ./chat up returns at once");
      assertEquals(3, second.exitValue(), secondOutput);
      assertTrue(secondOutput.contains("already running"), secondOutput);
    } finally {
      stopped = system.stop();
    }
    assertTrue(stopped, "./chat up ended within 90 s of SIGINT");
    for (ProcessHandle child : started) {
      assertFalse(child.isAlive(), "left running after SIGINT: " + child.info());
    }
    for (int port :
        new int[] {
          system.chatfrontPort, system.authPort, system.chatservPort, system.postgresPort
        }) {
      assertFalse(accepting(port), "port " + port + " still open after SIGINT");
    }
    assertSchemasKept();
  }

  /** The database outlives the run: its data folder holds both services' migrated schemas. */
  private void assertSchemasKept() throws Exception {
    try (LocalPostgres again = LocalPostgres.start(dataDirectory.resolve("postgres"), 0, null);
        Connection db = DriverManager.getConnection(again.jdbcUrl(), LocalPostgres.USER, "");
        ResultSet rows =
            db.createStatement()
                .executeQuery(
                    "SELECT (SELECT count(*) FROM accounts.flyway_schema_history WHERE success)"
                        + " + (SELECT count(*) FROM chat.flyway_schema_history WHERE success)")) {
      rows.next();
      assertTrue(rows.getInt(1) >= 2, "migrations of auth and chatfront recorded in the kept data");
    }
  }

  private String greeting(int port) throws Exception {
    var first = new CompletableFuture<String>();
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/ws"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    first.complete(data.toString());
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try {
      return first.get(10, TimeUnit.SECONDS);
    } finally {
      socket.abort();
    }
  }

  private HttpResponse<String> get(String uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean accepting(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
