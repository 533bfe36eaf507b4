package teamchat.chatfront.messages.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import teamchat.chatfront.files.control.Attachments;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.MessageState;
import teamchat.contract.messages.StoredMessage;

/**
 * A room's stream read back, one way for everyone: chatserv's REST reads (resume, scroll back,
 * threads) and the web app's pages use the same query and the same row mapping. Whether the reader
 * may see the room is the caller's check ({@code Rooms} owns memberships).
 *
 * <p>Every read is ONE SQL statement, entries, their messages' state and the room's last seq
 * together, so it sees one snapshot: the state of each message is exactly the effect of the entries
 * up to the {@code last_seq} that comes with it, and a client that applies the entries after that
 * seq reaches the current state, counting nothing twice. Messages carry their current body and html
 * (null once deleted: deleted text is never served again, not even by the edits before the delete,
 * whose text the delete erased). Messages stored before html existed are rendered here, as they are
 * read.
 *
 * <p>JDBC like {@link MessageStore}: the state is PostgreSQL's arrays and subqueries per row.
 */
@ApplicationScoped
public class MessageHistory {

  /** The most messages a page of the web app asks for at once. */
  public static final int MAX_PAGE = 200;

  /**
   * The columns of an entry, with its message's state: mentions (by subject), reactions (as "emoji
   * subject", emoji hold no space, in the order they were added), the latest three distinct
   * repliers and its files (JSON). The first parameter is the room (its last seq).
   */
  private static final String SELECT =
      "SELECT m.id, m.seq, u.subject, u.display_name, m.client_msg_id, m.kind, m.body, m.html,"
          + " m.created_at, m.target_id, m.parent_id, m.emoji, m.mentions_room, m.edited_at,"
          + " m.deleted_at IS NOT NULL AS deleted, m.reply_count, m.webhook_name,"
          + " CASE WHEN m.body IS NOT NULL THEN ARRAY(SELECT xu.subject FROM chat.mention x"
          + "   JOIN chat.chat_user xu ON xu.id = x.user_id WHERE x.message_id = m.id"
          + "   ORDER BY xu.subject) END AS mentions,"
          + " CASE WHEN m.kind = 'message' THEN ARRAY(SELECT r.emoji || ' ' || ru.subject"
          + "   FROM chat.reaction r JOIN chat.chat_user ru ON ru.id = r.user_id"
          + "   WHERE r.message_id = m.id ORDER BY r.created_at, r.emoji, ru.subject) END"
          + "   AS reactions,"
          + " CASE WHEN m.reply_count > 0 THEN ARRAY(SELECT pu.subject FROM chat.message p"
          + "   JOIN chat.chat_user pu ON pu.id = p.sender_id WHERE p.parent_id = m.id"
          + "   GROUP BY pu.subject ORDER BY max(p.seq) DESC LIMIT 3) END AS repliers,"
          + " CASE WHEN m.kind = 'message' THEN "
          + Attachments.JSON
          + " END AS files,"
          + " (SELECT last_seq FROM chat.room WHERE id = ?) AS last_seq"
          + " FROM chat.message m JOIN chat.chat_user u ON u.id = m.sender_id ";

  @Inject DataSource dataSource;

  /** One entry read back, with what the web app shows beside it. */
  private record Read(StoredMessage entry, String senderName) {

    /** As shown, its state being as of {@code stateSeq} (the read's last seq). */
    ShownMessage shown(long stateSeq) {
      MessageState state = entry.state();
      return new ShownMessage(
          entry.id(),
          entry.seq(),
          entry.sender(),
          senderName,
          entry.body(),
          entry.html(),
          entry.time(),
          entry.parent(),
          state.editedAt(),
          state.deleted(),
          state.reactions(),
          state.replyCount(),
          state.repliers(),
          stateSeq,
          entry.mentions(),
          entry.mentionsRoom(),
          entry.files().isEmpty() ? null : entry.files());
    }
  }

  /** Entries of one read, oldest first, and the room's last seq in the same snapshot. */
  private record Reading(List<Read> reads, long lastSeq) {

    List<StoredMessage> entries() {
      return reads.stream().map(Read::entry).toList();
    }

    List<ShownMessage> shown(int from) {
      return reads.subList(from, reads.size()).stream().map(read -> read.shown(lastSeq)).toList();
    }
  }

  /** Up to {@code limit} entries with seq greater than {@code after}, oldest first (resume). */
  public MessagePage after(long room, long after, int limit) {
    Reading reading =
        read(room, "WHERE m.room_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?", false, after, limit);
    return new MessagePage(room, reading.entries(), reading.lastSeq());
  }

  /** Up to {@code limit} entries with seq less than {@code before}, oldest first (scroll back). */
  public MessagePage before(long room, long before, int limit) {
    Reading reading =
        read(
            room,
            "WHERE m.room_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?",
            true,
            before,
            limit);
    return new MessagePage(room, reading.entries(), reading.lastSeq());
  }

  /**
   * A thread: the message {@code parent} first, then up to {@code limit} of its replies with seq
   * greater than {@code after}, in seq order; empty when {@code parent} is no message of the room
   * that starts a thread (a message of the room itself, not a reply).
   */
  public Optional<MessagePage> thread(long room, long parent, long after, int limit) {
    return threadReading(room, parent, after, limit)
        .map(reading -> new MessagePage(room, reading.entries(), reading.lastSeq()));
  }

  /**
   * Up to {@code limit} (at most {@value #MAX_PAGE}) messages of the room itself (no replies, no
   * changes: their effects are in the messages' state) before {@code seq}, oldest first, as the web
   * app shows them.
   */
  public List<ShownMessage> shownBefore(long room, long seq, int limit) {
    return read(
            room,
            "WHERE m.room_id = ? AND m.seq < ? AND m.kind = 'message' AND m.parent_id IS NULL"
                + " ORDER BY m.seq DESC LIMIT ?",
            true,
            seq,
            Math.max(1, Math.min(limit, MAX_PAGE)))
        .shown(0);
  }

  /** {@link #thread} as the web app shows it. */
  public Optional<ShownThread> shownThread(long room, long parent, long after, int limit) {
    return threadReading(room, parent, after, Math.max(1, Math.min(limit, MAX_PAGE)))
        .map(
            reading ->
                new ShownThread(reading.shown(0).get(0), reading.shown(1), reading.lastSeq()));
  }

  private Optional<Reading> threadReading(long room, long parent, long after, int limit) {
    // The parent's seq is below its replies', so it comes first; one more row for it.
    Reading reading =
        read(
            room,
            "WHERE m.room_id = ? AND (m.id = ? OR (m.parent_id = ? AND m.seq > ?))"
                + " ORDER BY m.seq LIMIT ?",
            false,
            parent,
            parent,
            after,
            limit + 1L);
    if (reading.reads().isEmpty()) {
      return Optional.empty();
    }
    StoredMessage first = reading.reads().get(0).entry();
    if (first.id() != parent || !first.kind().equals(EntryKind.MESSAGE) || first.parent() != null) {
      return Optional.empty();
    }
    return Optional.of(reading);
  }

  /**
   * Runs {@link #SELECT} with a condition whose parameters are the room and then {@code values}; a
   * condition that walks back ({@code newestFirst}) is turned oldest first.
   */
  private Reading read(long room, String condition, boolean newestFirst, long... values) {
    List<Read> reads = new ArrayList<>();
    long lastSeq = -1;
    try (Connection db = dataSource.getConnection();
        PreparedStatement query = db.prepareStatement(SELECT + condition)) {
      query.setLong(1, room);
      query.setLong(2, room);
      for (int i = 0; i < values.length; i++) {
        query.setLong(3 + i, values[i]);
      }
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          reads.add(read(room, rows));
          lastSeq = rows.getLong("last_seq");
        }
      }
      if (lastSeq < 0) {
        // Nothing in the range: no state to be consistent with.
        lastSeq = lastSeq(db, room);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading room " + room + " failed", e);
    }
    if (newestFirst) {
      Collections.reverse(reads);
    }
    return new Reading(reads, lastSeq);
  }

  private static Read read(long room, ResultSet row) throws SQLException {
    String kind = row.getString("kind");
    String body = row.getString("body");
    String html = row.getString("html");
    if (html == null && body != null) {
      html = MarkdownRenderer.html(body); // a message stored before html existed (V4)
    }
    MessageState state = null;
    if (kind.equals(EntryKind.MESSAGE)) {
      state =
          new MessageState(
              instant(row.getTimestamp("edited_at")),
              row.getBoolean("deleted"),
              reactions(strings(row.getArray("reactions"))),
              row.getInt("reply_count"),
              strings(row.getArray("repliers")));
    }
    StoredMessage entry =
        new StoredMessage(
            row.getLong("id"),
            room,
            row.getLong("seq"),
            row.getString("subject"),
            row.getString("client_msg_id"),
            kind,
            body,
            html,
            instant(row.getTimestamp("created_at")),
            row.getObject("target_id", Long.class),
            row.getObject("parent_id", Long.class),
            row.getString("emoji"),
            strings(row.getArray("mentions")),
            row.getBoolean("mentions_room"),
            state,
            Attachments.fromJson(row.getString("files")),
            row.getString("webhook_name"));
    return new Read(entry, row.getString("display_name"));
  }

  /** "emoji subject" pairs, in the order added, as each emoji with its people. */
  private static List<MessageState.Reaction> reactions(List<String> pairs) {
    Map<String, List<String>> byEmoji = new LinkedHashMap<>();
    for (String pair : pairs) {
      int space = pair.indexOf(' ');
      byEmoji
          .computeIfAbsent(pair.substring(0, space), emoji -> new ArrayList<>())
          .add(pair.substring(space + 1));
    }
    List<MessageState.Reaction> reactions = new ArrayList<>();
    byEmoji.forEach((emoji, users) -> reactions.add(new MessageState.Reaction(emoji, users)));
    return reactions;
  }

  private static List<String> strings(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    try {
      return List.of((String[]) array.getArray());
    } finally {
      array.free();
    }
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static long lastSeq(Connection db, long room) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement("SELECT last_seq FROM chat.room WHERE id = ?")) {
      query.setLong(1, room);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }
}
