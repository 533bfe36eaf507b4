package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teamchat.launcher.ReadyFile;
import teamchat.localpostgres.LocalPostgres;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.JsonBodies;

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
    assertTrue(system.postgresPort() > 0, "the ready file names the embedded PostgreSQL's port");
    List<ProcessHandle> started = system.children();
    boolean stopped = false;
    try {
      // PostgreSQL is not among them: pg_ctl starts it detached. Its port is checked at the end.
      assertTrue(started.size() >= 3, "the three services run as children: " + started);
      assertReadyFileDescribesWhatRuns(system, started);
      for (int port : new int[] {system.chatfrontPort, system.authPort, system.chatservPort}) {
        HttpResponse<String> ready = get("http://127.0.0.1:" + port + "/health/ready");
        assertEquals(200, ready.statusCode(), "readiness on " + port + ": " + ready.body());
        assertEquals("UP", JsonBodies.parse(ready.body()).getString("status"), ready.body());
      }
      for (int port : new int[] {system.chatfrontPort, system.authPort}) {
        JsonObject ready =
            JsonBodies.parse(get("http://127.0.0.1:" + port + "/health/ready").body());
        assertTrue(
            ready.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .anyMatch(check -> "database".equals(check.getString("name", null))),
            "readiness of the service on " + port + " includes its database: " + ready);
      }
      HttpResponse<String> page = get("http://127.0.0.1:" + system.chatfrontPort + "/");
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("· Team chat</title>"), page.body());
      try (ChatClient greeted = ChatClient.connectUnauthenticated(system.webSocket())) {
        // connectUnauthenticated waits for the hello frame: chatserv answers at /ws.
      }
      assertTheStackIsNoSoftTarget(system);

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
    assertFalse(Files.exists(ReadyFile.in(dataDirectory)), "the ready file is removed on stop");
    for (ProcessHandle child : started) {
      assertFalse(child.isAlive(), "left running after SIGINT: " + child.info());
    }
    for (int port :
        new int[] {
          system.chatfrontPort, system.authPort, system.chatservPort, system.postgresPort()
        }) {
      assertFalse(accepting(port), "port " + port + " still open after SIGINT");
    }
    assertSchemasKept();
  }

  /**
   * Issue 13, finding 10: PostgreSQL asks everyone for a password, each service works as its own
   * role and cannot read the other's schema, the secrets are private files that no log or output
   * shows, and nothing listens on an address other machines can reach.
   */
  private void assertTheStackIsNoSoftTarget(RunningSystem system) throws Exception {
    String url = system.jdbcUrl();
    for (String password : new String[] {"", "postgres", "local"}) {
      assertThrows(
          java.sql.SQLException.class,
          () -> DriverManager.getConnection(url, "postgres", password).close(),
          "the superuser connects with password '" + password + "'");
    }
    try (Connection auth =
            DriverManager.getConnection(url, "teamchat_auth", system.secret("db-teamchat_auth"));
        Connection chatfront = system.chatDatabase()) {
      assertDenied(auth, "SELECT count(*) FROM chat.message");
      assertDenied(chatfront, "SELECT count(*) FROM accounts.account");
      assertOwner(auth, "accounts", "teamchat_auth");
      assertOwner(chatfront, "chat", "teamchat_chatfront");
    }
    Path secrets = dataDirectory.resolve("secrets");
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
    List<String> values = new ArrayList<>();
    try (var files = Files.list(secrets)) {
      for (Path secret : files.toList()) {
        assertEquals(
            "rw-------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)),
            secret.toString());
        List<String> lines = Files.readAllLines(secret);
        // A key file (chatserv's assertion key pair) starts with its PEM header: its first line
        // of key material is what must never show.
        values.add(lines.get(0).startsWith("-----BEGIN") ? lines.get(1) : lines.get(0));
      }
    }
    assertTrue(
        values.size() >= 6,
        "superuser, two roles, auth's key secret, chatserv's key pair: " + values.size());
    try (var logs = Files.list(dataDirectory.resolve("logs"))) {
      for (Path log : logs.toList()) {
        String text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String value : values) {
          assertFalse(text.contains(value), "a secret in " + log.getFileName());
        }
      }
    }
    for (String value : values) {
      assertFalse(system.transcript.toString().contains(value), "a secret on ./chat up's output");
    }
    List<java.net.InetAddress> elsewhere = new ArrayList<>();
    for (var network :
        java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      for (var address : java.util.Collections.list(network.getInetAddresses())) {
        if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          elsewhere.add(address);
        }
      }
    }
    System.out.println("[ChatUpIT] addresses other than loopback: " + elsewhere);
    for (var address : elsewhere) {
      for (int port :
          new int[] {
            system.chatfrontPort, system.authPort, system.chatservPort, system.postgresPort()
          }) {
        assertFalse(
            accepting(new InetSocketAddress(address, port)),
            "port " + port + " answers on " + address.getHostAddress());
      }
    }
  }

  private static void assertDenied(Connection db, String query) {
    java.sql.SQLException denied =
        assertThrows(java.sql.SQLException.class, () -> db.createStatement().executeQuery(query));
    assertEquals("42501", denied.getSQLState(), query + ": " + denied.getMessage());
  }

  private static void assertOwner(Connection db, String schema, String role) throws Exception {
    try (ResultSet rows =
        db.createStatement()
            .executeQuery(
                "SELECT count(*), count(*) FILTER (WHERE relowner = '"
                    + role
                    + "'::regrole) FROM pg_class WHERE relnamespace = '"
                    + schema
                    + "'::regnamespace")) {
      rows.next();
      assertTrue(rows.getInt(1) > 0, "Flyway made tables in " + schema);
      assertEquals(
          rows.getInt(1), rows.getInt(2), "everything in " + schema + " is " + role + "'s");
    }
  }

  /** The database outlives the run: its data folder holds both services' migrated schemas. */
  private void assertSchemasKept() throws Exception {
    try (LocalPostgres again =
            LocalPostgres.startWithPasswords(
                dataDirectory.resolve("postgres"),
                0,
                null,
                dataDirectory.resolve("secrets/" + RunningSystem.SUPERUSER_SECRET));
        Connection db = again.superuserDataSource().getConnection();
        ResultSet rows =
            db.createStatement()
                .executeQuery(
                    "SELECT (SELECT count(*) FROM accounts.flyway_schema_history WHERE success)"
                        + " + (SELECT count(*) FROM chat.flyway_schema_history WHERE success)")) {
      rows.next();
      assertTrue(rows.getInt(1) >= 2, "migrations of auth and chatfront recorded in the kept data");
    }
  }

  /**
   * The ready file names this {@code ./chat up}, its three services with their ports, addresses and
   * processes, and the public addresses, so that programs never read the console.
   */
  private void assertReadyFileDescribesWhatRuns(RunningSystem system, List<ProcessHandle> started)
      throws Exception {
    ReadyFile ready = ReadyFile.read(dataDirectory).orElseThrow();
    assertEquals(system.ready, ready);
    assertEquals(
        List.of("auth", "chatfront", "chatserv"),
        ready.services().stream().map(ReadyFile.RunningService::name).toList());
    assertEquals(system.authPort, ready.service("auth").port());
    assertEquals(system.chatfrontPort, ready.service("chatfront").port());
    assertEquals(system.chatservPort, ready.service("chatserv").port());
    assertEquals("ws://127.0.0.1:" + system.chatservPort + "/ws", ready.service("chatserv").url());
    assertEquals("http://localhost:" + system.chatfrontPort + "/", ready.pageUrl());
    assertEquals("ws://localhost:" + system.chatservPort + "/ws", ready.webSocketUrl());
    assertEquals(system.logs(), ready.logs());
    List<Long> children = started.stream().map(ProcessHandle::pid).toList();
    for (ReadyFile.RunningService service : ready.services()) {
      assertTrue(
          children.contains(service.pid()),
          service.name() + "'s pid " + service.pid() + " is one of ./chat up's: " + children);
    }
  }

  private HttpResponse<String> get(String uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean accepting(int port) {
    return accepting(new InetSocketAddress("127.0.0.1", port));
  }

  private static boolean accepting(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
