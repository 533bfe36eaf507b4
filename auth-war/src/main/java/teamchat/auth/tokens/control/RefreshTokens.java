package teamchat.auth.tokens.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.problems.Refused;

/**
 * Refresh tokens: 256 random bits, stored only as their SHA-256, rotated on every use. All tokens
 * of one login form a family, whose id is the session id. A token presented a second time means
 * that someone else holds a copy: the whole family is revoked.
 */
@ApplicationScoped
public class RefreshTokens {

  private static final Logger LOG = Logger.getLogger(RefreshTokens.class.getName());
  private static final int TOKEN_BYTES = 32;

  @Inject DataSource dataSource;

  @Inject
  @ConfigProperty(name = "auth.refresh-token.lifetime")
  Duration lifetime;

  @Inject
  @ConfigProperty(name = "auth.access-token.lifetime")
  Duration accessTokenLifetime;

  private final SecureRandom random = new SecureRandom();

  /** A new refresh token, with the session (family) it belongs to. */
  public record Issued(String token, UUID session, UUID accountId) {}

  /**
   * A refresh token not accepted: 401, with the reason as the code ({@code refresh_token_invalid},
   * {@code refresh_token_expired}, {@code refresh_token_reused}, {@code session_revoked}, {@code
   * account_gone}) and one sentence for all, the same as before codes were told apart.
   */
  public static Refused notAccepted(String code) {
    return new Refused(Status.UNAUTHORIZED, code, "The refresh token is not accepted.");
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** Starts a session for an account that just logged in. */
  public Issued start(UUID accountId) {
    try (Connection db = dataSource.getConnection()) {
      return insert(db, UUID.randomUUID(), accountId);
    } catch (SQLException e) {
      throw new IllegalStateException("could not store a refresh token", e);
    }
  }

  /**
   * Exchanges a refresh token for the next one of its family. Exactly one of several concurrent
   * uses wins; the others count as reuse.
   */
  public Issued rotate(String token) throws Refused {
    byte[] hash = hash(token);
    try (Connection db = dataSource.getConnection()) {
      try (PreparedStatement use =
          db.prepareStatement(
              "UPDATE accounts.refresh_token SET used_at = now() WHERE token_hash = ? AND used_at IS NULL"
                  + " RETURNING family_id, account_id, expires_at")) {
        use.setBytes(1, hash);
        try (ResultSet used = use.executeQuery()) {
          if (used.next()) {
            UUID family = used.getObject("family_id", UUID.class);
            if (isRevoked(db, family)) {
              throw notAccepted("session_revoked");
            }
            if (used.getTimestamp("expires_at").toInstant().isBefore(Instant.now())) {
              throw notAccepted("refresh_token_expired");
            }
            return insert(db, family, used.getObject("account_id", UUID.class));
          }
        }
      }
      Optional<UUID> reused = family(db, hash);
      if (reused.isPresent()) {
        revoke(db, reused.get(), "refresh token reused");
        LOG.warning(() -> "Refresh token reused: session " + reused.get() + " revoked");
        throw notAccepted("refresh_token_reused");
      }
      throw notAccepted("refresh_token_invalid");
    } catch (SQLException e) {
      throw new IllegalStateException("could not rotate a refresh token", e);
    }
  }

  /** Logout: revokes the session the token belongs to. Unknown tokens are ignored. */
  public void revokeSessionOf(String token) {
    try (Connection db = dataSource.getConnection()) {
      Optional<UUID> family = family(db, hash(token));
      if (family.isPresent()) {
        revoke(db, family.get(), "logout");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not revoke a session", e);
    }
  }

  /**
   * Sessions revoked recently enough that access tokens of theirs may still be unexpired: what
   * verifiers must refuse.
   */
  public List<UUID> recentlyRevokedSessions() {
    Instant since = Instant.now().minus(accessTokenLifetime).minus(SigningKeys.CLOCK_SKEW);
    List<UUID> sessions = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT family_id FROM accounts.revoked_session WHERE revoked_at > ? ORDER BY revoked_at")) {
      query.setTimestamp(1, Timestamp.from(since));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          sessions.add(rows.getObject(1, UUID.class));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read revoked sessions", e);
    }
    return sessions;
  }

  private Issued insert(Connection db, UUID family, UUID accountId) throws SQLException {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO accounts.refresh_token (token_hash, family_id, account_id, expires_at) VALUES (?, ?, ?, ?)")) {
      insert.setBytes(1, hash(token));
      insert.setObject(2, family);
      insert.setObject(3, accountId);
      insert.setTimestamp(4, Timestamp.from(Instant.now().plus(lifetime)));
      insert.executeUpdate();
    }
    return new Issued(token, family, accountId);
  }

  private static Optional<UUID> family(Connection db, byte[] hash) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement("SELECT family_id FROM accounts.refresh_token WHERE token_hash = ?")) {
      query.setBytes(1, hash);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? Optional.of(row.getObject(1, UUID.class)) : Optional.empty();
      }
    }
  }

  private static boolean isRevoked(Connection db, UUID family) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement("SELECT 1 FROM accounts.revoked_session WHERE family_id = ?")) {
      query.setObject(1, family);
      try (ResultSet row = query.executeQuery()) {
        return row.next();
      }
    }
  }

  private static void revoke(Connection db, UUID family, String reason) throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO accounts.revoked_session (family_id, reason) VALUES (?, ?) ON CONFLICT (family_id) DO NOTHING")) {
      insert.setObject(1, family);
      insert.setString(2, reason);
      insert.executeUpdate();
    }
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
