package teamchat.contract.messages;

import java.util.regex.Pattern;

/** What a reaction may be: one emoji as typed (with its modifiers), or a {@code :shortcode:}. */
public final class Reactions {

  /** Far above the longest emoji sequence (a family with skin tones is about 11 code points). */
  public static final int MAX_EMOJI_CHARS = 34;

  private static final int MAX_EMOJI_CODE_POINTS = 16;

  private static final Pattern SHORTCODE = Pattern.compile(":[a-z0-9_+-]{1,32}:");

  private Reactions() {}

  /**
   * Whether {@code value} is a {@code :shortcode:} or a short sequence of emoji code points: it
   * starts with a symbol (a pictograph, a flag letter) and holds only symbols, joiners, variation
   * selectors and combining marks; no letter, digit, space or control character.
   */
  public static boolean isEmoji(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_EMOJI_CHARS) {
      return false;
    }
    if (SHORTCODE.matcher(value).matches()) {
      return true;
    }
    int[] codePoints = value.codePoints().toArray();
    if (codePoints.length > MAX_EMOJI_CODE_POINTS
        || Character.getType(codePoints[0]) != Character.OTHER_SYMBOL) {
      return false;
    }
    for (int codePoint : codePoints) {
      switch (Character.getType(codePoint)) {
        case Character.OTHER_SYMBOL,
            Character.MODIFIER_SYMBOL,
            Character.NON_SPACING_MARK,
            Character.ENCLOSING_MARK -> {}
        case Character.FORMAT -> {
          // Only the zero-width joiner of emoji sequences, and tag characters of subdivision flags.
          if (codePoint != 0x200D && (codePoint < 0xE0020 || codePoint > 0xE007F)) {
            return false;
          }
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }
}
