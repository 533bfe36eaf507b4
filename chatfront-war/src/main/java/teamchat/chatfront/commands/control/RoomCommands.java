package teamchat.chatfront.commands.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import teamchat.chatfront.commands.entity.RegisteredCommand;
import teamchat.chatfront.commands.entity.RoomCommand;
import teamchat.contract.problems.Refused;

/**
 * The commands of a room, kept by its owners: registered (with a bot the owner owns that is a
 * member of the room, and a target the {@link TargetGuard} accepts), listed and revoked. A room the
 * caller is not in is 404, as everywhere; a member who is no owner is 403.
 */
@ApplicationScoped
public class RoomCommands {

  /** Commands one room may hold: each is a name people must remember. */
  public static final int MAX_PER_ROOM = 50;

  @Inject DataSource dataSource;
  @Inject CommandSettings settings;

  /** Registers {@code /name} in the room; the secret is in the answer and nowhere else after. */
  @Transactional(rollbackOn = {SQLException.class, Refused.class})
  public RegisteredCommand register(
      String owner, long room, String name, String url, String botUsername)
      throws Refused, SQLException {
    try (Connection db = dataSource.getConnection()) {
      long ownerId = requireOwner(db, owner, room);
      String command = name == null ? "" : name.strip();
      if (command.startsWith("/")) {
        command = command.substring(1);
      }
      if (!CommandLine.isName(command)) {
        throw invalid(
            "name_invalid", "A command's name: 1 to 32 lowercase letters, digits or dashes.");
      }
      if (url == null || url.length() > 2000) {
        throw invalid("url_invalid", "The URL: at most 2,000 characters, starting with https://.");
      }
      try {
        settings.guard().check(url);
      } catch (TargetRefused refused) {
        throw invalid("url_refused", refused.getMessage());
      }
      Long bot = botOf(db, ownerId, room, botUsername);
      if (bot == null) {
        throw invalid(
            "bot_invalid", "The bot must be a bot account of yours that is a member of the room.");
      }
      try (PreparedStatement lock =
          db.prepareStatement("SELECT id FROM chat.room WHERE id = ? FOR UPDATE")) {
        lock.setLong(1, room);
        lock.executeQuery().close();
      }
      try (PreparedStatement query =
          db.prepareStatement(
              "SELECT count(*), count(*) FILTER (WHERE name = ?)"
                  + " FROM chat.room_command WHERE room_id = ?")) {
        query.setString(1, command);
        query.setLong(2, room);
        try (ResultSet row = query.executeQuery()) {
          row.next();
          if (row.getLong(2) > 0) {
            throw new Refused(
                Response.Status.CONFLICT,
                "command_exists",
                "The room has /" + command + " already.");
          }
          if (row.getLong(1) >= MAX_PER_ROOM) {
            throw invalid("too_many_commands", "A room holds at most 50 commands.");
          }
        }
      }
      String secret = CallSigner.newSecret();
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO chat.room_command (room_id, name, target_url, bot_id, secret,"
                  + " created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
        insert.setLong(1, room);
        insert.setString(2, command);
        insert.setString(3, url);
        insert.setLong(4, bot);
        insert.setString(5, secret);
        insert.setLong(6, ownerId);
        try (ResultSet row = insert.executeQuery()) {
          row.next();
          long id = row.getLong(1);
          return new RegisteredCommand(
              list(db, room).stream().filter(c -> c.id() == id).findFirst().orElseThrow(), secret);
        }
      }
    }
  }

  /** The room's commands, by name. */
  @Transactional(rollbackOn = {SQLException.class, Refused.class})
  public List<RoomCommand> list(String owner, long room) throws Refused, SQLException {
    try (Connection db = dataSource.getConnection()) {
      requireOwner(db, owner, room);
      return list(db, room);
    }
  }

  /** Revokes a command of the room: its pending calls go with it. */
  @Transactional(rollbackOn = {SQLException.class, Refused.class})
  public void revoke(String owner, long room, long command) throws Refused, SQLException {
    try (Connection db = dataSource.getConnection()) {
      requireOwner(db, owner, room);
      try (PreparedStatement delete =
          db.prepareStatement("DELETE FROM chat.room_command WHERE id = ? AND room_id = ?")) {
        delete.setLong(1, command);
        delete.setLong(2, room);
        if (delete.executeUpdate() == 0) {
          throw new Refused(
              Response.Status.NOT_FOUND, "command_not_found", "The room has no such command.");
        }
      }
    }
  }

  private static List<RoomCommand> list(Connection db, long room) throws SQLException {
    List<RoomCommand> commands = new ArrayList<>();
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT c.id, c.name, c.target_url, b.username, c.created_at, c.last_error,"
                + " c.last_error_at FROM chat.room_command c JOIN chat.chat_user b ON b.id = c.bot_id"
                + " WHERE c.room_id = ? ORDER BY c.name")) {
      query.setLong(1, room);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          Timestamp failed = rows.getTimestamp(7);
          commands.add(
              new RoomCommand(
                  rows.getLong(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getTimestamp(5).toInstant(),
                  rows.getString(6),
                  failed == null ? null : failed.toInstant()));
        }
      }
    }
    return commands;
  }

  /** The owner's row id; 404 when they are not in the room, 403 when they do not own it. */
  private static long requireOwner(Connection db, String subject, long room)
      throws SQLException, Refused {
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT u.id, m.role FROM chat.chat_user u JOIN chat.membership m"
                + " ON m.user_id = u.id AND m.room_id = ? WHERE u.subject = ?")) {
      query.setLong(1, room);
      query.setString(2, subject);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          throw new Refused(
              Response.Status.NOT_FOUND, "room_not_found", "You are in no room with that id.");
        }
        if (!"owner".equals(row.getString(2))) {
          throw new Refused(
              Response.Status.FORBIDDEN,
              "not_room_owner",
              "Only an owner of the room manages its commands.");
        }
        return row.getLong(1);
      }
    }
  }

  /** The bot's row id when it is the owner's bot and a member of the room, else null. */
  private static Long botOf(Connection db, long owner, long room, String username)
      throws SQLException {
    if (username == null || username.isBlank() || username.length() > 64) {
      return null;
    }
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT u.id FROM chat.chat_user u JOIN chat.membership m"
                + " ON m.user_id = u.id AND m.room_id = ?"
                + " WHERE lower(u.username) = lower(?) AND u.bot_owner_id = ?")) {
      query.setLong(1, room);
      query.setString(2, username.strip());
      query.setLong(3, owner);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? row.getLong(1) : null;
      }
    }
  }

  private static Refused invalid(String code, String sentence) {
    return new Refused(Response.Status.BAD_REQUEST, code, sentence);
  }
}
