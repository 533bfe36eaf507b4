package teamchat.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import teamchat.localpostgres.LocalPostgres;

/**
 * {@code ./chat up}'s own PostgreSQL, set up as on VM1: every connection needs a password, each
 * service signs in as its own role (DatabaseRoles), the superuser is for this launcher alone. The
 * passwords are {@link LocalSecrets}, made on the first start and kept.
 */
final class LocalDatabase implements AutoCloseable {

  /** The secret that holds the superuser's password (also for tools that need the superuser). */
  static final String SUPERUSER_SECRET = "postgres-superuser";

  private final LocalPostgres postgres;
  private final Map<String, Map<String, String>> environments;

  private LocalDatabase(LocalPostgres postgres, Map<String, Map<String, String>> environments) {
    this.postgres = postgres;
    this.environments = environments;
  }

  /**
   * Starts (the first time: creates) the cluster in {@code cluster} and makes sure of the roles.
   *
   * @throws IOException with a message that says what to do when the cluster cannot be used
   */
  static LocalDatabase start(Path cluster, int port, Path logFile, LocalSecrets secrets)
      throws IOException {
    if (Files.exists(cluster.resolve("postgresql.conf"))
        && LocalPostgres.asksForPasswords(cluster)
        && !secrets.exists(SUPERUSER_SECRET)) {
      throw new IOException(
          "the PostgreSQL data in "
              + cluster
              + " needs the superuser password that was kept in "
              + secrets.file(SUPERUSER_SECRET)
              + ", and that file is gone. Put it back, or delete "
              + cluster
              + " to start with an empty database (every account and message in it is lost).");
    }
    secrets.get(SUPERUSER_SECRET);
    LocalPostgres postgres =
        LocalPostgres.startWithPasswords(cluster, port, logFile, secrets.file(SUPERUSER_SECRET));
    try {
      Map<String, String> passwords = new HashMap<>();
      Map<String, Map<String, String>> environments = new HashMap<>();
      for (DatabaseRoles.Role role : DatabaseRoles.ROLES) {
        String password = secrets.get(secretOf(role));
        passwords.put(role.name(), password);
        environments.put(
            role.service(),
            Map.of("DB_URL", postgres.jdbcUrl(), "DB_USER", role.name(), "DB_PASSWORD", password));
      }
      DatabaseRoles.provision(postgres.superuserDataSource(), passwords);
      return new LocalDatabase(postgres, environments);
    } catch (IOException | SQLException | RuntimeException e) {
      postgres.close();
      throw new IOException("could not set up the roles of the services: " + e.getMessage(), e);
    }
  }

  /** The name of the secret that holds a role's password. */
  static String secretOf(DatabaseRoles.Role role) {
    return "db-" + role.name();
  }

  int port() {
    return postgres.port();
  }

  /**
   * {@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD} of a service; empty if it keeps no data.
   */
  Map<String, String> environmentOf(String service) {
    return environments.getOrDefault(service, Map.of());
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
