package teamchat.chatfront.messages.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoredMessage;
import teamchat.database.control.SqlStates;

/**
 * Stores batches of messages: one transaction per batch, each room's next seq numbers handed out
 * under that room's row lock, so seq stays gap-free whatever runs concurrently, and a message whose
 * (sender, client id) is already stored is answered with the original instead of a copy.
 *
 * <p>JDBC, not JPA, on purpose: this is the path every chat message takes, and it needs
 * PostgreSQL's own SQL ({@code = ANY (array)} to read and lock a batch's users and rooms in one
 * statement each, {@code FOR UPDATE} in id order, {@code INSERT ... RETURNING} for the id and time
 * of the ack) and JDBC batching for the rooms' new last seq, with no persistence context to flush.
 * It runs in the JTA transaction of {@link #store} all the same (the container's data source).
 */
@ApplicationScoped
public class MessageStore {

  /** A sender's membership of a room, as the batch looks it up. */
  private record Seat(long room, long user) {}

  @Inject DataSource dataSource;

  /**
   * Stores a batch in one transaction. Throws a {@link SQLException} that {@link
   * SqlStates#isUniqueViolation} recognises when a concurrent transaction stored the same (sender,
   * client id) into another room first: the caller retries, and then finds it. Rolls back on any
   * exception: a statement PostgreSQL refused has aborted the transaction anyway.
   */
  @Transactional(rollbackOn = SQLException.class)
  public List<StoreOutcome> store(List<NewMessage> batch) throws SQLException {
    try (Connection db = dataSource.getConnection()) {
      Map<String, Long> users = userIds(db, senders(batch));
      Set<Seat> memberships = memberships(db, batch, users);
      // Lock every room of the batch in id order, so that two batches never wait on each other
      // in a circle; from here on this transaction alone numbers their messages.
      Map<Long, Long> lastSeq = lockRooms(db, rooms(batch));
      List<StoreOutcome> outcomes = new ArrayList<>(batch.size());
      for (NewMessage message : batch) {
        Long sender = users.get(message.sender());
        if (sender == null || !memberships.contains(new Seat(message.room(), sender))) {
          outcomes.add(refused(message, StoreOutcome.NOT_ALLOWED, "not_a_member"));
          continue;
        }
        StoreOutcome earlier = earlier(db, message, sender);
        if (earlier != null) {
          outcomes.add(earlier);
          continue;
        }
        long seq = lastSeq.merge(message.room(), 1L, Long::sum);
        outcomes.add(insert(db, message, sender, seq));
      }
      advanceRooms(db, lastSeq);
      return outcomes;
    }
  }

  private static Set<String> senders(List<NewMessage> batch) {
    Set<String> senders = new TreeSet<>();
    batch.forEach(message -> senders.add(message.sender()));
    return senders;
  }

  private static Set<Long> rooms(List<NewMessage> batch) {
    Set<Long> rooms = new TreeSet<>();
    batch.forEach(message -> rooms.add(message.room()));
    return rooms;
  }

  private static Map<String, Long> userIds(Connection db, Set<String> subjects)
      throws SQLException {
    Map<String, Long> ids = new HashMap<>();
    try (PreparedStatement query =
        db.prepareStatement("SELECT id, subject FROM chat.chat_user WHERE subject = ANY (?)")) {
      query.setArray(1, db.createArrayOf("text", subjects.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          ids.put(rows.getString(2), rows.getLong(1));
        }
      }
    }
    return ids;
  }

  private static Set<Seat> memberships(
      Connection db, List<NewMessage> batch, Map<String, Long> users) throws SQLException {
    Set<Seat> found = new HashSet<>();
    try (PreparedStatement query =
        db.prepareStatement("SELECT 1 FROM chat.membership WHERE room_id = ? AND user_id = ?")) {
      for (NewMessage message : batch) {
        Long user = users.get(message.sender());
        if (user == null || found.contains(new Seat(message.room(), user))) {
          continue;
        }
        query.setLong(1, message.room());
        query.setLong(2, user);
        try (ResultSet row = query.executeQuery()) {
          if (row.next()) {
            found.add(new Seat(message.room(), user));
          }
        }
      }
    }
    return found;
  }

  private static Map<Long, Long> lockRooms(Connection db, Set<Long> rooms) throws SQLException {
    Map<Long, Long> lastSeq = new TreeMap<>();
    try (PreparedStatement lock =
        db.prepareStatement(
            "SELECT id, last_seq FROM chat.room WHERE id = ANY (?) ORDER BY id FOR UPDATE")) {
      lock.setArray(1, db.createArrayOf("bigint", rooms.toArray()));
      try (ResultSet rows = lock.executeQuery()) {
        while (rows.next()) {
          lastSeq.put(rows.getLong(1), rows.getLong(2));
        }
      }
    }
    return lastSeq;
  }

  /** The original outcome of a resent message, a conflict, or null when it is new. */
  private static StoreOutcome earlier(Connection db, NewMessage message, long sender)
      throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT id, room_id, seq, body, created_at FROM chat.message WHERE sender_id = ? AND client_msg_id = ?")) {
      query.setLong(1, sender);
      query.setString(2, message.clientMsgId());
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        if (row.getLong("room_id") != message.room()
            || !row.getString("body").equals(message.body())) {
          return refused(message, StoreOutcome.CLIENT_ID_CONFLICT, "client_msg_id_reused");
        }
        return new StoreOutcome(
            message.clientMsgId(),
            message.sender(),
            StoreOutcome.ALREADY_STORED,
            "already_stored",
            row.getLong("id"),
            message.room(),
            row.getLong("seq"),
            row.getTimestamp("created_at").toInstant(),
            StoredMessage.message(
                row.getLong("id"),
                message.room(),
                row.getLong("seq"),
                message.sender(),
                message.clientMsgId(),
                message.body(),
                null,
                row.getTimestamp("created_at").toInstant()));
      }
    }
  }

  private static StoreOutcome insert(Connection db, NewMessage message, long sender, long seq)
      throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO chat.message (room_id, seq, sender_id, client_msg_id, body) VALUES (?, ?, ?, ?, ?)"
                + " RETURNING id, created_at")) {
      insert.setLong(1, message.room());
      insert.setLong(2, seq);
      insert.setLong(3, sender);
      insert.setString(4, message.clientMsgId());
      insert.setString(5, message.body());
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        Instant time = row.getTimestamp(2).toInstant();
        return new StoreOutcome(
            message.clientMsgId(),
            message.sender(),
            StoreOutcome.STORED,
            "stored",
            row.getLong(1),
            message.room(),
            seq,
            time,
            StoredMessage.message(
                row.getLong(1),
                message.room(),
                seq,
                message.sender(),
                message.clientMsgId(),
                message.body(),
                null,
                time));
      }
    }
  }

  private static void advanceRooms(Connection db, Map<Long, Long> lastSeq) throws SQLException {
    try (PreparedStatement update =
        db.prepareStatement("UPDATE chat.room SET last_seq = ? WHERE id = ? AND last_seq < ?")) {
      for (Map.Entry<Long, Long> room : lastSeq.entrySet()) {
        update.setLong(1, room.getValue());
        update.setLong(2, room.getKey());
        update.setLong(3, room.getValue());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  private static StoreOutcome refused(NewMessage message, int status, String code) {
    return new StoreOutcome(
        message.clientMsgId(),
        message.sender(),
        status,
        code,
        null,
        message.room(),
        null,
        null,
        null);
  }
}
