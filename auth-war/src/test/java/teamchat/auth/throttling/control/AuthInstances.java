package teamchat.auth.throttling.control;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import teamchat.localpostgres.TestDatabase;
import teamchat.localpostgres.TestDatabaseSession;

/**
 * Stand-ins for auth instances in a test without Payara: each has a {@link Jdbi} of its own over
 * its own connections to the test run's PostgreSQL, whose {@code accounts} schema is migrated as
 * auth migrates it at start.
 */
public final class AuthInstances {

  private AuthInstances() {}

  /** The throttle counts of one more instance. */
  public static ThrottleCounts counts() {
    migrated();
    return new DatabaseThrottleCounts(Jdbi.create(TestDatabase::connect));
  }

  private static synchronized void migrated() {
    Flyway.configure(AuthInstances.class.getClassLoader())
        .dataSource(
            System.getProperty(TestDatabaseSession.URL_PROPERTY),
            System.getProperty(TestDatabaseSession.USER_PROPERTY),
            "")
        .schemas("accounts")
        .defaultSchema("accounts")
        .createSchemas(true)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }
}
