package teamchat.chatfront.commands.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import teamchat.chatfront.commands.entity.CallState;
import teamchat.chatfront.messages.control.MessageStore;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreOutcome;

/**
 * The outbox's transactions: claiming due calls (any chatfront instance; {@code FOR UPDATE SKIP
 * LOCKED}, so two never claim the same row), and finishing one: the answer stored as the bot with
 * the row marked done in one transaction, the answer's client id being the call's id, so a call
 * finished twice (an instance that died between the two) stores its answer once.
 */
@ApplicationScoped
public class CommandOutbox {

  /** How long a claim holds a row: longer than one attempt can take (connect + read timeouts). */
  static final Duration CLAIM = Duration.ofSeconds(60);

  /** A claimed call with all its payload and its target. */
  public record Claimed(
      long id,
      int attempt,
      String command,
      String arguments,
      String url,
      String secret,
      String bot,
      long room,
      String roomName,
      long message,
      long seq,
      Instant sent,
      String username,
      String displayName) {}

  @Inject DataSource dataSource;
  @Inject MessageStore store;

  /** Claims up to {@code limit} due calls, each for {@link #CLAIM}, counting the attempt. */
  @Transactional(rollbackOn = SQLException.class)
  public List<Claimed> claim(int limit) throws SQLException {
    List<Claimed> claimed = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "WITH due AS (SELECT id FROM chat.command_call"
                    + " WHERE state = 'pending' AND next_attempt_at <= now()"
                    + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED),"
                    + " claimed AS (UPDATE chat.command_call c SET attempts = c.attempts + 1,"
                    + " next_attempt_at = now() + ? * interval '1 second'"
                    + " FROM due WHERE c.id = due.id"
                    + " RETURNING c.id, c.attempts, c.command_id, c.message_id, c.arguments)"
                    + " SELECT claimed.id, claimed.attempts, rc.name, claimed.arguments,"
                    + " rc.target_url, rc.secret, bot.subject, r.id, r.name, m.id, m.seq,"
                    + " m.created_at, u.username, u.display_name"
                    + " FROM claimed JOIN chat.room_command rc ON rc.id = claimed.command_id"
                    + " JOIN chat.room r ON r.id = rc.room_id"
                    + " JOIN chat.message m ON m.id = claimed.message_id"
                    + " JOIN chat.chat_user u ON u.id = m.sender_id"
                    + " JOIN chat.chat_user bot ON bot.id = rc.bot_id ORDER BY claimed.id")) {
      query.setInt(1, limit);
      query.setLong(2, CLAIM.toSeconds());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          claimed.add(
              new Claimed(
                  rows.getLong(1),
                  rows.getInt(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getString(6),
                  rows.getString(7),
                  rows.getLong(8),
                  rows.getString(9),
                  rows.getLong(10),
                  rows.getLong(11),
                  rows.getTimestamp(12).toInstant(),
                  rows.getString(13),
                  rows.getString(14)));
        }
      }
    }
    return claimed;
  }

  /**
   * Stores the answer as the bot (through the store every message takes, under the call's client
   * id) and marks the call done; or, when the store refuses the answer (the bot left the room, the
   * text is not a valid message), marks it failed with the refusal's code.
   */
  @Transactional(rollbackOn = SQLException.class)
  public StoreOutcome answer(Claimed call, NewMessage answer) throws SQLException {
    StoreOutcome outcome = store.storeOutsideChatserv(List.of(answer)).get(0);
    if (outcome.durable()) {
      try (Connection db = dataSource.getConnection();
          PreparedStatement done =
              db.prepareStatement(
                  "UPDATE chat.command_call SET state = ?, answer_id = ?, last_error = NULL"
                      + " WHERE id = ?")) {
        done.setString(1, CallState.DONE.column());
        done.setLong(2, outcome.id());
        done.setLong(3, call.id());
        done.executeUpdate();
      }
    } else {
      finish(call, CallState.FAILED, "the answer was refused: " + outcome.code(), null);
    }
    return outcome;
  }

  /**
   * Marks a call done (without an answer to post), failed, or pending again after {@code retry}; a
   * failure's reason goes on the command too, for its list.
   */
  @Transactional(rollbackOn = SQLException.class)
  public void finish(Claimed call, CallState state, String error, Duration retry)
      throws SQLException {
    try (Connection db = dataSource.getConnection()) {
      try (PreparedStatement update =
          db.prepareStatement(
              "UPDATE chat.command_call SET state = ?, last_error = ?,"
                  + " next_attempt_at = now() + ? * interval '1 millisecond' WHERE id = ?")) {
        update.setString(1, state.column());
        update.setString(2, error);
        update.setLong(3, retry == null ? 0 : retry.toMillis());
        update.setLong(4, call.id());
        update.executeUpdate();
      }
      if (error != null) {
        try (PreparedStatement update =
            db.prepareStatement(
                "UPDATE chat.room_command SET last_error = ?, last_error_at = now()"
                    + " WHERE id = (SELECT command_id FROM chat.command_call WHERE id = ?)")) {
          update.setString(1, error);
          update.setLong(2, call.id());
          update.executeUpdate();
        }
      }
    }
  }
}
