package teamchat.auth.accounts.control;

import jakarta.ws.rs.core.Response.Status;
import java.util.regex.Pattern;
import teamchat.contract.problems.Refused;
import teamchat.contract.text.PlainText;

/** The one rule for display names, at registration and when someone changes theirs. */
public final class DisplayNames {

  public static final int MAX = 64;

  private static final Pattern CONTROL_CHARACTERS =
      Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

  private DisplayNames() {}

  /**
   * The name as stored (NFC, plain spaces trimmed), or 400 {@code display_name_invalid}. A blank
   * name becomes {@code whenBlank} (the username at registration; null refuses it).
   */
  public static String accepted(String displayName, String whenBlank) throws Refused {
    String name =
        displayName == null || displayName.isBlank()
            ? whenBlank
            // Only plain spaces are trimmed: strip() would also drop a trailing line or paragraph
            // separator (or a newline) that the rules must refuse, not hide.
            : PlainText.normalize(displayName.replaceAll("^ +| +$", ""));
    // The contract's text rules (well-formed, no control characters, code points), and no format
    // characters either: a bidi override in a name could make it read as someone else's.
    if (name == null
        || PlainText.check(name, 1, MAX, false).isPresent()
        || CONTROL_CHARACTERS.matcher(name).find()) {
      throw new Refused(
          Status.BAD_REQUEST,
          "display_name_invalid",
          "A display name has 1 to " + MAX + " characters and no control characters.");
    }
    return name;
  }
}
