package teamchat.auth.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

  private final PasswordPolicy cut = new PasswordPolicy();

  @Test
  void acceptsAnOrdinaryPassphrase() {
    assertEquals(Optional.empty(), cut.violation("violet staircase mango", "ada"));
  }

  @Test
  void countsCharactersNotBytes() {
    assertEquals(
        Optional.of("password_too_short"), cut.violation("ééééééé", "ada")); // 7 characters
    assertEquals(Optional.empty(), cut.violation("éééééééé", "ada")); // 8 characters, 16 bytes
  }

  @Test
  void refusesMoreThan1024BytesWhateverElse() {
    assertEquals(
        Optional.of("password_too_long"), cut.violation("€".repeat(342), "ada")); // 1,026 bytes
    assertEquals(Optional.empty(), cut.violation("a".repeat(1024), "ada"));
  }

  @Test
  void refusesCommonPasswordsWithoutRegardToCase() {
    assertEquals(Optional.of("password_common"), cut.violation("PASSWORD123", "ada"));
    assertEquals(Optional.of("password_common"), cut.violation("qwertyuiop", "ada"));
  }

  @Test
  void refusesThePasswordThatContainsTheUsername() {
    assertEquals(
        Optional.of("password_contains_username"),
        cut.violation("xxAda-Lovelace-1815", "ada-lovelace"));
  }

  @Test
  void refusesNothingAtAll() {
    assertEquals(Optional.of("password_missing"), cut.violation("", "ada"));
    assertEquals(Optional.of("password_missing"), cut.violation(null, "ada"));
  }
}
