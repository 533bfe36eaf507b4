package teamchat.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup and the monthly restore drill of docs/deploy.md §11, run as written: chatfront's
 * schema from its own migrations, a message with a file of three chunks, {@code
 * deploy/vm1/backup-database.sh} (pg_dump, custom format), {@code pg_restore} into a scratch
 * database, and the drill's checks, which must find every file with every byte.
 */
class BackupDrillIT {

  private static final Path REPOSITORY = Path.of(System.getProperty("teamchat.repository", ".."));

  @TempDir Path work;

  @Test
  void theBackupAndTheRestoreDrillBringEveryFileBackByteForByte() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      DataSource server = postgres.getPostgresDatabase();
      try (Connection db = server.getConnection();
          Statement sql = db.createStatement()) {
        sql.execute("CREATE DATABASE teamchat");
        sql.execute("CREATE DATABASE teamchat_drill");
      }
      DataSource teamchat = postgres.getDatabase("postgres", "teamchat");
      Flyway.configure()
          .dataSource(teamchat)
          .schemas("chat")
          .defaultSchema("chat")
          .createSchemas(true)
          .locations(
              "filesystem:" + REPOSITORY.resolve("chatfront-war/src/main/resources/db/migration"))
          .load()
          .migrate();

      byte[] bytes = new byte[600_000]; // three chunks of at most 256 KB
      new Random(11).nextBytes(bytes);
      UUID file = UUID.randomUUID();
      try (Connection db = teamchat.getConnection();
          Statement sql = db.createStatement()) {
        sql.execute(
            "INSERT INTO chat.chat_user (subject, display_name, username)"
                + " VALUES ('sub-ada', 'Ada', 'ada')");
        sql.execute(
            "INSERT INTO chat.room (name, visibility, last_seq) VALUES ('drill', 'public', 1)");
        sql.execute(
            "INSERT INTO chat.message (room_id, seq, sender_id, client_msg_id, body)"
                + " SELECT r.id, 1, u.id, 'drill-1', 'the plans' FROM chat.room r, chat.chat_user u");
        try (PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO chat.file (id, room_id, uploader_id, message_id, name, size, media_type,"
                    + " position) SELECT ?, m.room_id, m.sender_id, m.id, 'plans.pdf', ?,"
                    + " 'application/pdf', 0 FROM chat.message m")) {
          insert.setObject(1, file);
          insert.setLong(2, bytes.length);
          insert.executeUpdate();
        }
        try (PreparedStatement chunk =
            db.prepareStatement(
                "INSERT INTO chat.file_chunk (file_id, part, bytes) VALUES (?, ?, ?)")) {
          for (int part = 0, at = 0; at < bytes.length; part++, at += 262_144) {
            chunk.setObject(1, file);
            chunk.setInt(2, part);
            chunk.setBytes(
                3, java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 262_144)));
            chunk.executeUpdate();
          }
        }
      }

      // The backup, as teamchat-db-backup.service runs it (here against the test's server).
      Path backups = Files.createDirectories(work.resolve("backups"));
      Map<String, String> pg =
          Map.of(
              "PGHOST", "127.0.0.1",
              "PGPORT", Integer.toString(postgres.getPort()),
              "PGUSER", "postgres",
              "PGDATABASE", "teamchat");
      run(
          pg,
          "bash",
          REPOSITORY.resolve("deploy/vm1/backup-database.sh").toString(),
          backups.toString(),
          "7");
      Path dump;
      try (Stream<Path> made = Files.list(backups)) {
        List<Path> dumps = made.toList();
        assertEquals(1, dumps.size(), "one dump, no partial one: " + dumps);
        dump = dumps.get(0);
      }
      assertTrue(
          dump.getFileName().toString().matches("teamchat-\\d{8}T\\d{6}Z\\.dump"), dump.toString());

      // The drill: pg_restore into the scratch database, then the checks of docs/deploy.md.
      run(pg, "pg_restore", "--dbname", "teamchat_drill", "--no-owner", dump.toString());
      DataSource drill = postgres.getDatabase("postgres", "teamchat_drill");
      try (Connection db = drill.getConnection();
          Statement sql = db.createStatement()) {
        try (ResultSet files = sql.executeQuery("select count(*), sum(size) from chat.file")) {
          files.next();
          assertEquals(1, files.getLong(1), "as many files");
          assertEquals(bytes.length, files.getLong(2), "as many bytes");
        }
        try (ResultSet incomplete =
            sql.executeQuery(
                "select count(*) from chat.file f where f.size <> (select"
                    + " coalesce(sum(octet_length(c.bytes)), 0) from chat.file_chunk c where"
                    + " c.file_id = f.id)")) {
          incomplete.next();
          assertEquals(0, incomplete.getLong(1), "no file missing bytes");
        }
        ByteArrayOutputStream restored = new ByteArrayOutputStream();
        try (ResultSet chunks =
            sql.executeQuery(
                "select c.bytes from chat.file_chunk c join chat.file f on f.id = c.file_id"
                    + " join chat.message m on m.id = f.message_id where m.body = 'the plans'"
                    + " order by c.part")) {
          while (chunks.next()) {
            restored.write(chunks.getBytes(1));
          }
        }
        assertArrayEquals(
            bytes, restored.toByteArray(), "the file, byte for byte, with its message");
      }
    }
  }

  private static void run(Map<String, String> environment, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " ended");
    assertEquals(0, process.exitValue(), String.join(" ", command) + " said: " + said);
  }
}
