package teamchat.auth.throttling.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The counts in auth's schema ({@code accounts.throttle_count}), so that every auth instance shares
 * them whether or not the instances form a Data Grid, and a restart keeps them. Each count is one
 * atomic statement ({@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING}): concurrent events on
 * any instances are all counted, none twice. What it costs: one round trip per login (two reads)
 * and one per failure, next to a password hash that takes far longer.
 */
@ApplicationScoped
public class DatabaseThrottleCounts implements ThrottleCounts {

  /**
   * How often an instance deletes expired rows (they are ignored anyway): the table stays small.
   */
  static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  private final Jdbi jdbi;

  private final AtomicReference<Instant> nextSweep = new AtomicReference<>(Instant.MIN);

  /** Over auth's {@link Jdbi}; a test makes one per instance it stands for. */
  @Inject
  public DatabaseThrottleCounts(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** For the container's client proxy only. */
  protected DatabaseThrottleCounts() {
    this(null);
  }

  @Override
  public Count addSinceLast(String bucket, Instant now, Duration forgetAfter) {
    return add(
        "INSERT INTO accounts.throttle_count AS c (bucket, count, first_at, last_at, expires_at)"
            + " VALUES (:bucket, 1, :now, :now, :expires)"
            + " ON CONFLICT (bucket) DO UPDATE SET"
            + " count = CASE WHEN c.expires_at <= :now THEN 1 ELSE c.count + 1 END,"
            + " first_at = CASE WHEN c.expires_at <= :now THEN :now ELSE c.first_at END,"
            + " last_at = :now, expires_at = :expires",
        bucket,
        now,
        forgetAfter);
  }

  @Override
  public Count addInWindow(String bucket, Instant now, Duration window) {
    return add(
        "INSERT INTO accounts.throttle_count AS c (bucket, count, first_at, last_at, expires_at)"
            + " VALUES (:bucket, 1, :now, :now, :expires)"
            + " ON CONFLICT (bucket) DO UPDATE SET"
            + " count = CASE WHEN c.expires_at <= :now THEN 1 ELSE c.count + 1 END,"
            + " first_at = CASE WHEN c.expires_at <= :now THEN :now ELSE c.first_at END,"
            + " expires_at = CASE WHEN c.expires_at <= :now THEN :expires"
            + " ELSE c.expires_at END,"
            + " last_at = :now",
        bucket,
        now,
        window);
  }

  private Count add(String upsert, String bucket, Instant now, Duration expiry) {
    sweepNowAndThen(now);
    return jdbi.withHandle(
        db ->
            db.createQuery(upsert + " RETURNING count, first_at, last_at, expires_at")
                .bind("bucket", bucket)
                .bind("now", utc(now))
                .bind("expires", utc(now.plus(expiry)))
                .map(DatabaseThrottleCounts::count)
                .one());
  }

  @Override
  public Optional<Count> current(String bucket, Instant now) {
    return jdbi.withHandle(
        db ->
            db.createQuery(
                    "SELECT count, first_at, last_at, expires_at FROM accounts.throttle_count"
                        + " WHERE bucket = :bucket AND expires_at > :now")
                .bind("bucket", bucket)
                .bind("now", utc(now))
                .map(DatabaseThrottleCounts::count)
                .findOne());
  }

  @Override
  public void clear(String bucket) {
    jdbi.useHandle(
        db ->
            db.createUpdate("DELETE FROM accounts.throttle_count WHERE bucket = :bucket")
                .bind("bucket", bucket)
                .execute());
  }

  /**
   * Deletes expired rows, at most once per {@link #SWEEP_EVERY} per instance: a guesser who tries
   * many names or addresses leaves rows that no read will count again.
   */
  private void sweepNowAndThen(Instant now) {
    Instant due = nextSweep.get();
    if (now.isBefore(due) || !nextSweep.compareAndSet(due, now.plus(SWEEP_EVERY))) {
      return;
    }
    jdbi.useHandle(
        db ->
            db.createUpdate("DELETE FROM accounts.throttle_count WHERE expires_at <= :now")
                .bind("now", utc(now))
                .execute());
  }

  /** As {@code timestamptz}, whatever the JVM's and the session's time zones. */
  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Count count(ResultSet row, StatementContext context) throws SQLException {
    return new Count(
        row.getInt("count"),
        row.getTimestamp("first_at").toInstant(),
        row.getTimestamp("last_at").toInstant(),
        row.getTimestamp("expires_at").toInstant());
  }
}
