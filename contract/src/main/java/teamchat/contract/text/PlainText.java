package teamchat.contract.text;

import java.text.Normalizer;
import java.util.Optional;

/**
 * The rules every piece of text a person sends must meet before anything else touches it.
 *
 * <ul>
 *   <li><b>Well-formed Unicode</b>: no lone UTF-16 surrogate (Java strings may hold one, UTF-8 and
 *       PostgreSQL cannot: encoding it throws an {@link Error} deep in the WebSocket writer) and no
 *       noncharacter (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF), which are never meant for interchange.
 *   <li><b>No control characters</b> (Unicode category Cc: NUL, which PostgreSQL refuses, escape,
 *       DEL, the C1 range) and no line or paragraph separator; multi-line text may hold newline and
 *       tab, nothing else. A carriage return is refused too: one line break is {@code \n}.
 *   <li><b>Lengths in code points</b>, as people count characters: an emoji outside the Basic
 *       Multilingual Plane is one, not two UTF-16 units.
 * </ul>
 *
 * <p>Normalise first ({@link #normalize}), then check: NFC is what is stored and compared, and it
 * can change the length.
 */
public final class PlainText {

  private PlainText() {}

  /** What is wrong with a text, with the code clients see. */
  public enum Problem {
    EMPTY("empty"),
    TOO_SHORT("too_short"),
    TOO_LONG("too_long"),
    MALFORMED_UNICODE("malformed_unicode"),
    CONTROL_CHARACTER("control_character");

    private final String code;

    Problem(String code) {
      this.code = code;
    }

    /** snake_case, for error frames and problem JSON. */
    public String code() {
      return code;
    }
  }

  /**
   * The first rule {@code text} breaks, or empty when it is acceptable. Well-formedness and control
   * characters are checked before length, so a text too long and malformed is reported as malformed
   * (the more useful answer). {@code null} counts as empty.
   */
  public static Optional<Problem> check(
      String text, int minCodePoints, int maxCodePoints, boolean multiline) {
    if (text == null || text.isEmpty()) {
      return minCodePoints > 0 ? Optional.of(Problem.EMPTY) : Optional.empty();
    }
    int length = text.length();
    int codePoints = 0;
    for (int i = 0; i < length; ) {
      char unit = text.charAt(i);
      int codePoint;
      if (Character.isHighSurrogate(unit)) {
        if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
          codePoint = Character.toCodePoint(unit, text.charAt(i + 1));
          i += 2;
        } else {
          return Optional.of(Problem.MALFORMED_UNICODE);
        }
      } else if (Character.isLowSurrogate(unit)) {
        return Optional.of(Problem.MALFORMED_UNICODE);
      } else {
        codePoint = unit;
        i++;
      }
      if (isNoncharacter(codePoint)) {
        return Optional.of(Problem.MALFORMED_UNICODE);
      }
      if (isRefusedControl(codePoint, multiline)) {
        return Optional.of(Problem.CONTROL_CHARACTER);
      }
      codePoints++;
    }
    if (codePoints > maxCodePoints) {
      return Optional.of(Problem.TOO_LONG);
    }
    if (codePoints < minCodePoints) {
      return Optional.of(Problem.TOO_SHORT);
    }
    return Optional.empty();
  }

  /** Whether {@code text} is acceptable: see {@link #check}. */
  public static boolean isAcceptable(
      String text, int minCodePoints, int maxCodePoints, boolean multiline) {
    return check(text, minCodePoints, maxCodePoints, multiline).isEmpty();
  }

  /**
   * Unicode Normalization Form C: the one form text is stored, compared and sent in, so that "é"
   * typed as one character or as "e" plus an accent is the same text. Returns {@code null} for
   * {@code null}; leaves malformed text malformed (for {@link #check} to refuse).
   */
  public static String normalize(String text) {
    if (text == null || Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
      return text;
    }
    return Normalizer.normalize(text, Normalizer.Form.NFC);
  }

  /** The number of code points, which is what the documented limits count. */
  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  private static boolean isNoncharacter(int codePoint) {
    return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
  }

  private static boolean isRefusedControl(int codePoint, boolean multiline) {
    if (codePoint == '\n' || codePoint == '\t') {
      return !multiline;
    }
    return Character.getType(codePoint) == Character.CONTROL
        || codePoint == 0x2028
        || codePoint == 0x2029;
  }
}
