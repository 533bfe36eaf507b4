package teamchat.chatfront.web;

import java.util.Optional;
import teamchat.contract.accounts.Usernames;
import teamchat.contract.text.PlainText;

/**
 * The checks every form field passes before a page bean uses it, with the sentence the page shows:
 * the contract's rules for text ({@link PlainText}: well-formed, no control characters, lengths in
 * code points) and usernames ({@link Usernames}). A browser's {@code maxlength} is a hint; this is
 * the rule, so that nothing a form sends can reach auth or the database unchecked.
 */
public final class FormInput {

  /** Far above any password people type; bounds what is hashed and sent on to auth. */
  public static final int MAX_PASSWORD = 1024;

  public static final String USERNAME_RULE =
      "A username has 3 to 32 letters, digits, dots, dashes or underscores, starting with a"
          + " letter or digit.";

  private FormInput() {}

  /** What is wrong with a single-line text field, for people; empty when it is acceptable. */
  public static Optional<String> textProblem(String label, String text, int min, int max) {
    return PlainText.check(text, min, max, false)
        .map(
            problem ->
                switch (problem) {
                  case EMPTY -> label + " is required.";
                  case TOO_SHORT -> label + " has at least " + min + " characters.";
                  case TOO_LONG -> label + " has at most " + max + " characters.";
                  case MALFORMED_UNICODE, CONTROL_CHARACTER ->
                      label + " contains characters that are not allowed.";
                });
  }

  /** What is wrong with a username typed into a form; empty when it can be one. */
  public static Optional<String> usernameProblem(String username) {
    return Usernames.isValid(username) ? Optional.empty() : Optional.of(USERNAME_RULE);
  }

  public static Optional<String> passwordProblem(String password) {
    return textProblem("The password", password, 1, MAX_PASSWORD);
  }

  /** The text as stored and compared: NFC, without surrounding white space; null stays null. */
  public static String clean(String text) {
    return text == null ? null : PlainText.normalize(text).strip();
  }
}
