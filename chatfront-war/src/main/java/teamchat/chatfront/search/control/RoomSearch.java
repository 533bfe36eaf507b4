package teamchat.chatfront.search.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Rooms by part of their name or topic: the person's own rooms (public or private) and the public
 * rooms they could join, never someone else's private room. Direct conversations are found as
 * people (the people search of {@code users}).
 */
@ApplicationScoped
public class RoomSearch {

  /** The most rooms one search answers. */
  public static final int MAX_FOUND = 10;

  /** The longest text searched for (a room name is at most 64 characters). */
  public static final int MAX_QUERY = 64;

  /**
   * A room found.
   *
   * @param member whether the person is in it (then it opens; otherwise it is public and can be
   *     joined)
   */
  public record FoundRoom(long id, String name, String topic, String visibility, boolean member) {}

  @Inject DataSource dataSource;

  /**
   * Up to {@link #MAX_FOUND} rooms whose name (or topic) holds the text, any case: the person's
   * first, then by whether the name starts with it, then by name. Blank text finds none.
   */
  public List<FoundRoom> search(String subject, String text) {
    String typed = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (typed.startsWith("#")) {
      typed = typed.substring(1);
    }
    if (typed.isEmpty() || typed.length() > MAX_QUERY) {
      return List.of();
    }
    String literal = MessageSearch.likeLiteral(typed);
    List<FoundRoom> found = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT r.id, r.name, r.topic, r.visibility, ms.user_id IS NOT NULL AS member"
                    + " FROM chat.room r"
                    + " LEFT JOIN chat.membership ms ON ms.room_id = r.id"
                    + "   AND ms.user_id = (SELECT id FROM chat.chat_user WHERE subject = ?)"
                    + " WHERE r.visibility <> 'direct'"
                    + " AND (r.visibility = 'public' OR ms.user_id IS NOT NULL)"
                    + " AND (lower(r.name) LIKE ? OR lower(r.topic) LIKE ?)"
                    + " ORDER BY member DESC, lower(r.name) LIKE ? DESC, lower(r.name)"
                    + " LIMIT ?")) {
      query.setString(1, subject);
      query.setString(2, "%" + literal + "%");
      query.setString(3, "%" + literal + "%");
      query.setString(4, literal + "%");
      query.setInt(5, MAX_FOUND);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          found.add(
              new FoundRoom(
                  rows.getLong("id"),
                  rows.getString("name"),
                  rows.getString("topic"),
                  rows.getString("visibility"),
                  rows.getBoolean("member")));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("searching rooms failed", e);
    }
    return found;
  }
}
