package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teamchat.localpostgres.LocalPostgres;

/**
 * {@code ./chat up} as a developer runs it: it boots the three services on a real PostgreSQL,
 * refuses a second instance, and leaves nothing running after SIGINT. Ports are free ones picked
 * now, so a developer's own {@code ./chat up} on 8080-8082 does not get in the way.
 */
class ChatUpIT {

  private static final Path ROOT = Path.of(System.getProperty("teamchat.root"));
  private static final long BOOT_TIMEOUT_SECONDS = 300;

  @TempDir Path dataDirectory;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void upServesEverythingRefusesASecondInstanceAndStopsCleanlyOnSigint() throws Exception {
    int chatfront = freePort();
    int auth = freePort();
    int chatserv = freePort();
    Map<String, String> environment =
        Map.of(
            "CHATFRONT_PORT", Integer.toString(chatfront),
            "AUTH_PORT", Integer.toString(auth),
            "CHATSERV_PORT", Integer.toString(chatserv),
            "CHAT_DATA_DIR", dataDirectory.toString());

    Process up = chatUp(environment);
    var lines = new LinkedBlockingQueue<String>();
    StringBuilder transcript = new StringBuilder();
    Thread reader = readLines(up, lines);
    int postgresPort = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOOT_TIMEOUT_SECONDS);
    Pattern postgresReady = Pattern.compile("ready on 127\\.0\\.0\\.1:(\\d+)");
    while (true) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        transcript.append(line).append('\n');
        Matcher matcher = postgresReady.matcher(line);
        if (matcher.find()) {
          postgresPort = Integer.parseInt(matcher.group(1));
        }
        if (line.startsWith("Team chat is running: open http://localhost:" + chatfront + "/")) {
          break;
        }
      }
      if (!up.isAlive() && lines.isEmpty()) {
        fail("./chat up ended with " + up.exitValue() + " before it was ready:\n" + transcript);
      }
      if (System.nanoTime() > deadline) {
        up.destroy();
        fail("./chat up not ready after " + BOOT_TIMEOUT_SECONDS + " s:\n" + transcript);
      }
    }
    assertTrue(
        transcript.toString().contains("starting"), "progress shown while booting:\n" + transcript);
    assertTrue(postgresPort > 0, "embedded PostgreSQL reported its port:\n" + transcript);
    List<ProcessHandle> started = up.descendants().toList();
    // PostgreSQL is not among them: pg_ctl starts it detached. Its port is checked at the end.
    assertTrue(started.size() >= 3, "the three services run as children: " + started);

    try {
      for (int port : new int[] {chatfront, auth, chatserv}) {
        HttpResponse<String> ready = get("http://127.0.0.1:" + port + "/health/ready");
        assertEquals(200, ready.statusCode(), "readiness on " + port + ": " + ready.body());
        assertTrue(ready.body().contains("\"status\":\"UP\""), ready.body());
      }
      for (int port : new int[] {chatfront, auth}) {
        assertTrue(
            get("http://127.0.0.1:" + port + "/health/ready")
                .body()
                .contains("\"name\":\"database\""),
            "readiness of the service on " + port + " includes its database");
      }
      HttpResponse<String> page = get("http://127.0.0.1:" + chatfront + "/");
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("<title>Team chat</title>"), page.body());
      assertTrue(greeting(chatserv).contains("\"type\":\"hello\""), "chatserv answers at /ws");

      Process second = chatUp(environment);
      String secondOutput =
          new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(second.waitFor(60, TimeUnit.SECONDS), "second ./chat up returns at once");
      assertEquals(3, second.exitValue(), secondOutput);
      assertTrue(secondOutput.contains("already running"), secondOutput);
    } finally {
      new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).inheritIO().start().waitFor();
      boolean ended = up.waitFor(90, TimeUnit.SECONDS);
      reader.join(5000);
      if (!ended) {
        up.destroyForcibly();
        started.forEach(ProcessHandle::destroyForcibly);
        fail("./chat up still running 90 s after SIGINT");
      }
    }

    for (ProcessHandle child : started) {
      assertTrue(
          child.onExit().isDone() || !child.isAlive(),
          "left running after SIGINT: " + child.info());
    }
    for (int port : new int[] {chatfront, auth, chatserv, postgresPort}) {
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

  private static Process chatUp(Map<String, String> environment) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(ROOT.resolve("chat").toString(), "up")
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(environment);
    return builder.start();
  }

  private static Thread readLines(Process process, LinkedBlockingQueue<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  System.out.println("[chat up] " + line);
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(output closed: " + e.getMessage() + ")");
              }
            },
            "chat-up-output");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  private HttpResponse<String> get(String uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
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
