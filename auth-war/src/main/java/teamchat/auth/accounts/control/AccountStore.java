package teamchat.auth.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import teamchat.auth.accounts.entity.Account;
import teamchat.contract.problems.Refused;
import teamchat.database.control.SqlStates;

/** The {@code account} table. Every statement is one atomic step, so no transaction spans calls. */
@ApplicationScoped
public class AccountStore {

  @Inject DataSource dataSource;

  /** Stores a new account; 409 {@code username_taken} when the name is taken, whatever its case. */
  public void insert(Account account) throws Refused {
    try (Connection db = dataSource.getConnection();
        PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO accounts.account (id, username, display_name, password_hash) VALUES (?, ?, ?, ?)")) {
      insert.setObject(1, account.id());
      insert.setString(2, account.username());
      insert.setString(3, account.displayName());
      insert.setString(4, account.passwordHash());
      insert.executeUpdate();
    } catch (SQLException e) {
      if (SqlStates.isUniqueViolation(e)) {
        throw new Refused(Status.CONFLICT, "username_taken", "This username is taken.");
      }
      throw new IllegalStateException("could not store the account", e);
    }
  }

  /**
   * The account of a username in its canonical form ({@code Usernames.canonical}: ASCII, lower
   * case), which PostgreSQL's {@code lower()} of the stored ASCII name matches exactly.
   */
  public Optional<Account> findByUsername(String canonicalUsername) {
    return findOne("SELECT * FROM accounts.account WHERE lower(username) = ?", canonicalUsername);
  }

  public Optional<Account> findById(UUID id) {
    return findOne("SELECT * FROM accounts.account WHERE id = ?", id);
  }

  public void replacePasswordHash(UUID id, String passwordHash) {
    try (Connection db = dataSource.getConnection();
        PreparedStatement update =
            db.prepareStatement("UPDATE accounts.account SET password_hash = ? WHERE id = ?")) {
      update.setString(1, passwordHash);
      update.setObject(2, id);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not update the password hash", e);
    }
  }

  private Optional<Account> findOne(String sql, Object parameter) {
    try (Connection db = dataSource.getConnection();
        PreparedStatement query = db.prepareStatement(sql)) {
      query.setObject(1, parameter);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Account(
                row.getObject("id", UUID.class),
                row.getString("username"),
                row.getString("display_name"),
                row.getString("password_hash")));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the account", e);
    }
  }
}
