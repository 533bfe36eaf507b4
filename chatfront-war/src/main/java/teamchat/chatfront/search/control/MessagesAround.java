package teamchat.chatfront.search.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import teamchat.chatfront.messages.control.MessageHistory;
import teamchat.chatfront.messages.control.ShownMessage;

/**
 * The messages of a room around one seq, so that a search result opens its room there: up to {@link
 * #EACH_SIDE} messages of the room (not replies) before it, the message at it, and up to {@link
 * #EACH_SIDE} after it, oldest first, each in its current state as the room's pages show them
 * ({@link MessageHistory#shownBefore}: one read, one snapshot). Whether the reader may see the room
 * is the caller's check.
 */
@ApplicationScoped
public class MessagesAround {

  /** Messages shown on each side of the one looked for. */
  public static final int EACH_SIDE = 25;

  /**
   * The window, and whether it reaches the room's newest message ({@code latest}: then the page can
   * treat it as the room's latest page and append live messages to it).
   */
  public record Window(List<ShownMessage> messages, boolean latest) {}

  @Inject DataSource dataSource;
  @Inject MessageHistory history;

  public Window around(long room, long seq) {
    // The seqs of the messages after seq, one more than shown: is there anything past the window?
    List<Long> later = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT seq FROM chat.message WHERE room_id = ? AND seq > ? AND kind = 'message'"
                    + " AND parent_id IS NULL ORDER BY seq LIMIT ?")) {
      query.setLong(1, room);
      query.setLong(2, seq);
      query.setInt(3, EACH_SIDE + 1);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          later.add(rows.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading around seq " + seq + " of room " + room, e);
    }
    boolean latest = later.size() <= EACH_SIDE;
    int shownAfter = Math.min(later.size(), EACH_SIDE);
    long end = shownAfter == 0 ? seq : later.get(shownAfter - 1);
    return new Window(history.shownBefore(room, end + 1, shownAfter + 1 + EACH_SIDE), latest);
  }
}
