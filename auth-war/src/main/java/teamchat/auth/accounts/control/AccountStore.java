package teamchat.auth.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import teamchat.auth.accounts.entity.Account;
import teamchat.contract.problems.Refused;
import teamchat.database.control.SqlStates;

/** The {@code account} table. Every statement is one atomic step, so no transaction spans calls. */
@ApplicationScoped
public class AccountStore {

  private static final RowMapper<Account> ACCOUNT =
      (row, context) ->
          new Account(
              row.getObject("id", UUID.class),
              row.getString("username"),
              row.getString("display_name"),
              row.getString("password_hash"));

  @Inject Jdbi jdbi;

  /** Stores a new account; 409 {@code username_taken} when the name is taken, whatever its case. */
  public void insert(Account account) throws Refused {
    try {
      jdbi.useHandle(
          db ->
              db.createUpdate(
                      "INSERT INTO accounts.account (id, username, display_name, password_hash)"
                          + " VALUES (:id, :username, :displayName, :passwordHash)")
                  .bind("id", account.id())
                  .bind("username", account.username())
                  .bind("displayName", account.displayName())
                  .bind("passwordHash", account.passwordHash())
                  .execute());
    } catch (JdbiException e) {
      if (SqlStates.isUniqueViolation(e)) {
        throw new Refused(Status.CONFLICT, "username_taken", "This username is taken.");
      }
      throw e;
    }
  }

  /**
   * The person's account of a username in its canonical form ({@code Usernames.canonical}: ASCII,
   * lower case), which PostgreSQL's {@code lower()} of the stored ASCII name matches exactly. Never
   * a bot's: a bot has no password and never logs in (it acts only through its tokens).
   */
  public Optional<Account> findByUsername(String canonicalUsername) {
    return jdbi.withHandle(
        db ->
            db.createQuery(
                    "SELECT * FROM accounts.account WHERE lower(username) = :username"
                        + " AND bot_owner_id IS NULL")
                .bind("username", canonicalUsername)
                .map(ACCOUNT)
                .findOne());
  }

  public Optional<Account> findById(UUID id) {
    return jdbi.withHandle(
        db ->
            db.createQuery("SELECT * FROM accounts.account WHERE id = :id")
                .bind("id", id)
                .map(ACCOUNT)
                .findOne());
  }

  public void replacePasswordHash(UUID id, String passwordHash) {
    jdbi.useHandle(
        db ->
            db.createUpdate(
                    "UPDATE accounts.account SET password_hash = :passwordHash WHERE id = :id")
                .bind("passwordHash", passwordHash)
                .bind("id", id)
                .execute());
  }

  public void replaceDisplayName(UUID id, String displayName) {
    jdbi.useHandle(
        db ->
            db.createUpdate("UPDATE accounts.account SET display_name = :name WHERE id = :id")
                .bind("name", displayName)
                .bind("id", id)
                .execute());
  }
}
