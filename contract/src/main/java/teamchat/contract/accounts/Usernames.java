package teamchat.contract.accounts;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one canonical form of a username, used identically by registration, login, the login throttle
 * and every lookup (auth and chatfront), so that no spelling can be a second key for the same
 * account.
 *
 * <p>Usernames are ASCII letters, digits, {@code .}, {@code -} and {@code _}, starting with a
 * letter or digit, 3 to 32 characters; the canonical form is that text lower-cased. Restricting the
 * alphabet to ASCII is what makes lower-casing exact: with Unicode, Java maps {@code İ} to {@code
 * i} plus a combining dot while PostgreSQL's {@code lower()} gives a plain {@code i}, and the two
 * disagree on which account a name means. Text that cannot be a username has no canonical form.
 */
public final class Usernames {

  /** Letters, digits, dot, dash and underscore; starting with a letter or digit; 3 to 32. */
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{2,31}");

  public static final int MAX_LENGTH = 32;

  private Usernames() {}

  /** The canonical form of {@code raw}, or empty when {@code raw} cannot be a username. */
  public static Optional<String> canonical(String raw) {
    if (raw == null || raw.length() > MAX_LENGTH || !PATTERN.matcher(raw).matches()) {
      return Optional.empty();
    }
    return Optional.of(raw.toLowerCase(Locale.ROOT));
  }

  /** Whether {@code raw} may be a username (registration checks this before anything else). */
  public static boolean isValid(String raw) {
    return canonical(raw).isPresent();
  }
}
