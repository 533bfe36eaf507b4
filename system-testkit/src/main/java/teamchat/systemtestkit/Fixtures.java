package teamchat.systemtestkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * Chat data that only the web app's pages make or end (rooms, memberships: there is no API for them
 * but forms meant for people), written into chatfront's schema so that tests and the bench get
 * rooms fast. People themselves come from auth's API ({@link Accounts}), never from here.
 */
public final class Fixtures {

  private Fixtures() {}

  /**
   * Makes these auth subjects known to chatfront as chat users (chatfront learns each person at
   * their first page or socket sign-in; a membership needs them before that).
   */
  public static void chatUsers(Connection chat, Collection<String> subjects) throws SQLException {
    try (PreparedStatement user =
        chat.prepareStatement(
            "INSERT INTO chat.chat_user (subject, display_name) VALUES (?, 'someone')"
                + " ON CONFLICT DO NOTHING")) {
      for (String subject : subjects) {
        user.setString(1, subject);
        user.addBatch();
      }
      user.executeBatch();
    }
  }

  /**
   * A new private room named {@code <prefix>-<uuid>} with these auth subjects as members (made chat
   * users first); returns its id.
   */
  public static long privateRoom(Connection chat, String prefix, Collection<String> subjects)
      throws SQLException {
    chatUsers(chat, subjects);
    long room;
    try (PreparedStatement insert =
        chat.prepareStatement(
            "INSERT INTO chat.room (name, visibility) VALUES (?, 'private') RETURNING id")) {
      insert.setString(1, prefix + "-" + UUID.randomUUID());
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        room = rows.getLong(1);
      }
    }
    try (PreparedStatement join =
        chat.prepareStatement(
            "INSERT INTO chat.membership (room_id, user_id, role)"
                + " SELECT ?, id, 'member' FROM chat.chat_user WHERE subject = ANY (?)")) {
      join.setLong(1, room);
      join.setArray(2, chat.createArrayOf("text", subjects.toArray()));
      join.executeUpdate();
    }
    return room;
  }

  /**
   * Ends a membership as leaving the room does (chatfront's feed of ended memberships sees the row
   * go); returns how many ended (0 or 1).
   */
  public static int endMembership(Connection chat, long room, String subject) throws SQLException {
    try (PreparedStatement delete =
        chat.prepareStatement(
            "DELETE FROM chat.membership WHERE room_id = ? AND user_id ="
                + " (SELECT id FROM chat.chat_user WHERE subject = ?)")) {
      delete.setLong(1, room);
      delete.setString(2, subject);
      return delete.executeUpdate();
    }
  }
}
