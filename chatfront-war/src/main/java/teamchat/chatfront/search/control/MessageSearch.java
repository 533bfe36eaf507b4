package teamchat.chatfront.search.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import teamchat.chatfront.files.control.Attachments;
import teamchat.contract.messages.AttachedFile;
import teamchat.contract.problems.Refused;

/**
 * Finds the messages someone may read: those of the rooms and direct conversations they are a
 * member of now (checked in the same SQL statement, never by the caller), in their current state
 * (the body after its last edit; a deleted message has no body and is never found), replies in
 * threads included.
 *
 * <p>A message is found when it holds every word or phrase of the query ({@link SearchQuery.Term})
 * and none of the excluded ones. It holds one when it matches it as whole words (the stemmed
 * English and the as-written simple configuration, {@code websearch_to_tsquery}: "deploying" finds
 * "deployment") or has it inside ({@code LIKE '%part%'} on the lower-cased body: "surefire" in
 * target/surefire-reports, 設計 in a Japanese sentence), so one query can mix both ("deploying kumq"
 * finds "the deployment of kumquat"). The two are answered by the indexes {@code
 * message_search_words} and {@code message_search_parts} of migration V7. The filters narrow
 * either. Bounded: the query by {@link SearchQuery}, a page by {@link #MAX_PAGE} and {@link
 * #MAX_OFFSET}, and the statement by {@link #STATEMENT_TIMEOUT}: a pathological query is cancelled
 * by PostgreSQL itself and answered 503 with a sentence.
 */
@ApplicationScoped
public class MessageSearch {

  /** The most results one page may hold. */
  public static final int MAX_PAGE = 50;

  /** How deep one may page: nobody reads past the 500th result of a search. */
  public static final int MAX_OFFSET = 500;

  /**
   * The longest a search statement may run. Typical searches take milliseconds (BENCHMARKS.md);
   * this stops the pathological ones before they hold a connection of the pool for long.
   */
  static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);

  /** PostgreSQL's SQLSTATE for a statement cancelled by {@code statement_timeout}. */
  private static final String QUERY_CANCELED = "57014";

  /** The one expression of index {@code message_search_words}: written the same, or unused. */
  private static final String WORDS =
      "(to_tsvector('english'::regconfig, m.body) || to_tsvector('simple'::regconfig, m.body))";

  /** {@code ts_headline}'s options: one or two fragments of some 15 to 35 words. */
  private static final String HEADLINE_OPTIONS =
      "StartSel="
          + Snippet.START
          + ", StopSel="
          + Snippet.STOP
          + ", MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2,"
          + " FragmentDelimiter=\" … \"";

  /** How results are ordered. */
  public enum Order {
    NEWEST,
    RELEVANCE
  }

  /**
   * A message found.
   *
   * @param room its room, and {@code roomName} that room's name, or for a direct conversation the
   *     other people's display names (as the sidebar titles it)
   * @param seq its own seq; {@code at} the seq to open the room at: its own, or for a reply in a
   *     thread its parent's (replies are shown in their thread)
   * @param parent the message it replies to, null for one of the room
   * @param files the files attached to it; null (absent in JSON) when none
   */
  public record Found(
      long id,
      long room,
      @JsonbProperty("room_name") String roomName,
      boolean direct,
      long seq,
      long at,
      Long parent,
      String sender,
      @JsonbProperty("sender_name") String senderName,
      String username,
      Instant time,
      List<Snippet.Piece> snippet,
      List<AttachedFile> files) {}

  /** A page of results, and whether there are more after it. */
  public record Results(List<Found> results, boolean more) {}

  @Inject DataSource dataSource;

  /**
   * The messages that {@code subject} may read and that match {@code query}: a page of up to {@code
   * limit} from {@code offset}, newest first or by relevance (then newest first). Dates of {@code
   * before:} and {@code after:} are days in {@code zone}.
   */
  @Transactional(rollbackOn = Refused.class)
  public Results search(
      String subject, SearchQuery query, Order order, int offset, int limit, ZoneId zone)
      throws Refused {
    if (query.isEmpty()) {
      return new Results(List.of(), false);
    }
    int pageSize = Math.max(1, Math.min(limit, MAX_PAGE));
    List<Object> values = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    boolean text = !query.terms().isEmpty();
    sql.append(
        "WITH q AS (SELECT websearch_to_tsquery('english'::regconfig, ?)"
            + " || websearch_to_tsquery('simple'::regconfig, ?) AS words)"
            + " SELECT m.id, m.room_id, m.seq, coalesce(p.seq, m.seq) AS at, m.parent_id,"
            + " u.subject, u.username, u.display_name, m.created_at,"
            + " r.visibility = 'direct' AS direct,"
            + " CASE WHEN r.visibility = 'direct' THEN (SELECT string_agg(ou.display_name, ', '"
            + "   ORDER BY lower(ou.display_name)) FROM chat.membership om"
            + "   JOIN chat.chat_user ou ON ou.id = om.user_id"
            + "   WHERE om.room_id = r.id AND ou.subject <> ?) ELSE r.name END AS room_name,");
    values.add(query.anyTerm());
    values.add(query.anyTerm());
    values.add(subject);
    if (text) {
      sql.append(" ts_headline('english'::regconfig, m.body, q.words, ?) AS headline,")
          .append(" ts_rank(")
          .append(WORDS)
          .append(", q.words) AS rank, m.body");
      values.add(HEADLINE_OPTIONS);
    } else {
      sql.append(" NULL AS headline, 0 AS rank, m.body");
    }
    sql.append(", ").append(Attachments.JSON).append(" AS files");
    sql.append(
        " FROM chat.message m CROSS JOIN q"
            + " JOIN chat.room r ON r.id = m.room_id"
            + " JOIN chat.chat_user u ON u.id = m.sender_id"
            + " LEFT JOIN chat.message p ON p.id = m.parent_id"
            + " WHERE m.kind = 'message' AND m.body IS NOT NULL"
            + " AND m.room_id IN (SELECT ms.room_id FROM chat.membership ms"
            + "   JOIN chat.chat_user me ON me.id = ms.user_id WHERE me.subject = ?)");
    values.add(subject);
    for (SearchQuery.Term term : query.terms()) {
      sql.append(term.excluded() ? " AND NOT (" : " AND (")
          .append(WORDS)
          .append(
              " @@ (websearch_to_tsquery('english'::regconfig, ?)"
                  + " || websearch_to_tsquery('simple'::regconfig, ?))");
      values.add(term.text());
      values.add(term.text());
      if (term.part() != null) {
        sql.append(" OR lower(m.body) LIKE ?");
        values.add("%" + likeLiteral(term.part()) + "%");
      }
      sql.append(")");
    }
    if (query.hasFile()) {
      // A deleted message has no files left, so it is never found this way either.
      sql.append(" AND EXISTS (SELECT 1 FROM chat.file f WHERE f.message_id = m.id)");
    }
    if (query.room() != null) {
      sql.append(" AND r.visibility <> 'direct' AND lower(r.name) = lower(?)");
      values.add(query.room());
    }
    if (query.from() != null) {
      sql.append(" AND lower(u.username) = lower(?)");
      values.add(query.from());
    }
    if (query.before() != null) {
      sql.append(" AND m.created_at < ?");
      values.add(Timestamp.from(query.before().atStartOfDay(zone).toInstant()));
    }
    if (query.after() != null) {
      sql.append(" AND m.created_at >= ?");
      values.add(Timestamp.from(query.after().plusDays(1).atStartOfDay(zone).toInstant()));
    }
    sql.append(
        order == Order.RELEVANCE && text
            ? " ORDER BY rank DESC, m.created_at DESC, m.id DESC"
            : " ORDER BY m.created_at DESC, m.id DESC");
    sql.append(" LIMIT ? OFFSET ?");
    values.add(pageSize + 1);
    values.add(Math.max(0, Math.min(offset, MAX_OFFSET)));

    List<Found> found = new ArrayList<>();
    try (Connection db = dataSource.getConnection()) {
      bounded(db);
      try (PreparedStatement statement = db.prepareStatement(sql.toString())) {
        for (int i = 0; i < values.size(); i++) {
          statement.setObject(i + 1, values.get(i));
        }
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            found.add(found(rows, query));
          }
        }
      }
    } catch (SQLException e) {
      throw tooLongOr(e, "searching messages failed");
    }
    boolean more = found.size() > pageSize;
    return new Results(more ? found.subList(0, pageSize) : found, more);
  }

  private static Found found(ResultSet row, SearchQuery query) throws SQLException {
    String body = row.getString("body");
    String headline = row.getString("headline");
    List<AttachedFile> files = Attachments.fromJson(row.getString("files"));
    return new Found(
        row.getLong("id"),
        row.getLong("room_id"),
        row.getString("room_name"),
        row.getBoolean("direct"),
        row.getLong("seq"),
        row.getLong("at"),
        row.getObject("parent_id", Long.class),
        row.getString("subject"),
        row.getString("display_name"),
        row.getString("username"),
        row.getTimestamp("created_at").toInstant(),
        Snippet.of(headline == null ? firstWords(body) : headline, body, query.parts()),
        files.isEmpty() ? null : files);
  }

  /** The start of a message found by filters alone. */
  private static String firstWords(String body) {
    return body.length() <= 2 * Snippet.AROUND ? body : body.substring(0, 2 * Snippet.AROUND) + "…";
  }

  /**
   * The statement timeout for this transaction only ({@code SET LOCAL}: the pooled connection is
   * back to the server's default when it commits).
   */
  static void bounded(Connection db) throws SQLException {
    try (Statement set = db.createStatement()) {
      set.execute("SET LOCAL statement_timeout = " + STATEMENT_TIMEOUT.toMillis());
    }
  }

  /** A cancelled statement as a 503 with a sentence; anything else as the failure it is. */
  static RuntimeException tooLongOr(SQLException e, String what) throws Refused {
    if (QUERY_CANCELED.equals(e.getSQLState())) {
      throw new Refused(
          Status.SERVICE_UNAVAILABLE,
          "search_too_long",
          "This search took too long. Add words or a filter (in:, from:, after:) and try again.");
    }
    return new IllegalStateException(what, e);
  }

  /** LIKE's wildcards and its escape as plain text. */
  static String likeLiteral(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
