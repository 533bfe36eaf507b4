package teamchat.auth.bots.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import teamchat.auth.accounts.control.DisplayNames;
import teamchat.auth.bots.entity.Bot;
import teamchat.contract.accounts.Usernames;
import teamchat.contract.problems.Refused;
import teamchat.database.control.SqlStates;

/**
 * Makes, lists, finds and deletes a person's bots. A bot is a row of {@code account} with its
 * owner's id and no password (V5): the login looks up people only, so a bot can never log in, and
 * its username is taken for everyone. Its tokens are {@code PersonalTokens}' own, held by the bot's
 * account.
 */
@ApplicationScoped
public class Bots {

  private static final Logger LOG = Logger.getLogger(Bots.class.getName());

  /** Bots one person may have (not deleted): a bound on the accounts one person makes. */
  public static final int MAX_BOTS = 10;

  private static final String LISTED =
      "SELECT a.id, a.bot_owner_id, a.username, a.display_name, a.created_at,"
          + " count(t.id) FILTER (WHERE t.revoked_at IS NULL AND t.expires_at > now()) AS tokens,"
          + " max(t.last_used_at) AS last_used"
          + " FROM accounts.account a LEFT JOIN accounts.personal_token t ON t.account_id = a.id"
          + " WHERE a.bot_owner_id = :owner AND a.deleted_at IS NULL";

  @Inject Jdbi jdbi;

  /**
   * Makes a bot owned by a person. Refused with 400 {@code username_invalid} (a username's rules),
   * {@code display_name_invalid} (blank takes the username); 409 {@code username_taken} (by a
   * person or a bot, whatever its case), {@code too_many_bots} ({@value #MAX_BOTS}); 403 {@code
   * not_a_person} for an owner who is a bot.
   */
  public Bot create(UUID ownerId, String username, String displayName) throws Refused {
    String name = username == null ? "" : username.strip();
    if (!Usernames.isValid(name)) {
      throw new Refused(
          Status.BAD_REQUEST,
          "username_invalid",
          "A bot's username has 3 to 32 letters, digits, dots, dashes or underscores, and starts"
              + " with a letter or digit.");
    }
    String shown = DisplayNames.accepted(displayName, name);
    UUID id = UUID.randomUUID();
    try {
      jdbi.useTransaction(db -> insert(db, id, ownerId, name, shown));
    } catch (Stop stop) {
      throw stop.refusal;
    } catch (JdbiException e) {
      if (SqlStates.isUniqueViolation(e)) {
        throw new Refused(Status.CONFLICT, "username_taken", "This username is taken.");
      }
      throw e;
    }
    LOG.log(Level.INFO, "bot {0} made by account {1}", new Object[] {id, ownerId});
    return owned(ownerId, id);
  }

  private static void insert(Handle db, UUID id, UUID ownerId, String name, String shown) {
    // The owner's row locked: two creations at once cannot both pass the bound.
    boolean person =
        db.createQuery(
                "SELECT bot_owner_id IS NULL FROM accounts.account WHERE id = :owner FOR UPDATE")
            .bind("owner", ownerId)
            .mapTo(Boolean.class)
            .findOne()
            .orElse(false);
    if (!person) {
      throw new Stop(new Refused(Status.FORBIDDEN, "not_a_person", "Only a person may make bots."));
    }
    int bots =
        db.createQuery(
                "SELECT count(*) FROM accounts.account"
                    + " WHERE bot_owner_id = :owner AND deleted_at IS NULL")
            .bind("owner", ownerId)
            .mapTo(Integer.class)
            .one();
    if (bots >= MAX_BOTS) {
      throw new Stop(
          new Refused(
              Status.CONFLICT,
              "too_many_bots",
              "You have " + MAX_BOTS + " bots: delete one you no longer use first."));
    }
    db.createUpdate(
            "INSERT INTO accounts.account (id, username, display_name, password_hash, bot_owner_id)"
                + " VALUES (:id, :username, :name, NULL, :owner)")
        .bind("id", id)
        .bind("username", name)
        .bind("name", shown)
        .bind("owner", ownerId)
        .execute();
  }

  /** Thrown inside the transaction to leave it with a refusal. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Refused refusal;

    Stop(Refused refusal) {
      super(null, null, false, false);
      this.refusal = refusal;
    }
  }

  /** The person's bots, by username; deleted ones are gone from the list. */
  public List<Bot> of(UUID ownerId) {
    return jdbi.withHandle(
        db ->
            db.createQuery(LISTED + " GROUP BY a.id ORDER BY lower(a.username)")
                .bind("owner", ownerId)
                .map((row, context) -> listed(row))
                .list());
  }

  /**
   * One of the person's bots, not deleted: what every change to a bot or its tokens starts from.
   * 404 {@code bot_not_found} for any other id (whoever's bot it is).
   */
  public Bot owned(UUID ownerId, UUID botId) throws Refused {
    return jdbi.withHandle(
            db ->
                db.createQuery(LISTED + " AND a.id = :bot GROUP BY a.id")
                    .bind("owner", ownerId)
                    .bind("bot", botId)
                    .map((row, context) -> listed(row))
                    .findOne())
        .orElseThrow(Bots::notFound);
  }

  /**
   * Deletes one of the person's bots: its tokens are revoked at once (introspection also ignores a
   * deleted bot's tokens), its row stays so that its messages keep its name. 404 {@code
   * bot_not_found} as {@link #owned}.
   */
  public void delete(UUID ownerId, UUID botId) throws Refused {
    int found =
        jdbi.inTransaction(
            db -> {
              int rows =
                  db.createUpdate(
                          "UPDATE accounts.account SET deleted_at = now()"
                              + " WHERE id = :bot AND bot_owner_id = :owner AND deleted_at IS NULL")
                      .bind("bot", botId)
                      .bind("owner", ownerId)
                      .execute();
              db.createUpdate(
                      "UPDATE accounts.personal_token SET revoked_at = coalesce(revoked_at, now())"
                          + " WHERE account_id = :bot AND :rows > 0")
                  .bind("bot", botId)
                  .bind("rows", rows)
                  .execute();
              return rows;
            });
    if (found == 0) {
      throw notFound();
    }
    LOG.log(Level.INFO, "bot {0} of account {1} deleted", new Object[] {botId, ownerId});
  }

  private static Refused notFound() {
    return new Refused(Status.NOT_FOUND, "bot_not_found", "You have no such bot.");
  }

  private static Bot listed(ResultSet row) throws SQLException {
    Timestamp lastUsed = row.getTimestamp("last_used");
    return new Bot(
        row.getObject("id", UUID.class),
        row.getObject("bot_owner_id", UUID.class),
        row.getString("username"),
        row.getString("display_name"),
        row.getTimestamp("created_at").toInstant(),
        row.getInt("tokens"),
        lastUsed == null ? null : lastUsed.toInstant());
  }
}
