package teamchat.auth.tokens.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
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

  @Inject Jdbi jdbi;

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
    return jdbi.withHandle(db -> insert(db, UUID.randomUUID(), accountId));
  }

  /** What using a refresh token up returned: its family (session), account and expiry. */
  private record Used(UUID family, UUID accountId, Instant expiresAt) {}

  /**
   * Exchanges a refresh token for the next one of its family. Exactly one of several concurrent
   * uses wins (one {@code UPDATE ... WHERE used_at IS NULL}); the others count as reuse.
   */
  public Issued rotate(String token) throws Refused {
    byte[] hash = hash(token);
    return jdbi.withHandle(
        db -> {
          Optional<Used> used =
              db.createQuery(
                      "UPDATE accounts.refresh_token SET used_at = now()"
                          + " WHERE token_hash = :hash AND used_at IS NULL"
                          + " RETURNING family_id, account_id, expires_at")
                  .bind("hash", hash)
                  .map(
                      (row, context) ->
                          new Used(
                              row.getObject("family_id", UUID.class),
                              row.getObject("account_id", UUID.class),
                              row.getTimestamp("expires_at").toInstant()))
                  .findOne();
          if (used.isPresent()) {
            if (isRevoked(db, used.get().family())) {
              throw notAccepted("session_revoked");
            }
            if (used.get().expiresAt().isBefore(Instant.now())) {
              throw notAccepted("refresh_token_expired");
            }
            return insert(db, used.get().family(), used.get().accountId());
          }
          Optional<UUID> reused = family(db, hash);
          if (reused.isPresent()) {
            revoke(db, reused.get(), "refresh token reused");
            LOG.warning(() -> "Refresh token reused: session " + reused.get() + " revoked");
            throw notAccepted("refresh_token_reused");
          }
          throw notAccepted("refresh_token_invalid");
        });
  }

  /** The session (family) a refresh token stands for, and whose it is. */
  public record Session(UUID id, UUID accountId) {}

  /**
   * The session of a refresh token that is still good for a refresh, without using it up: the proof
   * of a signed-in session that changes to the account ask for. Refused as {@link #rotate} would
   * refuse it, and a used-up token likewise counts as reuse: its whole session is revoked.
   */
  public Session sessionOf(String token) throws Refused {
    byte[] hash = hash(token);
    return jdbi.withHandle(
        db -> {
          record Row(UUID family, UUID accountId, Instant expiresAt, boolean used) {}
          Row row =
              db.createQuery(
                      "SELECT family_id, account_id, expires_at, used_at IS NOT NULL AS used"
                          + " FROM accounts.refresh_token WHERE token_hash = :hash")
                  .bind("hash", hash)
                  .map(
                      (r, context) ->
                          new Row(
                              r.getObject("family_id", UUID.class),
                              r.getObject("account_id", UUID.class),
                              r.getTimestamp("expires_at").toInstant(),
                              r.getBoolean("used")))
                  .findOne()
                  .orElseThrow(() -> notAccepted("refresh_token_invalid"));
          if (isRevoked(db, row.family())) {
            throw notAccepted("session_revoked");
          }
          if (row.used()) {
            revoke(db, row.family(), "refresh token reused");
            LOG.warning(() -> "Refresh token reused: session " + row.family() + " revoked");
            throw notAccepted("refresh_token_reused");
          }
          if (row.expiresAt().isBefore(Instant.now())) {
            throw notAccepted("refresh_token_expired");
          }
          return new Session(row.family(), row.accountId());
        });
  }

  /**
   * Revokes every live session of an account but {@code keep} (after a password change: whoever
   * knew the old password is signed out everywhere else), or all of them when {@code keep} is null
   * (signing out everywhere). Returns how many were ended; sessions already revoked or expired are
   * not counted.
   */
  public int revokeSessions(UUID accountId, UUID keep, String reason) {
    return jdbi.withHandle(
        db ->
            db.createUpdate(
                    "INSERT INTO accounts.revoked_session (family_id, reason)"
                        + " SELECT DISTINCT family_id, CAST(:reason AS text)"
                        + " FROM accounts.refresh_token"
                        + " WHERE account_id = :account AND family_id <> :keep"
                        + " AND used_at IS NULL AND expires_at > now()"
                        + " ON CONFLICT (family_id) DO NOTHING")
                .bind("account", accountId)
                // No session has the nil UUID: with it, none is kept.
                .bind("keep", keep == null ? new UUID(0, 0) : keep)
                .bind("reason", reason)
                .execute());
  }

  /** Logout: revokes the session the token belongs to. Unknown tokens are ignored. */
  public void revokeSessionOf(String token) {
    jdbi.useHandle(db -> family(db, hash(token)).ifPresent(family -> revoke(db, family, "logout")));
  }

  /**
   * Sessions revoked recently enough that access tokens of theirs may still be unexpired: what
   * verifiers must refuse.
   */
  public List<UUID> recentlyRevokedSessions() {
    Instant since = Instant.now().minus(accessTokenLifetime).minus(SigningKeys.CLOCK_SKEW);
    return jdbi.withHandle(
        db ->
            db.createQuery(
                    "SELECT family_id FROM accounts.revoked_session WHERE revoked_at > :since"
                        + " ORDER BY revoked_at")
                .bind("since", since)
                .mapTo(UUID.class)
                .list());
  }

  private Issued insert(Handle db, UUID family, UUID accountId) {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    db.createUpdate(
            "INSERT INTO accounts.refresh_token (token_hash, family_id, account_id, expires_at)"
                + " VALUES (:hash, :family, :accountId, :expiresAt)")
        .bind("hash", hash(token))
        .bind("family", family)
        .bind("accountId", accountId)
        .bind("expiresAt", Instant.now().plus(lifetime))
        .execute();
    return new Issued(token, family, accountId);
  }

  private static Optional<UUID> family(Handle db, byte[] hash) {
    return db.createQuery("SELECT family_id FROM accounts.refresh_token WHERE token_hash = :hash")
        .bind("hash", hash)
        .mapTo(UUID.class)
        .findOne();
  }

  private static boolean isRevoked(Handle db, UUID family) {
    return db.createQuery("SELECT 1 FROM accounts.revoked_session WHERE family_id = :family")
        .bind("family", family)
        .mapTo(Integer.class)
        .findOne()
        .isPresent();
  }

  private static void revoke(Handle db, UUID family, String reason) {
    db.createUpdate(
            "INSERT INTO accounts.revoked_session (family_id, reason) VALUES (:family, :reason)"
                + " ON CONFLICT (family_id) DO NOTHING")
        .bind("family", family)
        .bind("reason", reason)
        .execute();
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
