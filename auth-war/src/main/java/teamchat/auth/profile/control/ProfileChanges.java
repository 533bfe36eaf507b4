package teamchat.auth.profile.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.auth.accounts.control.AccountStore;
import teamchat.auth.accounts.control.DisplayNames;
import teamchat.auth.accounts.control.PasswordHasher;
import teamchat.auth.accounts.control.PasswordPolicy;
import teamchat.auth.accounts.entity.Account;
import teamchat.auth.tokens.control.LoginThrottle;
import teamchat.auth.tokens.control.RefreshTokens;
import teamchat.contract.problems.Refused;

/**
 * What a signed-in person changes about their own account. The session is proven by its current
 * refresh token (what chatfront holds for them); a new password also needs the current one, checked
 * under the login's throttle, since it is one more place to guess it.
 */
@ApplicationScoped
public class ProfileChanges {

  private static final Logger LOG = Logger.getLogger(ProfileChanges.class.getName());

  @Inject RefreshTokens refreshTokens;
  @Inject AccountStore accounts;
  @Inject PasswordPolicy passwordPolicy;
  @Inject PasswordHasher hasher;
  @Inject LoginThrottle throttle;

  /** The account with its new display name; 400 {@code display_name_invalid}, 401 as a refresh. */
  public Account changeDisplayName(String refreshToken, String displayName) throws Refused {
    Account who = signedIn(refreshToken);
    String name = DisplayNames.accepted(displayName, null);
    accounts.replaceDisplayName(who.id(), name);
    return new Account(who.id(), who.username(), name, who.passwordHash());
  }

  /**
   * Replaces the password and signs the person out of every other session (whoever knew the old
   * password may hold one). Refused: 400 with the password rule's code or {@code
   * password_unchanged}, 403 {@code current_password_wrong}, 429 {@code too_many_attempts}, 401
   * when the session is not accepted.
   *
   * @return how many other sessions were ended
   */
  public int changePassword(
      String refreshToken, String currentPassword, String newPassword, String clientAddress)
      throws Refused {
    RefreshTokens.Session session = refreshTokens.sessionOf(refreshToken);
    Account who = account(session);
    Optional<Duration> wait = throttle.waitBefore(who.username(), clientAddress);
    if (wait.isPresent()) {
      throw new Refused(
          Status.TOO_MANY_REQUESTS.getStatusCode(),
          "too_many_attempts",
          "Too many wrong passwords; try again in " + wait.get().toSeconds() + " s.",
          wait.get());
    }
    // The new password's rules first: they cost nothing, and a refusal spends no guess.
    Optional<String> weak = passwordPolicy.violation(newPassword, who.username());
    if (weak.isPresent()) {
      throw new Refused(Status.BAD_REQUEST, weak.get(), PasswordPolicy.sentence(weak.get()));
    }
    if (currentPassword == null
        || currentPassword.getBytes(StandardCharsets.UTF_8).length > PasswordPolicy.MAX_BYTES
        || !hasher.verify(currentPassword, who.passwordHash())) {
      throttle.failed(who.username(), clientAddress);
      throw new Refused(
          Status.FORBIDDEN, "current_password_wrong", "The current password is not right.");
    }
    throttle.succeeded(who.username());
    if (newPassword.equals(currentPassword)) {
      throw new Refused(
          Status.BAD_REQUEST,
          "password_unchanged",
          "The new password is the current one; choose another.");
    }
    accounts.replacePasswordHash(who.id(), hasher.hash(newPassword));
    int ended = refreshTokens.revokeSessions(who.id(), session.id(), "password changed");
    LOG.log(
        Level.INFO,
        "password changed for account {0}; {1} other sessions ended",
        new Object[] {who.id(), ended});
    return ended;
  }

  /**
   * Signs the person out of every session, this one included (a lost phone, a shared computer).
   *
   * @return how many sessions were ended, this one included
   */
  public int signOutEverywhere(String refreshToken) throws Refused {
    Account who = signedIn(refreshToken);
    return refreshTokens.revokeSessions(who.id(), null, "signed out everywhere");
  }

  private Account signedIn(String refreshToken) throws Refused {
    return account(refreshTokens.sessionOf(refreshToken));
  }

  private Account account(RefreshTokens.Session session) throws Refused {
    return accounts
        .findById(session.accountId())
        .orElseThrow(() -> RefreshTokens.notAccepted("account_gone"));
  }
}
