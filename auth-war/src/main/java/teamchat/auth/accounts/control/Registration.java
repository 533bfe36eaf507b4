package teamchat.auth.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import teamchat.auth.accounts.entity.Account;
import teamchat.contract.accounts.Usernames;
import teamchat.contract.problems.Refused;

/** Checks a registration against the rules and stores the account with a hashed password. */
@ApplicationScoped
public class Registration {

  @Inject PasswordPolicy passwordPolicy;
  @Inject PasswordHasher hasher;
  @Inject AccountStore store;
  @Inject RegistrationThrottle throttle;

  /**
   * The new account, or the rule it breaks: 400 with the rule's code, 409 {@code username_taken},
   * or 429 {@code too_many_registrations} with the wait.
   */
  public Account register(
      String username, String displayName, String password, String clientAddress) throws Refused {
    if (username == null || username.isEmpty()) {
      throw new Refused(Status.BAD_REQUEST, "username_missing", "A username is required.");
    }
    if (!Usernames.isValid(username)) {
      throw new Refused(
          Status.BAD_REQUEST,
          "username_invalid",
          "A username has 3 to 32 letters, digits, dots, dashes or underscores, and starts with a letter or digit.");
    }
    String name = DisplayNames.accepted(displayName, username);
    Optional<String> weak = passwordPolicy.violation(password, username);
    if (weak.isPresent()) {
      throw new Refused(Status.BAD_REQUEST, weak.get(), PasswordPolicy.sentence(weak.get()));
    }
    // Counted only now, when an account would be made: what costs is the password hash.
    Optional<Duration> wait = throttle.attempt(clientAddress);
    if (wait.isPresent()) {
      throw new Refused(
          Status.TOO_MANY_REQUESTS.getStatusCode(),
          "too_many_registrations",
          "Too many new accounts from this address; try again later.",
          wait.get());
    }
    Account account = new Account(UUID.randomUUID(), username, name, hasher.hash(password));
    store.insert(account);
    return account;
  }
}
