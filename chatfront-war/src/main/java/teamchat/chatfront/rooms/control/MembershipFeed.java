package teamchat.chatfront.rooms.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatfront.feeds.control.WaitingRequests;
import teamchat.contract.messages.MembershipChange;
import teamchat.contract.messages.MembershipChanges;

/**
 * The feed of ended memberships that chatserv follows (long poll), read from {@code
 * chat.membership_change}, which a trigger fills in the transaction that ends a membership (V3).
 * The table, not this instance's memory, is the source: a change made through any chatfront
 * instance reaches every waiting chatserv. Waiting requests hold no thread: one task checks the
 * newest change id every {@code chatfront.membership-changes.poll-interval} while anyone waits.
 *
 * <p>JDBC, not JPA: the table is a log that only the trigger writes, with no entity to map, and the
 * check runs on a scheduler thread outside any transaction, where one short statement on a pooled
 * connection is all there is to it.
 */
@ApplicationScoped
public class MembershipFeed implements WaitingRequests.Feed<MembershipChanges> {

  private static final Logger LOG = Logger.getLogger(MembershipFeed.class.getName());

  /** Changes per answer; a client further behind asks again after the last one it got. */
  static final int MAX_CHANGES = 1000;

  /** The longest a request waits for a change, whatever it asks (below proxies' timeouts). */
  public static final Duration MAX_WAIT = Duration.ofSeconds(25);

  @Inject DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "chatfront.membership-changes.poll-interval")
  Duration pollInterval;

  @Inject
  @ConfigProperty(name = "chatfront.membership-changes.retention")
  Duration retention;

  private WaitingRequests<MembershipChanges> waiting;
  private volatile Instant nextPrune = Instant.EPOCH;

  /** The changes after {@code after}, oldest first, at most {@value #MAX_CHANGES}. */
  @Override
  public MembershipChanges after(long after) throws SQLException {
    pruneNowAndThen();
    List<MembershipChange> changes = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT id, room_id, subject, kind FROM chat.membership_change WHERE id > ?"
                    + " ORDER BY id LIMIT ?")) {
      query.setLong(1, after);
      query.setInt(2, MAX_CHANGES);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          changes.add(
              new MembershipChange(
                  rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getString(4)));
        }
      }
    }
    long last = changes.isEmpty() ? after : changes.get(changes.size() - 1).id();
    return new MembershipChanges(changes, last);
  }

  /**
   * Answers with the changes after {@code after} at once when there are any, otherwise as soon as
   * one is made, or with none after {@code wait} (at most {@link #MAX_WAIT}).
   */
  public void await(long after, Duration wait, Consumer<MembershipChanges> answer)
      throws SQLException {
    MembershipChanges now = after(after);
    if (!now.changes().isEmpty() || wait.isZero() || wait.isNegative()) {
      answer.accept(now);
      return;
    }
    Duration bounded = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    waiting.add(after, bounded, answer);
  }

  @Override
  public long newest() throws SQLException {
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement("SELECT coalesce(max(id), 0) FROM chat.membership_change");
        ResultSet row = query.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  /** Deletes changes older than the retention, at most once an hour. */
  private void pruneNowAndThen() throws SQLException {
    Instant now = Instant.now();
    if (now.isBefore(nextPrune)) {
      return;
    }
    nextPrune = now.plus(Duration.ofHours(1));
    try (Connection db = dataSource.getConnection();
        PreparedStatement prune =
            db.prepareStatement("DELETE FROM chat.membership_change WHERE changed_at < ?")) {
      prune.setTimestamp(1, Timestamp.from(now.minus(retention)));
      int pruned = prune.executeUpdate();
      if (pruned > 0) {
        LOG.log(
            Level.INFO,
            "pruned {0} membership changes older than {1}",
            new Object[] {pruned, retention});
      }
    }
  }

  @PostConstruct
  void startWaiting() {
    waiting = new WaitingRequests<>("membership changes", this, scheduler, pollInterval);
  }

  @Override
  public MembershipChanges nothingAfter(long after) {
    return new MembershipChanges(List.of(), after);
  }

  @PreDestroy
  void stop() {
    waiting.stop();
  }
}
