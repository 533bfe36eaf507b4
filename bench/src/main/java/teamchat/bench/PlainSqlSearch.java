package teamchat.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code search} scenario's reference: a {@link Search.Query}'s words as plain SQL {@code ILIKE
 * '%word%'} over the same rows, with the same membership check and filters as chatfront's search,
 * and no index that can help: what search would be without its indexes.
 */
final class PlainSqlSearch {

  private PlainSqlSearch() {}

  /** The reference: the newest 21 messages the searcher may read that hold every pattern. */
  private static final String SELECT =
      "SELECT m.id, m.room_id, m.seq, m.created_at, m.body FROM chat.message m"
          + " JOIN chat.room r ON r.id = m.room_id JOIN chat.chat_user u ON u.id = m.sender_id"
          + " WHERE m.kind = 'message' AND m.body IS NOT NULL"
          + " AND m.room_id IN (SELECT ms.room_id FROM chat.membership ms"
          + "   JOIN chat.chat_user me ON me.id = ms.user_id WHERE me.subject = ?)";

  /**
   * Runs the query for the searcher {@code subject} ({@code senderUsername} for its {@code from:});
   * returns how many rows it found (at most 21).
   */
  static int newest(Connection db, String subject, String senderUsername, Search.Query query)
      throws SQLException {
    StringBuilder sql = new StringBuilder(SELECT);
    for (int i = 0; i < query.patterns().size(); i++) {
      sql.append(" AND m.body ILIKE ?");
    }
    if (query.room() != null) {
      sql.append(" AND r.visibility <> 'direct' AND lower(r.name) = lower(?)");
    }
    if (query.fromFilter()) {
      sql.append(" AND lower(u.username) = lower(?)");
    }
    sql.append(" ORDER BY m.created_at DESC, m.id DESC LIMIT 21");
    try (PreparedStatement statement = db.prepareStatement(sql.toString())) {
      int p = 1;
      statement.setString(p++, subject);
      for (String pattern : query.patterns()) {
        statement.setString(p++, pattern);
      }
      if (query.room() != null) {
        statement.setString(p++, query.room());
      }
      if (query.fromFilter()) {
        statement.setString(p, senderUsername);
      }
      int rows = 0;
      try (ResultSet found = statement.executeQuery()) {
        while (found.next()) {
          rows++;
        }
      }
      return rows;
    }
  }
}
