package teamchat.auth.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import teamchat.auth.accounts.entity.Account;

/** Checks a registration against the rules and stores the account with a hashed password. */
@ApplicationScoped
public class Registration {

  /** Letters, digits, dot, dash and underscore; starting with a letter or digit. */
  static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{2,31}");

  static final int DISPLAY_NAME_MAX = 64;
  private static final Pattern CONTROL_CHARACTERS =
      Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

  @Inject PasswordPolicy passwordPolicy;
  @Inject PasswordHasher hasher;
  @Inject AccountStore store;

  /** A rule the registration breaks, with its machine-readable code. */
  public static class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    public final String code;

    Refused(String code, String message) {
      super(message);
      this.code = code;
    }
  }

  public Account register(String username, String displayName, String password) throws Refused {
    if (username == null || username.isEmpty()) {
      throw new Refused("username_missing", "A username is required.");
    }
    if (!USERNAME.matcher(username).matches()) {
      throw new Refused(
          "username_invalid",
          "A username has 3 to 32 letters, digits, dots, dashes or underscores, and starts with a letter or digit.");
    }
    String name = displayName == null || displayName.isBlank() ? username : displayName.strip();
    if (name.codePointCount(0, name.length()) > DISPLAY_NAME_MAX
        || CONTROL_CHARACTERS.matcher(name).find()) {
      throw new Refused(
          "display_name_invalid",
          "A display name has at most 64 characters and no control characters.");
    }
    Optional<String> weak = passwordPolicy.violation(password, username);
    if (weak.isPresent()) {
      throw new Refused(weak.get(), passwordMessage(weak.get()));
    }
    Account account = new Account(UUID.randomUUID(), username, name, hasher.hash(password));
    try {
      store.insert(account);
    } catch (AccountStore.UsernameTaken e) {
      throw new Refused("username_taken", "This username is taken.");
    }
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
