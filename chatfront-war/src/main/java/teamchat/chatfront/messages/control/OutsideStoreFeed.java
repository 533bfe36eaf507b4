package teamchat.chatfront.messages.control;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatfront.feeds.control.WaitingRequests;
import teamchat.contract.messages.OutsideStore;
import teamchat.contract.messages.OutsideStores;
import teamchat.contract.messages.StoreOutcome;

/**
 * The feed of entries stored outside chatserv, which every chatserv instance follows (long poll) to
 * deliver them live: a notice per room, "the room has entries up to seq N", in {@code
 * chat.outside_store} (V9), written by {@link MessageStore#storeOutsideChatserv} in the transaction
 * of the store. The table, not this instance's memory, is the source: a post through any chatfront
 * instance reaches every waiting chatserv. Waiting requests hold no thread: one task checks the
 * newest position every {@code chatfront.outside-stores.poll-interval} while anyone waits, as
 * {@code rooms.control.MembershipFeed} does for memberships.
 *
 * <p>JDBC, like {@link MessageStore}: the notice is written on the store's own connection, and the
 * check runs on a scheduler thread outside any transaction, where one short statement is all there
 * is to it.
 */
@ApplicationScoped
public class OutsideStoreFeed implements WaitingRequests.Feed<OutsideStores> {

  private static final Logger LOG = Logger.getLogger(OutsideStoreFeed.class.getName());

  /** The longest a request waits for a notice, whatever it asks (below proxies' timeouts). */
  public static final Duration MAX_WAIT = Duration.ofSeconds(25);

  @Inject DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "chatfront.outside-stores.poll-interval")
  Duration pollInterval;

  private WaitingRequests<OutsideStores> waiting;

  /**
   * Records, in the store's transaction, the newest seq of each room that got a new entry (a resend
   * found stored was announced by the store that made it). The table lock orders the notices'
   * positions as their commits (V9): it is taken last, after the rooms' locks, and held only from
   * here to the commit, so that outside stores queue on it for a moment and nothing else does.
   */
  static void record(Connection db, List<StoreOutcome> outcomes) throws SQLException {
    Map<Long, Long> newest = new TreeMap<>();
    for (StoreOutcome outcome : outcomes) {
      if (outcome.status() == StoreOutcome.STORED) {
        newest.merge(outcome.room(), outcome.seq(), Math::max);
      }
    }
    if (newest.isEmpty()) {
      return;
    }
    try (PreparedStatement lock =
        db.prepareStatement("LOCK TABLE chat.outside_store IN SHARE ROW EXCLUSIVE MODE")) {
      lock.execute();
    }
    try (PreparedStatement upsert =
        db.prepareStatement(
            "INSERT INTO chat.outside_store (room_id, seq)"
                + " SELECT * FROM unnest(?::bigint[], ?::bigint[])"
                + " ON CONFLICT (room_id) DO UPDATE SET"
                + " seq = greatest(outside_store.seq, excluded.seq),"
                + " position = nextval('chat.outside_store_position'), stored_at = now()")) {
      upsert.setArray(1, db.createArrayOf("bigint", newest.keySet().toArray()));
      upsert.setArray(2, db.createArrayOf("bigint", newest.values().toArray()));
      upsert.executeUpdate();
    }
  }

  /**
   * The notices after position {@code after}, oldest first, at most {@value
   * OutsideStores#MAX_STORES}, and the position to ask after next time.
   */
  @Override
  public OutsideStores after(long after) throws SQLException {
    List<OutsideStore> stores = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT position, room_id, seq FROM chat.outside_store WHERE position > ?"
                    + " ORDER BY position LIMIT ?")) {
      query.setLong(1, after);
      query.setInt(2, OutsideStores.MAX_STORES);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          stores.add(new OutsideStore(rows.getLong(1), rows.getLong(2), rows.getLong(3)));
        }
      }
    }
    if (!stores.isEmpty()) {
      return new OutsideStores(stores, stores.get(stores.size() - 1).position());
    }
    // A reader beyond the newest notice (the database was restored from a backup) is moved back
    // to it, or it would miss every notice below its old position; at worst it hears one twice.
    return new OutsideStores(stores, Math.min(after, newest()));
  }

  /**
   * Answers with the notices after {@code after} at once when there are any, otherwise as soon as
   * one is written, or with none after {@code wait} (at most {@link #MAX_WAIT}).
   */
  public void await(long after, Duration wait, Consumer<OutsideStores> answer) throws SQLException {
    OutsideStores now = after(after);
    if (!now.stores().isEmpty() || now.last() != after || wait.isZero() || wait.isNegative()) {
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
            db.prepareStatement("SELECT coalesce(max(position), 0) FROM chat.outside_store");
        ResultSet row = query.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  @PostConstruct
  void startWaiting() {
    waiting = new WaitingRequests<>("outside stores", this, scheduler, pollInterval);
  }

  @Override
  public OutsideStores nothingAfter(long after) {
    return new OutsideStores(List.of(), after);
  }

  @PreDestroy
  void stop() {
    waiting.stop();
  }
}
