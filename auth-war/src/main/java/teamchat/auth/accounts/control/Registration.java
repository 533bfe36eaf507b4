package teamchat.auth.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import teamchat.auth.accounts.entity.Account;
import teamchat.contract.accounts.Usernames;
import teamchat.contract.problems.Refused;
import teamchat.contract.text.PlainText;

/** Checks a registration against the rules and stores the account with a hashed password. */
@ApplicationScoped
public class Registration {

  static final int DISPLAY_NAME_MAX = 64;
  private static final Pattern CONTROL_CHARACTERS =
      Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

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
    String name =
        displayName == null || displayName.isBlank()
            ? username
            // Only plain spaces are trimmed: strip() would also drop a trailing line or paragraph
            // separator (or a newline) that the rules must refuse, not hide.
            : PlainText.normalize(displayName.replaceAll("^ +| +$", ""));
    // The contract's text rules (well-formed, no control characters, code points), and no format
    // characters either: a bidi override in a name could make it read as someone else's.
    if (PlainText.check(name, 1, DISPLAY_NAME_MAX, false).isPresent()
        || CONTROL_CHARACTERS.matcher(name).find()) {
      throw new Refused(
          Status.BAD_REQUEST,
          "display_name_invalid",
          "A display name has at most 64 characters and no control characters.");
    }
    Optional<String> weak = passwordPolicy.violation(password, username);
    if (weak.isPresent()) {
      throw new Refused(Status.BAD_REQUEST, weak.get(), passwordMessage(weak.get()));
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

  static String passwordMessage(String code) {
    return switch (code) {
      case "password_missing" -> "A password is required.";
      case "password_too_long" ->
          "A password may have at most " + PasswordPolicy.MAX_BYTES + " bytes.";
      case "password_too_short" ->
          "A password needs at least " + PasswordPolicy.MIN_CHARACTERS + " characters.";
      case "password_common" -> "This password is on the list of common passwords; choose another.";
      case "password_contains_username" -> "A password must not contain the username.";
      default -> "This password is not accepted.";
    };
  }
}
