package teamchat.auth.tokens.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import teamchat.auth.accounts.control.AccountStore;
import teamchat.auth.accounts.control.PasswordHasher;
import teamchat.auth.accounts.control.PasswordPolicy;
import teamchat.auth.accounts.entity.Account;
import teamchat.contract.accounts.Usernames;
import teamchat.contract.problems.Refused;

/**
 * Username and password in, a token pair out. An unknown username and a wrong password look the
 * same from outside: same answer, and the same hashing work either way.
 */
@ApplicationScoped
public class Login {

  @Inject AccountStore accounts;
  @Inject PasswordHasher hasher;
  @Inject LoginThrottle throttle;
  @Inject RefreshTokens refreshTokens;
  @Inject AccessTokens accessTokens;

  /** Tokens for a session. */
  public record Tokens(
      String accessToken, Duration accessLifetime, String refreshToken, Duration refreshLifetime) {}

  /**
   * A token pair for a new session; or 401 {@code invalid_credentials} (wrong username or password,
   * deliberately not saying which), or 429 {@code too_many_attempts} with the wait.
   */
  public Tokens login(String username, String password, String clientAddress) throws Refused {
    Optional<Duration> wait = throttle.waitBefore(username, clientAddress);
    if (wait.isPresent()) {
      throw new Refused(
          Status.TOO_MANY_REQUESTS.getStatusCode(),
          "too_many_attempts",
          "Too many failed logins; try again in " + wait.get().toSeconds() + " s.",
          wait.get());
    }
    if (password == null
        || password.getBytes(StandardCharsets.UTF_8).length > PasswordPolicy.MAX_BYTES) {
      throttle.failed(username, clientAddress);
      throw invalidCredentials();
    }
    // Only the canonical form is ever looked up: text that cannot be a username (a NUL, İ for i)
    // matches no account and never reaches the database.
    Optional<String> canonical = Usernames.canonical(username);
    Optional<Account> account = canonical.flatMap(accounts::findByUsername);
    boolean valid;
    if (account.isPresent()) {
      valid = hasher.verify(password, account.get().passwordHash());
    } else {
      hasher.verifyDecoy(password);
      valid = false;
    }
    if (!valid) {
      throttle.failed(username, clientAddress);
      throw invalidCredentials();
    }
    throttle.succeeded(canonical.get());
    Account who = account.get();
    if (hasher.needsRehash(who.passwordHash())) {
      accounts.replacePasswordHash(who.id(), hasher.hash(password));
    }
    return tokens(refreshTokens.start(who.id()), who);
  }

  /** The next pair of a session, for a refresh token; 401 when it is not accepted. */
  public Tokens refresh(String refreshToken) throws Refused {
    RefreshTokens.Issued next = refreshTokens.rotate(refreshToken);
    Account who =
        accounts
            .findById(next.accountId())
            .orElseThrow(() -> RefreshTokens.notAccepted("account_gone"));
    return tokens(next, who);
  }

  private static Refused invalidCredentials() {
    return new Refused(Status.UNAUTHORIZED, "invalid_credentials", "Wrong username or password.");
  }

  private Tokens tokens(RefreshTokens.Issued refresh, Account who) {
    return new Tokens(
        accessTokens.forUser(
            refresh.accountId(), who.username(), who.displayName(), refresh.session()),
        accessTokens.lifetime(),
        refresh.token(),
        refreshTokens.lifetime());
  }
}
