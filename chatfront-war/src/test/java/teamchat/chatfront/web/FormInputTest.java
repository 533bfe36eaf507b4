package teamchat.chatfront.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FormInputTest {

  @Test
  void textFieldsSayWhatIsWrong() {
    assertEquals(Optional.empty(), FormInput.textProblem("A name", "Café ☕", 1, 64));
    assertEquals(Optional.of("A name is required."), FormInput.textProblem("A name", "", 1, 64));
    assertEquals(
        Optional.of("A name has at most 3 characters."),
        FormInput.textProblem("A name", "abcd", 1, 3));
    for (String bad : new String[] {"a\u0000b", "a\ud800", "line\nbreak", "bell\u0007", "\u2028"}) {
      assertEquals(
          Optional.of("A name contains characters that are not allowed."),
          FormInput.textProblem("A name", bad, 1, 64),
          bad);
    }
    // Lengths in code points: 64 emoji fit a 64-character field.
    assertEquals(Optional.empty(), FormInput.textProblem("A name", "😀".repeat(64), 1, 64));
  }

  @Test
  void usernamesFollowTheContractsRule() {
    assertEquals(Optional.empty(), FormInput.usernameProblem("Ada.Lovelace"));
    for (String bad : new String[] {null, "", "ab", "a b", "vİcki", "a\u0000bc", "x".repeat(33)}) {
      assertTrue(FormInput.usernameProblem(bad).isPresent(), String.valueOf(bad));
    }
  }

  @Test
  void cleanNormalisesAndStrips() {
    assertEquals("Café", FormInput.clean("  Cafe\u0301 "));
    assertEquals(null, FormInput.clean(null));
  }
}
