package teamchat.chatfront.commands.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoredMessage;

/**
 * The outbox of command calls, written by {@code MessageStore} in the transaction that stores the
 * messages: a message stored now whose text starts with {@code /name} of a command of its room
 * becomes one {@code command_call} row, so it is called exactly once (the message's id is unique in
 * the outbox). No statement at all for a batch without such a text; one for a batch with some. Only
 * people call commands: a bot's message (a command's answer among them) calls none, so two bots
 * cannot call each other in a loop.
 */
public final class CommandCalls {

  private CommandCalls() {}

  /** Records the calls among {@code outcomes} (only those stored now: a resend calls nothing). */
  public static void record(Connection db, List<StoreOutcome> outcomes) throws SQLException {
    List<Long> messages = new ArrayList<>();
    List<Long> rooms = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> arguments = new ArrayList<>();
    for (StoreOutcome outcome : outcomes) {
      StoredMessage entry = outcome.entry();
      if (outcome.status() != StoreOutcome.STORED
          || entry == null
          || !EntryKind.MESSAGE.equals(entry.kind())
          || entry.parent() != null) {
        continue;
      }
      Optional<CommandLine> call = CommandLine.parse(entry.body());
      if (call.isPresent()) {
        messages.add(entry.id());
        rooms.add(entry.room());
        names.add(call.get().name());
        arguments.add(call.get().arguments());
      }
    }
    if (messages.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO chat.command_call (command_id, message_id, arguments)"
                + " SELECT c.id, x.message, x.arguments"
                + " FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[])"
                + " AS x(message, room, name, arguments)"
                + " JOIN chat.room_command c ON c.room_id = x.room AND c.name = x.name"
                + " JOIN chat.message m ON m.id = x.message"
                + " JOIN chat.chat_user u ON u.id = m.sender_id AND u.bot_owner_id IS NULL")) {
      insert.setArray(1, db.createArrayOf("bigint", messages.toArray()));
      insert.setArray(2, db.createArrayOf("bigint", rooms.toArray()));
      insert.setArray(3, db.createArrayOf("text", names.toArray()));
      insert.setArray(4, db.createArrayOf("text", arguments.toArray()));
      insert.executeUpdate();
    }
  }
}
