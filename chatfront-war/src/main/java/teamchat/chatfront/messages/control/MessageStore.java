package teamchat.chatfront.messages.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import teamchat.chatfront.commands.control.CommandCalls;
import teamchat.chatfront.files.control.Attachments;
import teamchat.contract.messages.AttachedFile;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoredMessage;
import teamchat.database.control.SqlStates;

/**
 * Stores batches of entries of rooms' seq streams (messages, and the edits, deletes and reactions
 * that change them): one transaction per batch, each room's next seq numbers handed out under that
 * room's row lock, so seq stays gap-free whatever runs concurrently, and an entry whose (sender,
 * client id) is already stored is answered with the original instead of a copy. A change is checked
 * against its target under the same lock (every write to a room's messages holds it), so two
 * changes of one message never cross.
 *
 * <p>JDBC, not JPA, on purpose: this is the path every chat message takes, and it needs
 * PostgreSQL's own SQL ({@code = ANY (array)} to read and lock a batch's users and rooms in one
 * statement each, {@code FOR UPDATE} in id order, {@code INSERT ... SELECT FROM unnest(...)
 * RETURNING} for a batch's new messages with the ids and times of their acks) and JDBC batching for
 * the rooms' new last seq, with no persistence context to flush. It runs in the JTA transaction of
 * {@link #store} all the same (the container's data source). A plain message costs what it cost
 * before mentions existed: its Markdown is rendered in memory, and the room's members are looked up
 * only for a batch with an {@code @} in some body.
 */
@ApplicationScoped
public class MessageStore {

  /** A sender's membership of a room, as the batch looks it up. */
  private record Seat(long room, long user) {}

  /** An entry's place in its room's stream. */
  private record Place(long room, long seq) {}

  /** What the database made of an inserted entry: its id and time. */
  private record Inserted(long id, Instant time) {}

  /** A member of a room that a body may name: their subject and row id. */
  private record Named(String subject, long id) {}

  /** The message an entry changes or replies to, as the checks need it. */
  private record Target(
      long id, long room, String kind, long sender, Long parent, boolean deleted) {}

  /** The text of a message or an edit, rendered, with whom it mentions. */
  private record Rendered(
      String body, String html, Map<String, Long> mentions, boolean mentionsRoom) {

    static final Rendered NONE = new Rendered(null, null, Map.of(), false);

    /** The empty text of a message of files only. */
    static final Rendered FILES_ONLY = new Rendered("", "", Map.of(), false);

    List<String> subjects() {
      return List.copyOf(mentions.keySet());
    }
  }

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
      return storeBatch(db, withoutWebhooks(batch));
    }
  }

  /**
   * The batch with no webhook's name: only chatfront's own webhooks name one ({@link
   * #storeOutsideChatserv}), so whatever chatserv's entries say, none of them shows "via webhook".
   */
  private static List<NewMessage> withoutWebhooks(List<NewMessage> batch) {
    for (NewMessage entry : batch) {
      if (entry.webhook() != null) {
        return batch.stream().map(NewMessage::withoutWebhook).toList();
      }
    }
    return batch;
  }

  /**
   * Stores entries that do not come through chatserv (the public API, webhooks, bots, command
   * answers): {@link #store} in the same transaction as a notice for chatserv's feed of such stores
   * ({@link OutsideStoreFeed}), so that chatserv reads them from chatfront and open chat screens
   * show them live, exactly once, in seq order. Every store that chatserv did not make goes through
   * here; chatserv's own batches go through {@link #store} and cost no notice (chatserv delivers
   * them itself). Same exceptions and retries as {@link #store}.
   */
  @Transactional(rollbackOn = SQLException.class)
  public List<StoreOutcome> storeOutsideChatserv(List<NewMessage> batch) throws SQLException {
    try (Connection db = dataSource.getConnection()) {
      List<StoreOutcome> outcomes = storeBatch(db, batch);
      OutsideStoreFeed.record(db, outcomes);
      return outcomes;
    }
  }

  private static List<StoreOutcome> storeBatch(Connection db, List<NewMessage> batch)
      throws SQLException {
    Map<String, Long> users = new HashMap<>();
    Map<Seat, Boolean> owners = new HashMap<>();
    seats(db, batch, users, owners);
    Map<Long, Map<String, Named>> named = namedMembers(db, batch);
    // Lock every room of the batch in id order, so that two batches never wait on each other
    // in a circle; from here on this transaction alone numbers their entries and changes their
    // messages.
    Set<Long> archived = new HashSet<>();
    Map<Long, Long> lastSeq = lockRooms(db, rooms(batch), archived);
    List<StoreOutcome> outcomes =
        onlyNewMessages(batch)
            ? storeMessages(db, batch, users, owners, named, lastSeq, archived)
            : storeEach(db, batch, users, owners, named, lastSeq, archived);
    advanceRooms(db, lastSeq);
    // Slash commands (issue 20): the outbox row of a /command, in this transaction; no
    // statement for a batch where no text starts with a slash.
    CommandCalls.record(db, outcomes);
    return outcomes;
  }

  /**
   * Whether every entry of the batch is a message that starts or answers nothing (no reply, edit,
   * delete or reaction: nothing in it depends on another entry), attaches no file (each file is
   * checked and locked for its message) and no two share a client id: the common batch, stored with
   * one statement for all its messages ({@link #storeMessages}).
   */
  private static boolean onlyNewMessages(List<NewMessage> batch) {
    Set<List<String>> ids = new HashSet<>();
    for (NewMessage entry : batch) {
      if (!entry.kindOrMessage().equals(EntryKind.MESSAGE)
          || entry.parent() != null
          || entry.hasFiles()
          || !ids.add(List.of(entry.sender(), entry.clientMsgId()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Stores a batch of messages that depend on no other entry: one query for those stored before
   * (resends), then one {@code INSERT ... SELECT FROM unnest(...)} for all new ones, each numbered
   * here under the rooms' locks in the batch's order. No {@code ON CONFLICT DO NOTHING}: a row
   * skipped would leave its seq unused (a gap); a concurrent batch that stored the same client id
   * first makes the insert fail with a unique violation instead, and the caller's next attempt
   * finds the original ({@link #store}).
   */
  private static List<StoreOutcome> storeMessages(
      Connection db,
      List<NewMessage> batch,
      Map<String, Long> users,
      Map<Seat, Boolean> owners,
      Map<Long, Map<String, Named>> named,
      Map<Long, Long> lastSeq,
      Set<Long> archived)
      throws SQLException {
    StoreOutcome[] outcomes = new StoreOutcome[batch.size()];
    List<Integer> members = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      NewMessage entry = batch.get(i);
      Long sender = users.get(entry.sender());
      if (sender == null || !owners.containsKey(new Seat(entry.room(), sender))) {
        outcomes[i] = StoreOutcome.refused(entry, StoreOutcome.NOT_ALLOWED, "not_a_member");
      } else {
        members.add(i);
      }
    }
    Map<Integer, StoreOutcome> earlier = earlier(db, batch, members, users);
    List<Integer> fresh = new ArrayList<>();
    List<Rendered> texts = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    for (int i : members) {
      if (earlier.containsKey(i)) {
        outcomes[i] = earlier.get(i);
        continue;
      }
      NewMessage entry = batch.get(i);
      if (archived.contains(entry.room())) {
        outcomes[i] = archivedRoom(entry);
        continue;
      }
      boolean owner = owners.get(new Seat(entry.room(), users.get(entry.sender())));
      fresh.add(i);
      texts.add(
          entry.body() == null
              ? Rendered.NONE
              : render(
                  entry.body(), entry.sender(), owner, named.getOrDefault(entry.room(), Map.of())));
      seqs.add(lastSeq.merge(entry.room(), 1L, Long::sum));
    }
    if (fresh.isEmpty()) {
      return List.of(outcomes);
    }
    int n = fresh.size();
    Long[] rooms = new Long[n];
    Long[] senders = new Long[n];
    String[] clientIds = new String[n];
    String[] bodies = new String[n];
    String[] htmls = new String[n];
    Boolean[] roomMentions = new Boolean[n];
    String[] webhooks = new String[n];
    for (int k = 0; k < n; k++) {
      NewMessage entry = batch.get(fresh.get(k));
      rooms[k] = entry.room();
      senders[k] = users.get(entry.sender());
      clientIds[k] = entry.clientMsgId();
      bodies[k] = entry.body();
      htmls[k] = texts.get(k).html();
      roomMentions[k] = texts.get(k).mentionsRoom();
      webhooks[k] = entry.webhook();
    }
    // By (room, seq), unique: RETURNING promises no order.
    Map<Place, Inserted> inserted = new HashMap<>();
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO chat.message (room_id, seq, sender_id, client_msg_id, body, html,"
                + " mentions_room, webhook_name)"
                + " SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[],"
                + " ?::text[], ?::text[], ?::boolean[], ?::text[])"
                + " RETURNING room_id, seq, id, created_at")) {
      insert.setArray(1, db.createArrayOf("bigint", rooms));
      insert.setArray(2, db.createArrayOf("bigint", seqs.toArray()));
      insert.setArray(3, db.createArrayOf("bigint", senders));
      insert.setArray(4, db.createArrayOf("text", clientIds));
      insert.setArray(5, db.createArrayOf("text", bodies));
      insert.setArray(6, db.createArrayOf("text", htmls));
      insert.setArray(7, db.createArrayOf("boolean", roomMentions));
      insert.setArray(8, db.createArrayOf("text", webhooks));
      try (ResultSet rows = insert.executeQuery()) {
        while (rows.next()) {
          inserted.put(
              new Place(rows.getLong(1), rows.getLong(2)),
              new Inserted(rows.getLong(3), rows.getTimestamp(4).toInstant()));
        }
      }
    }
    List<Long> mentionIds = new ArrayList<>();
    List<Long> mentionUsers = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      NewMessage entry = batch.get(fresh.get(k));
      Inserted row = inserted.get(new Place(entry.room(), seqs.get(k)));
      Rendered text = texts.get(k);
      for (long user : text.mentions().values()) {
        mentionIds.add(row.id());
        mentionUsers.add(user);
      }
      outcomes[fresh.get(k)] = stored(entry, row.id(), seqs.get(k), row.time(), text, List.of());
    }
    if (!mentionIds.isEmpty()) {
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO chat.mention (message_id, user_id)"
                  + " SELECT * FROM unnest(?::bigint[], ?::bigint[])")) {
        insert.setArray(1, db.createArrayOf("bigint", mentionIds.toArray()));
        insert.setArray(2, db.createArrayOf("bigint", mentionUsers.toArray()));
        insert.executeUpdate();
      }
    }
    return List.of(outcomes);
  }

  /** Stores a batch entry by entry, each checked against what it changes, in the batch's order. */
  private static List<StoreOutcome> storeEach(
      Connection db,
      List<NewMessage> batch,
      Map<String, Long> users,
      Map<Seat, Boolean> owners,
      Map<Long, Map<String, Named>> named,
      Map<Long, Long> lastSeq,
      Set<Long> archived)
      throws SQLException {
    List<StoreOutcome> outcomes = new ArrayList<>(batch.size());
    for (NewMessage entry : batch) {
      Long sender = users.get(entry.sender());
      Boolean owner = sender == null ? null : owners.get(new Seat(entry.room(), sender));
      if (owner == null) {
        outcomes.add(StoreOutcome.refused(entry, StoreOutcome.NOT_ALLOWED, "not_a_member"));
        continue;
      }
      StoreOutcome earlier = earlier(db, entry, sender);
      if (earlier != null) {
        outcomes.add(earlier);
        continue;
      }
      if (archived.contains(entry.room())) {
        outcomes.add(archivedRoom(entry));
        continue;
      }
      outcomes.add(
          store(db, entry, sender, owner, named.getOrDefault(entry.room(), Map.of()), lastSeq));
    }
    return outcomes;
  }

  /**
   * Whether {@code emoji} may go on the message: it is there already, or the message has fewer than
   * {@value #MAX_EMOJI_PER_MESSAGE} different ones. Bounds what every reader of the message loads
   * and every replay sends. Under the room's row lock, so two reactions cannot both pass.
   */
  private static boolean roomForReaction(Connection db, long message, String emoji)
      throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT count(DISTINCT emoji), coalesce(bool_or(emoji = ?), false)"
                + " FROM chat.reaction WHERE message_id = ?")) {
      query.setString(1, emoji);
      query.setLong(2, message);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getBoolean(2) || row.getLong(1) < MAX_EMOJI_PER_MESSAGE;
      }
    }
  }

  /**
   * A new entry (of any kind) into an archived room: refused, nothing stored. A resend of an entry
   * stored before the room was archived still gets its original outcome (checked first).
   */
  private static StoreOutcome archivedRoom(NewMessage entry) {
    return StoreOutcome.refused(entry, StoreOutcome.NOT_ALLOWED, ROOM_ARCHIVED);
  }

  /** The code of {@link #archivedRoom}. */
  public static final String ROOM_ARCHIVED = "room_archived";

  /** Different emoji on one message, as Slack's limit of a similar size. */
  public static final int MAX_EMOJI_PER_MESSAGE = 20;

  /** Checks one new entry against what it changes, then stores it and applies it. */
  private static StoreOutcome store(
      Connection db,
      NewMessage entry,
      long sender,
      boolean owner,
      Map<String, Named> named,
      Map<Long, Long> lastSeq)
      throws SQLException {
    String kind = entry.kindOrMessage();
    Long about = kind.equals(EntryKind.MESSAGE) ? entry.parent() : entry.target();
    Target target = about == null ? null : target(db, about);
    if (about != null) {
      if (target == null
          || target.room() != entry.room()
          || !target.kind().equals(EntryKind.MESSAGE)) {
        return StoreOutcome.refused(entry, StoreOutcome.NOT_FOUND, "no_such_message");
      }
      if (kind.equals(EntryKind.MESSAGE) && target.parent() != null) {
        return StoreOutcome.refused(entry, StoreOutcome.UNPROCESSABLE, "not_a_thread_root");
      }
      if (target.deleted()) {
        return StoreOutcome.refused(entry, StoreOutcome.GONE, "message_deleted");
      }
      if (kind.equals(EntryKind.EDIT) && target.sender() != sender) {
        return StoreOutcome.refused(entry, StoreOutcome.NOT_ALLOWED, "not_the_author");
      }
      if (kind.equals(EntryKind.DELETE) && target.sender() != sender && !owner) {
        return StoreOutcome.refused(entry, StoreOutcome.NOT_ALLOWED, "not_allowed");
      }
      if (kind.equals(EntryKind.REACT) && !roomForReaction(db, about, entry.emoji())) {
        return StoreOutcome.refused(entry, StoreOutcome.UNPROCESSABLE, "too_many_reactions");
      }
    }
    List<AttachedFile> files = List.of();
    if (entry.hasFiles()) {
      // Checked and locked before the message takes its seq: a refusal leaves no gap.
      files = Attachments.pending(db, entry.files(), sender, entry.room());
      if (files == null) {
        return StoreOutcome.refused(entry, StoreOutcome.NOT_FOUND, "file_unavailable");
      }
    }
    String body = storedBody(entry);
    Rendered text =
        body == null
            ? Rendered.NONE
            : body.isEmpty() ? Rendered.FILES_ONLY : render(body, entry.sender(), owner, named);
    long seq = lastSeq.merge(entry.room(), 1L, Long::sum);
    long id;
    Instant time;
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO chat.message (room_id, seq, sender_id, client_msg_id, kind, body, html,"
                + " target_id, parent_id, emoji, mentions_room, webhook_name)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, created_at")) {
      insert.setLong(1, entry.room());
      insert.setLong(2, seq);
      insert.setLong(3, sender);
      insert.setString(4, entry.clientMsgId());
      insert.setString(5, kind);
      insert.setString(6, body);
      insert.setString(7, text.html());
      setLong(insert, 8, kind.equals(EntryKind.MESSAGE) ? null : entry.target());
      setLong(insert, 9, kind.equals(EntryKind.MESSAGE) ? entry.parent() : null);
      insert.setString(10, entry.emoji());
      insert.setBoolean(11, text.mentionsRoom());
      insert.setString(12, kind.equals(EntryKind.MESSAGE) ? entry.webhook() : null);
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        id = row.getLong(1);
        time = row.getTimestamp(2).toInstant();
      }
    }
    switch (kind) {
      case EntryKind.MESSAGE -> {
        if (entry.parent() != null) {
          update(db, "UPDATE chat.message SET reply_count = reply_count + 1 WHERE id = ?", about);
        }
        addMentions(db, id, text);
        Attachments.attach(db, id, files);
      }
      case EntryKind.EDIT -> edit(db, about, id, text);
      case EntryKind.DELETE -> delete(db, about);
      case EntryKind.REACT ->
          react(
              db,
              "INSERT INTO chat.reaction (message_id, user_id, emoji) VALUES (?, ?, ?)"
                  + " ON CONFLICT DO NOTHING",
              about,
              sender,
              entry.emoji());
      case EntryKind.UNREACT ->
          react(
              db,
              "DELETE FROM chat.reaction WHERE message_id = ? AND user_id = ? AND emoji = ?",
              about,
              sender,
              entry.emoji());
      default -> throw new IllegalArgumentException("kind " + kind);
    }
    return stored(entry, id, seq, time, text, files);
  }

  /**
   * The body as stored: a message of files only (sent without a body) has an empty one, so that a
   * message's body is null exactly when it is deleted.
   */
  private static String storedBody(NewMessage entry) {
    return entry.body() == null && entry.hasFiles() ? "" : entry.body();
  }

  /** The outcome of a new entry, as inserted. */
  private static StoreOutcome stored(
      NewMessage entry, long id, long seq, Instant time, Rendered text, List<AttachedFile> files) {
    String kind = entry.kindOrMessage();
    StoredMessage stored =
        new StoredMessage(
            id,
            entry.room(),
            seq,
            entry.sender(),
            entry.clientMsgId(),
            kind,
            storedBody(entry),
            text.html(),
            time,
            kind.equals(EntryKind.MESSAGE) ? null : entry.target(),
            kind.equals(EntryKind.MESSAGE) ? entry.parent() : null,
            entry.emoji(),
            text.subjects(),
            text.mentionsRoom(),
            null,
            files,
            kind.equals(EntryKind.MESSAGE) ? entry.webhook() : null);
    return new StoreOutcome(
        entry.clientMsgId(),
        entry.sender(),
        StoreOutcome.STORED,
        "stored",
        id,
        entry.room(),
        seq,
        time,
        stored);
  }

  /**
   * The body's html, and the members it mentions: {@code @name} of a member of the room but the
   * sender, and {@code @room} from an owner of the room (from anyone else it is text).
   */
  private static Rendered render(
      String body, String sender, boolean owner, Map<String, Named> named) {
    MarkdownRenderer.ParsedBody parsed = MarkdownRenderer.parse(body);
    if (body.indexOf('@') < 0) {
      return new Rendered(body, parsed.html(Map.of()), Map.of(), false);
    }
    // By subject: the order mentions are stored and read back in.
    Map<String, Long> mentions = new TreeMap<>();
    Map<String, String> spans = new HashMap<>();
    boolean room = false;
    for (String name : parsed.mentionedNames()) {
      if (name.equals(MarkdownRenderer.ROOM)) {
        room = owner;
        continue;
      }
      Named member = named.get(name);
      if (member != null && !member.subject().equals(sender)) {
        mentions.putIfAbsent(member.subject(), member.id());
        spans.put(name, member.subject());
      }
    }
    return new Rendered(body, parsed.html(spans), mentions, room);
  }

  /** An edit replaces its message's text and mentions; the edit keeps its own as sent. */
  private static void edit(Connection db, long message, long edit, Rendered text)
      throws SQLException {
    try (PreparedStatement update =
        db.prepareStatement(
            "UPDATE chat.message SET body = ?, html = ?, mentions_room = ?, edited_at = now()"
                + " WHERE id = ?")) {
      update.setString(1, text.body());
      update.setString(2, text.html());
      update.setBoolean(3, text.mentionsRoom());
      update.setLong(4, message);
      update.executeUpdate();
    }
    update(db, "DELETE FROM chat.mention WHERE message_id = ?", message);
    addMentions(db, message, text);
    addMentions(db, edit, text);
  }

  /**
   * A delete leaves a tombstone: the message's text is erased, and its edits' (deleted text is
   * never served again), with their mentions, the message's reactions and its files (bytes
   * included); its seq and its thread stay.
   */
  private static void delete(Connection db, long message) throws SQLException {
    Attachments.delete(db, message);
    update(
        db,
        "DELETE FROM chat.mention WHERE message_id IN"
            + " (SELECT id FROM chat.message WHERE id = ? OR (target_id = ? AND kind = 'edit'))",
        message,
        message);
    update(db, "DELETE FROM chat.reaction WHERE message_id = ?", message);
    update(
        db,
        "UPDATE chat.message SET body = NULL, html = NULL, mentions_room = false,"
            + " deleted_at = now() WHERE id = ? OR (target_id = ? AND kind = 'edit')",
        message,
        message);
  }

  private static void react(Connection db, String sql, long message, long user, String emoji)
      throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      statement.setLong(1, message);
      statement.setLong(2, user);
      statement.setString(3, emoji);
      statement.executeUpdate();
    }
  }

  private static void addMentions(Connection db, long entry, Rendered text) throws SQLException {
    if (text.mentions().isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO chat.mention (message_id, user_id) SELECT ?, unnest(?::bigint[])")) {
      insert.setLong(1, entry);
      insert.setArray(2, db.createArrayOf("bigint", text.mentions().values().toArray()));
      insert.executeUpdate();
    }
  }

  private static void update(Connection db, String sql, long... ids) throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      for (int i = 0; i < ids.length; i++) {
        statement.setLong(i + 1, ids[i]);
      }
      statement.executeUpdate();
    }
  }

  private static Target target(Connection db, long id) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT room_id, kind, sender_id, parent_id, deleted_at IS NOT NULL"
                + " FROM chat.message WHERE id = ?")) {
      query.setLong(1, id);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        return new Target(
            id,
            row.getLong(1),
            row.getString(2),
            row.getLong(3),
            row.getObject(4, Long.class),
            row.getBoolean(5));
      }
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

  /**
   * The batch's senders' row ids ({@code users}), and their seats in the batch's rooms with whether
   * they own the room ({@code owners}): one query for the whole batch. A sender who is no user, or
   * no member of the room, has no seat there.
   */
  private static void seats(
      Connection db, List<NewMessage> batch, Map<String, Long> users, Map<Seat, Boolean> owners)
      throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT u.subject, u.id, m.room_id, m.role = 'owner' FROM chat.chat_user u"
                + " LEFT JOIN chat.membership m ON m.user_id = u.id AND m.room_id = ANY (?)"
                + " WHERE u.subject = ANY (?)")) {
      query.setArray(1, db.createArrayOf("bigint", rooms(batch).toArray()));
      query.setArray(2, db.createArrayOf("text", senders(batch).toArray()));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          long user = rows.getLong(2);
          users.put(rows.getString(1), user);
          long room = rows.getLong(3);
          if (!rows.wasNull()) {
            owners.put(new Seat(room, user), rows.getBoolean(4));
          }
        }
      }
    }
  }

  /**
   * The members of the batch's rooms whom its bodies name ({@code @name}), by room and lower-cased
   * username; one query, and none at all when no body has an {@code @}.
   */
  private static Map<Long, Map<String, Named>> namedMembers(Connection db, List<NewMessage> batch)
      throws SQLException {
    Set<String> names = new TreeSet<>();
    Set<Long> rooms = new TreeSet<>();
    for (NewMessage entry : batch) {
      if (entry.body() != null && entry.body().indexOf('@') >= 0) {
        names.addAll(MarkdownRenderer.parse(entry.body()).mentionedNames());
        rooms.add(entry.room());
      }
    }
    names.remove(MarkdownRenderer.ROOM);
    Map<Long, Map<String, Named>> named = new HashMap<>();
    if (names.isEmpty()) {
      return named;
    }
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT m.room_id, lower(u.username), u.subject, u.id FROM chat.membership m"
                + " JOIN chat.chat_user u ON u.id = m.user_id"
                + " WHERE m.room_id = ANY (?) AND lower(u.username) = ANY (?)")) {
      query.setArray(1, db.createArrayOf("bigint", rooms.toArray()));
      query.setArray(2, db.createArrayOf("text", names.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          named
              .computeIfAbsent(rows.getLong(1), room -> new HashMap<>())
              .put(rows.getString(2), new Named(rows.getString(3), rows.getLong(4)));
        }
      }
    }
    return named;
  }

  /**
   * Locks the rooms and reads their last seq; adds those archived to {@code archived}. Whether a
   * room is archived is read in this statement, under the lock that {@code Rooms.archive} takes
   * too: no query more per batch, and no entry slips in while a room is being archived.
   */
  private static Map<Long, Long> lockRooms(Connection db, Set<Long> rooms, Set<Long> archived)
      throws SQLException {
    Map<Long, Long> lastSeq = new TreeMap<>();
    try (PreparedStatement lock =
        db.prepareStatement(
            "SELECT id, last_seq, archived_at IS NOT NULL FROM chat.room WHERE id = ANY (?)"
                + " ORDER BY id FOR UPDATE")) {
      lock.setArray(1, db.createArrayOf("bigint", rooms.toArray()));
      try (ResultSet rows = lock.executeQuery()) {
        while (rows.next()) {
          lastSeq.put(rows.getLong(1), rows.getLong(2));
          if (rows.getBoolean(3)) {
            archived.add(rows.getLong(1));
          }
        }
      }
    }
    return lastSeq;
  }

  /**
   * The original outcome of a resent entry, a conflict, or null when it is new. The same entry is
   * the same room, kind, target, parent, emoji and body; the body is compared only while the stored
   * one is still the one sent (an edit replaces a message's body, a delete erases it).
   */
  private static StoreOutcome earlier(Connection db, NewMessage entry, long sender)
      throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT " + EARLIER + " FROM chat.message WHERE sender_id = ? AND client_msg_id = ?")) {
      query.setLong(1, sender);
      query.setString(2, entry.clientMsgId());
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? earlier(db, entry, row) : null;
      }
    }
  }

  /** The columns {@link #earlier(Connection, NewMessage, ResultSet)} reads. */
  private static final String EARLIER =
      "id, room_id, seq, kind, body, html, target_id, parent_id, emoji, mentions_room,"
          + " created_at, edited_at IS NOT NULL OR deleted_at IS NOT NULL AS changed";

  /**
   * {@link #earlier(Connection, NewMessage, long)} for the entries at {@code places} of the batch,
   * in one query: the original outcome by place, for those stored before.
   */
  private static Map<Integer, StoreOutcome> earlier(
      Connection db, List<NewMessage> batch, List<Integer> places, Map<String, Long> users)
      throws SQLException {
    Map<Integer, StoreOutcome> found = new HashMap<>();
    if (places.isEmpty()) {
      return found;
    }
    Long[] senders = new Long[places.size()];
    String[] clientIds = new String[places.size()];
    for (int k = 0; k < places.size(); k++) {
      NewMessage entry = batch.get(places.get(k));
      senders[k] = users.get(entry.sender());
      clientIds[k] = entry.clientMsgId();
    }
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT e.place, "
                + EARLIER
                + " FROM unnest(?::bigint[], ?::text[]) WITH ORDINALITY AS e(sender, client_id,"
                + " place)"
                + " JOIN chat.message ON sender_id = e.sender AND client_msg_id = e.client_id")) {
      query.setArray(1, db.createArrayOf("bigint", senders));
      query.setArray(2, db.createArrayOf("text", clientIds));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          int place = places.get((int) rows.getLong("place") - 1);
          found.put(place, earlier(db, batch.get(place), rows));
        }
      }
    }
    return found;
  }

  /** The original outcome of {@code entry} from its stored row, or a conflict. */
  private static StoreOutcome earlier(Connection db, NewMessage entry, ResultSet row)
      throws SQLException {
    String kind = row.getString("kind");
    Long target = row.getObject("target_id", Long.class);
    Long parent = row.getObject("parent_id", Long.class);
    boolean same =
        row.getLong("room_id") == entry.room()
            && kind.equals(entry.kindOrMessage())
            && Objects.equals(target, kind.equals(EntryKind.MESSAGE) ? null : entry.target())
            && Objects.equals(parent, kind.equals(EntryKind.MESSAGE) ? entry.parent() : null)
            && Objects.equals(row.getString("emoji"), entry.emoji())
            && (row.getBoolean("changed")
                || (Objects.equals(row.getString("body"), storedBody(entry))
                    && sameFiles(db, row.getLong("id"), entry)));
    if (!same) {
      return StoreOutcome.refused(entry, StoreOutcome.CLIENT_ID_CONFLICT, "client_msg_id_reused");
    }
    long id = row.getLong("id");
    Instant time = row.getTimestamp("created_at").toInstant();
    String body = row.getString("body");
    String html = row.getString("html");
    StoredMessage stored =
        new StoredMessage(
            id,
            entry.room(),
            row.getLong("seq"),
            entry.sender(),
            entry.clientMsgId(),
            kind,
            body,
            html == null && body != null ? MarkdownRenderer.html(body) : html,
            time,
            target,
            parent,
            row.getString("emoji"),
            mentionsOf(db, id),
            row.getBoolean("mentions_room"),
            null,
            Attachments.of(db, id));
    return new StoreOutcome(
        entry.clientMsgId(),
        entry.sender(),
        StoreOutcome.ALREADY_STORED,
        "already_stored",
        id,
        entry.room(),
        stored.seq(),
        time,
        stored);
  }

  /** Whether the stored message has the files the resent entry names, in its order. */
  private static boolean sameFiles(Connection db, long message, NewMessage entry)
      throws SQLException {
    List<String> stored = Attachments.of(db, message).stream().map(AttachedFile::id).toList();
    return stored.equals(entry.hasFiles() ? entry.files() : List.of());
  }

  private static List<String> mentionsOf(Connection db, long entry) throws SQLException {
    List<String> subjects = new ArrayList<>();
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT u.subject FROM chat.mention x JOIN chat.chat_user u ON u.id = x.user_id"
                + " WHERE x.message_id = ? ORDER BY u.subject")) {
      query.setLong(1, entry);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          subjects.add(rows.getString(1));
        }
      }
    }
    return subjects;
  }

  private static void setLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
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
}
