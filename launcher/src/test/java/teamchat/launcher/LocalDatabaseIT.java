package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teamchat.localpostgres.LocalPostgres;

/**
 * {@code ./chat up}'s PostgreSQL as the services and everyone else on the machine meet it: a
 * password for every role, the superuser's kept for the launcher, each service's role confined to
 * its own schema; a cluster of an older {@code ./chat up} (trust, everything the superuser's) is
 * brought to the same state without losing its data. PostgreSQL alone, no services: seconds.
 */
class LocalDatabaseIT {

  @TempDir Path data;

  private LocalSecrets secrets() {
    return new LocalSecrets(data.resolve("secrets"));
  }

  private LocalDatabase start() throws IOException {
    return LocalDatabase.start(
        data.resolve("postgres"), 0, data.resolve("logs/postgres.log"), secrets());
  }

  @Test
  void aNewClusterAsksEveryoneForAPasswordAndConfinesEachServiceToItsSchema() throws Exception {
    try (LocalDatabase database = start()) {
      String url = url(database);
      assertRefused(url, "postgres", "");
      assertRefused(url, "postgres", "postgres");
      assertRefused(url, "teamchat_auth", "");
      assertRefused(url, "teamchat_chatfront", secrets().get("db-teamchat_auth"));
      assertConfined(database);
      assertEquals("teamchat_auth", database.environmentOf("auth").get("DB_USER"));
      assertEquals(url, database.environmentOf("chatfront").get("DB_URL"));
      assertTrue(database.environmentOf("chatserv").isEmpty(), "chatserv keeps no data");
    }
    assertPrivate(data.resolve("secrets"), "rwx------");
    try (var files = Files.list(data.resolve("secrets"))) {
      for (Path secret : files.toList()) {
        assertPrivate(secret, "rw-------");
        String value = Files.readAllLines(secret).get(0);
        assertFalse(
            Files.readString(data.resolve("logs/postgres.log")).contains(value),
            "a password in PostgreSQL's log");
      }
    }
    // The second start finds everything in place and the same passwords.
    try (LocalDatabase again = start()) {
      assertConfined(again);
    }
  }

  @Test
  void aClusterOfAnOlderChatUpIsUpgradedWithItsData() throws Exception {
    Path cluster = data.resolve("postgres");
    // What ./chat up made before: initdb's trust, every service as the superuser.
    try (LocalPostgres old = LocalPostgres.start(cluster, 0, null);
        Connection db = DriverManager.getConnection(old.jdbcUrl(), "postgres", "");
        Statement sql = db.createStatement()) {
      sql.execute("CREATE SCHEMA chat");
      sql.execute("CREATE TABLE chat.room (id bigint GENERATED ALWAYS AS IDENTITY, name text)");
      sql.execute("CREATE SEQUENCE chat.standalone");
      sql.execute("INSERT INTO chat.room (name) VALUES ('kept')");
      sql.execute("CREATE SCHEMA accounts");
      sql.execute("CREATE TABLE accounts.account (id bigserial PRIMARY KEY, username text)");
    }
    assertFalse(LocalPostgres.asksForPasswords(cluster));
    try (LocalDatabase database = start()) {
      assertTrue(LocalPostgres.asksForPasswords(cluster));
      String url = url(database);
      assertRefused(url, "postgres", "");
      try (Connection chatfront = connect(url, "teamchat_chatfront");
          Statement sql = chatfront.createStatement()) {
        sql.execute("INSERT INTO chat.room (name) VALUES ('new')");
        sql.execute("SELECT nextval('chat.standalone')");
        assertEquals(2L, single(sql, "SELECT count(*) FROM chat.room"));
        assertEquals(
            0L,
            single(
                sql,
                "SELECT count(*) FROM pg_class WHERE relnamespace = 'chat'::regnamespace"
                    + " AND relowner <> 'teamchat_chatfront'::regrole"),
            "everything in chat belongs to chatfront's role");
      }
      try (Connection auth = connect(url, "teamchat_auth");
          Statement sql = auth.createStatement()) {
        sql.execute("INSERT INTO accounts.account (username) VALUES ('ada')");
      }
      assertConfined(database);
    }
  }

  @Test
  void aClusterWhoseSuperuserPasswordIsLostIsRefusedWithWhatToDo() throws Exception {
    start().close();
    Files.delete(data.resolve("secrets/" + LocalDatabase.SUPERUSER_SECRET));
    IOException refused = assertThrows(IOException.class, this::start);
    assertTrue(
        refused.getMessage().contains("delete " + data.resolve("postgres")), refused.getMessage());
  }

  /** Each role works in its own schema and cannot see into the other's, nor make a schema. */
  private void assertConfined(LocalDatabase database) throws Exception {
    String url = url(database);
    try (Connection auth = connect(url, "teamchat_auth");
        Statement sql = auth.createStatement()) {
      sql.execute("CREATE TABLE IF NOT EXISTS accounts.probe (x int)");
      sql.execute("SELECT count(*) FROM accounts.probe");
    }
    try (Connection chatfront = connect(url, "teamchat_chatfront");
        Statement sql = chatfront.createStatement()) {
      sql.execute("CREATE TABLE IF NOT EXISTS chat.probe (x int)");
      assertDenied(sql, "SELECT count(*) FROM accounts.probe");
      assertDenied(sql, "CREATE TABLE accounts.planted (x int)");
      assertDenied(sql, "CREATE TABLE public.planted (x int)");
      assertDenied(sql, "CREATE SCHEMA elsewhere");
    }
    try (Connection auth = connect(url, "teamchat_auth");
        Statement sql = auth.createStatement()) {
      assertDenied(sql, "SELECT count(*) FROM chat.probe");
      assertDenied(sql, "CREATE TABLE chat.planted (x int)");
    }
  }

  private Connection connect(String url, String role) throws Exception {
    return DriverManager.getConnection(url, role, secrets().get("db-" + role));
  }

  private static String url(LocalDatabase database) {
    return "jdbc:postgresql://127.0.0.1:" + database.port() + "/teamchat";
  }

  private static void assertRefused(String url, String user, String password) {
    SQLException refused =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(url, user, password).close(),
            user + " connected with password '" + password + "'");
    // 28P01 invalid_password, 28000 no such role; with no password at all the driver stops as
    // soon as the server asks for one (08004), which is the point: it asked.
    assertTrue(
        refused.getSQLState().startsWith("28")
            || refused.getSQLState().equals("08004") && refused.getMessage().contains("SCRAM"),
        refused.getSQLState() + " " + refused);
  }

  private static void assertDenied(Statement sql, String statement) {
    SQLException denied = assertThrows(SQLException.class, () -> sql.execute(statement), statement);
    assertEquals("42501", denied.getSQLState(), statement + ": " + denied.getMessage());
  }

  private static long single(Statement sql, String query) throws SQLException {
    try (ResultSet rows = sql.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void assertPrivate(Path path, String permissions) throws IOException {
    assertEquals(
        permissions,
        PosixFilePermissions.toString(Files.getPosixFilePermissions(path)),
        path.toString());
  }
}
