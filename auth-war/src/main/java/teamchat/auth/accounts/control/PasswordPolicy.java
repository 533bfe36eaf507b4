package teamchat.auth.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The password rules, after OWASP ASVS 5 (V6): at least 8 characters, long passphrases welcome,
 * nothing on the list of common passwords the project ships, and no more than 1,024 bytes, checked
 * before any hashing so that a huge password costs nothing.
 */
@ApplicationScoped
public class PasswordPolicy {

  public static final int MIN_CHARACTERS = 8;
  public static final int MAX_BYTES = 1024;

  /** One password a line, compared without regard to case. */
  static final String COMMON_PASSWORDS = "/common-passwords.txt";

  private final Set<String> common = load();

  /** The broken rule as a machine-readable code, or empty when the password is acceptable. */
  public Optional<String> violation(String password, String username) {
    if (password == null || password.isEmpty()) {
      return Optional.of("password_missing");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return Optional.of("password_too_long");
    }
    if (password.codePointCount(0, password.length()) < MIN_CHARACTERS) {
      return Optional.of("password_too_short");
    }
    String folded = password.toLowerCase(Locale.ROOT);
    if (common.contains(folded)) {
      return Optional.of("password_common");
    }
    if (username != null
        && !username.isBlank()
        && folded.contains(username.toLowerCase(Locale.ROOT))) {
      return Optional.of("password_contains_username");
    }
    return Optional.empty();
  }

  private static Set<String> load() {
    Set<String> passwords = new HashSet<>();
    try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON_PASSWORDS)) {
      if (in == null) {
        throw new IllegalStateException(COMMON_PASSWORDS + " is missing from the application");
      }
      var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String password = line.strip();
        if (!password.isEmpty() && !password.startsWith("#")) {
          passwords.add(password.toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(passwords);
  }

  /** The sentence people read for a rule's code. */
  public static String sentence(String code) {
    return switch (code) {
      case "password_missing" -> "A password is required.";
      case "password_too_long" -> "A password may have at most " + MAX_BYTES + " bytes.";
      case "password_too_short" -> "A password needs at least " + MIN_CHARACTERS + " characters.";
      case "password_common" -> "This password is on the list of common passwords; choose another.";
      case "password_contains_username" -> "A password must not contain the username.";
      default -> "This password is not accepted.";
    };
  }
}
