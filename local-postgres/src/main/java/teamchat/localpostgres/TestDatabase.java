package teamchat.localpostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** For integration tests that look into the database the service under test writes to. */
public final class TestDatabase {

  private TestDatabase() {}

  /** A new connection to the test run's database (see {@link TestDatabaseSession}). */
  public static Connection connect() throws SQLException {
    String url = System.getProperty(TestDatabaseSession.URL_PROPERTY);
    if (url == null) {
      throw new IllegalStateException(
          "No test database: run integration tests through Maven (failsafe) with -D"
              + "teamchat.test.postgres=true");
    }
    return DriverManager.getConnection(
        url, System.getProperty(TestDatabaseSession.USER_PROPERTY), "");
  }

  /** Whether {@code schema.table} exists. */
  public static boolean tableExists(String schema, String table) throws SQLException {
    try (Connection db = connect();
        var rows = db.getMetaData().getTables(null, schema, table, null)) {
      return rows.next();
    }
  }

  /** The highest successfully applied Flyway version of a schema, or null if none. */
  public static String migratedVersion(String schema) throws SQLException {
    try (Connection db = connect();
        var rows =
            db.createStatement()
                .executeQuery(
                    "SELECT version FROM "
                        + schema
                        + ".flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1")) {
      return rows.next() ? rows.getString(1) : null;
    }
  }
}
