package teamchat.auth.apitokens.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import teamchat.auth.apitokens.entity.PersonalToken;
import teamchat.auth.apitokens.entity.Scope;
import teamchat.contract.problems.Refused;

/**
 * Makes, lists, revokes and checks personal access tokens. A token is {@value #PREFIX} and 256
 * random bits in base64url (43 characters): the prefix lets secret scanners and people recognise
 * one in a paste or a commit. Only its SHA-256 is stored, so a copy of the database holds no usable
 * token; the token itself is returned once, when it is made, and never logged (the log names the
 * token's id).
 */
@ApplicationScoped
public class PersonalTokens {

  private static final Logger LOG = Logger.getLogger(PersonalTokens.class.getName());

  public static final String PREFIX = "tcp_";
  private static final int TOKEN_BYTES = 32;

  /** The exact shape of a token: anything else is inactive without a database lookup. */
  private static final Pattern SHAPE = Pattern.compile("tcp_[A-Za-z0-9_-]{43}");

  /** The longest name, in code points; names are for the owner's list only. */
  static final int MAX_NAME = 64;

  /** Expiry in days: every token expires, a year at most (GitHub's fine-grained tokens: same). */
  public static final int MAX_DAYS = 366;

  /** Tokens one account may hold unrevoked and unexpired: a bound on the rows one person makes. */
  public static final int MAX_ACTIVE = 50;

  private static final Pattern NOT_IN_A_NAME = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

  @Inject Jdbi jdbi;

  Clock clock = Clock.systemUTC();
  private final SecureRandom random = new SecureRandom();

  /** A token just made: the token itself (shown once) and how its owner will see it listed. */
  public record Made(String token, PersonalToken listed) {}

  /**
   * RFC 7662's answer about a token, for an active one; inactive tokens have none. {@code botOwner}
   * is the owning person's account for a bot's token, null for a person's.
   */
  public record Introspection(
      UUID accountId,
      String username,
      String displayName,
      UUID botOwner,
      Set<Scope> scopes,
      Instant expires,
      UUID tokenId) {}

  /**
   * Makes a token for an account. Refused with 400: {@code token_name_invalid} (1 to 64 characters,
   * no control or format characters), {@code scopes_invalid} (one or more of read, write and admin,
   * nothing else), {@code expiry_invalid} (1 to 366 days); 409 {@code too_many_tokens} (50 active).
   */
  public Made create(UUID accountId, String name, List<String> scopeWords, Integer days)
      throws Refused {
    String cleanName = name == null ? "" : name.strip();
    int length = cleanName.codePointCount(0, cleanName.length());
    if (length < 1 || length > MAX_NAME || NOT_IN_A_NAME.matcher(cleanName).find()) {
      throw new Refused(
          Status.BAD_REQUEST,
          "token_name_invalid",
          "A token's name is 1 to " + MAX_NAME + " characters, without control characters.");
    }
    Set<Scope> scopes = scopes(scopeWords);
    if (days == null || days < 1 || days > MAX_DAYS) {
      throw new Refused(
          Status.BAD_REQUEST,
          "expiry_invalid",
          "A token expires after 1 to " + MAX_DAYS + " days (expires_in_days).");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expires = now.plus(Duration.ofDays(days));
    byte[] secret = new byte[TOKEN_BYTES];
    random.nextBytes(secret);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    UUID id = UUID.randomUUID();
    try {
      jdbi.useTransaction(
          db -> {
            // The account's row locked: two creations at once cannot both pass the bound.
            db.createQuery("SELECT id FROM accounts.account WHERE id = :account FOR UPDATE")
                .bind("account", accountId)
                .mapTo(UUID.class)
                .one();
            int active =
                db.createQuery(
                        "SELECT count(*) FROM accounts.personal_token WHERE account_id = :account"
                            + " AND revoked_at IS NULL AND expires_at > now()")
                    .bind("account", accountId)
                    .mapTo(Integer.class)
                    .one();
            if (active >= MAX_ACTIVE) {
              throw new TooMany();
            }
            db.createUpdate(
                    "INSERT INTO accounts.personal_token"
                        + " (id, account_id, name, token_hash, scopes, created_at, expires_at)"
                        + " VALUES (:id, :account, :name, :hash, :scopes, :created, :expires)")
                .bind("id", id)
                .bind("account", accountId)
                .bind("name", cleanName)
                .bind("hash", hash(token))
                .bind("scopes", words(scopes))
                .bind("created", Timestamp.from(now))
                .bind("expires", Timestamp.from(expires))
                .execute();
          });
    } catch (TooMany full) {
      throw new Refused(
          Status.CONFLICT,
          "too_many_tokens",
          "You have " + MAX_ACTIVE + " active tokens: revoke one you no longer use first.");
    }
    LOG.log(Level.INFO, "personal token {0} made for account {1}", new Object[] {id, accountId});
    return new Made(
        token, new PersonalToken(id, accountId, cleanName, scopes, now, expires, null, null));
  }

  /** Thrown inside the transaction to leave it; answered as 409 {@code too_many_tokens}. */
  private static final class TooMany extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** The account's tokens, newest first, revoked and expired ones included (their history). */
  public List<PersonalToken> of(UUID accountId) {
    return jdbi.withHandle(
        db ->
            db.createQuery(
                    "SELECT * FROM accounts.personal_token WHERE account_id = :account"
                        + " ORDER BY created_at DESC, id")
                .bind("account", accountId)
                .map((row, context) -> listed(row))
                .list());
  }

  /**
   * Revokes one of the account's tokens; revoking it again is harmless. 404 {@code token_not_found}
   * for a token that is not the account's (whoever's it is).
   */
  public void revoke(UUID accountId, UUID tokenId) throws Refused {
    int found =
        jdbi.withHandle(
            db ->
                db.createUpdate(
                        "UPDATE accounts.personal_token SET revoked_at = coalesce(revoked_at, now())"
                            + " WHERE id = :id AND account_id = :account")
                    .bind("id", tokenId)
                    .bind("account", accountId)
                    .execute());
    if (found == 0) {
      throw new Refused(Status.NOT_FOUND, "token_not_found", "You have no such token.");
    }
    LOG.log(
        Level.INFO, "personal token {0} of account {1} revoked", new Object[] {tokenId, accountId});
  }

  /**
   * What chatfront learns of a presented token: its owner, scopes and expiry while it is neither
   * revoked nor expired, and records the use; empty for anything else (RFC 7662 {@code active:
   * false}: the caller learns no reason).
   */
  public Optional<Introspection> introspect(String token) {
    if (token == null || !SHAPE.matcher(token).matches()) {
      return Optional.empty();
    }
    return jdbi.withHandle(
        db ->
            db.createQuery(
                    "UPDATE accounts.personal_token t SET last_used_at = now()"
                        + " FROM accounts.account a"
                        + " WHERE t.token_hash = :hash AND a.id = t.account_id"
                        + " AND t.revoked_at IS NULL AND t.expires_at > now()"
                        // A deleted bot's tokens are revoked with it; this also covers a token
                        // made while the bot was being deleted.
                        + " AND a.deleted_at IS NULL"
                        + " RETURNING t.id, t.account_id, a.username, a.display_name,"
                        + " a.bot_owner_id, t.scopes, t.expires_at")
                .bind("hash", hash(token))
                .map(
                    (row, context) ->
                        new Introspection(
                            row.getObject("account_id", UUID.class),
                            row.getString("username"),
                            row.getString("display_name"),
                            row.getObject("bot_owner_id", UUID.class),
                            parse(row.getString("scopes")),
                            row.getTimestamp("expires_at").toInstant(),
                            row.getObject("id", UUID.class)))
                .findOne());
  }

  private static Set<Scope> scopes(List<String> words) throws Refused {
    Refused invalid =
        new Refused(
            Status.BAD_REQUEST,
            "scopes_invalid",
            "scopes: one or more of \"read\", \"write\" and \"admin\".");
    if (words == null || words.isEmpty() || words.size() > Scope.values().length * 2) {
      throw invalid;
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String word : words) {
      scopes.add(Scope.of(word).orElseThrow(() -> invalid));
    }
    return scopes;
  }

  private static PersonalToken listed(ResultSet row) throws SQLException {
    return new PersonalToken(
        row.getObject("id", UUID.class),
        row.getObject("account_id", UUID.class),
        row.getString("name"),
        parse(row.getString("scopes")),
        row.getTimestamp("created_at").toInstant(),
        row.getTimestamp("expires_at").toInstant(),
        instant(row.getTimestamp("last_used_at")),
        instant(row.getTimestamp("revoked_at")));
  }

  private static Instant instant(Timestamp time) {
    return time == null ? null : time.toInstant();
  }

  /** Scopes as stored and as RFC 7662 writes them: words separated by one space. */
  public static String words(Set<Scope> scopes) {
    return scopes.stream().map(Scope::word).collect(Collectors.joining(" "));
  }

  private static Set<Scope> parse(String words) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    Arrays.stream(words.split(" ")).map(Scope::of).flatMap(Optional::stream).forEach(scopes::add);
    return scopes;
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
