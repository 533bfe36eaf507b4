package teamchat.localpostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts one throw-away PostgreSQL for a whole test run, before any test class, on the port that
 * the build reserved ({@code teamchat.test.db.port}) and handed to the Payara Micro under test.
 * Only active where the build asks for it with {@code -Dteamchat.test.postgres=true} (the
 * integration-test phase), so unit tests stay fast.
 *
 * <p>Publishes {@code teamchat.test.db.url} and {@code teamchat.test.db.user} as system properties,
 * for tests that look into the database themselves.
 */
public final class TestDatabaseSession implements LauncherSessionListener {

  public static final String URL_PROPERTY = "teamchat.test.db.url";
  public static final String USER_PROPERTY = "teamchat.test.db.user";

  private LocalPostgres postgres;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (!Boolean.getBoolean("teamchat.test.postgres")) {
      return;
    }
    try {
      postgres = LocalPostgres.start(null, Integer.getInteger("teamchat.test.db.port", 0), null);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the test PostgreSQL", e);
    }
    System.setProperty(URL_PROPERTY, postgres.jdbcUrl());
    System.setProperty(USER_PROPERTY, LocalPostgres.USER);
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        throw new UncheckedIOException("could not stop the test PostgreSQL", e);
      }
    }
  }
}
