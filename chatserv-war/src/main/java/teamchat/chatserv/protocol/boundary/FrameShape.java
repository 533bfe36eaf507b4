package teamchat.chatserv.protocol.boundary;

/**
 * A look at a text frame before any JSON parser does: how deep its arrays and objects nest and how
 * long its numbers are. A parser given 30,000 nested arrays recurses until the stack overflows, and
 * one given a 20,000-digit number spends its time on arithmetic; both once left the socket with no
 * answer at all. No frame of the protocol nests deeper than two levels or needs a number longer
 * than a long's 20 characters, so frames beyond these bounds are refused as {@code invalid_json}
 * without being parsed. One pass, no allocation.
 */
public final class FrameShape {

  /** Far above the protocol's own depth (2), far below what overflows a thread's stack. */
  public static final int MAX_DEPTH = 32;

  /** Digits, sign, point and exponent of one number: a long has at most 20 characters. */
  public static final int MAX_NUMBER_LENGTH = 32;

  private FrameShape() {}

  /** Whether the frame stays within both bounds (strings are skipped, escapes respected). */
  public static boolean withinBounds(String frame) {
    int depth = 0;
    int number = 0;
    boolean inString = false;
    for (int i = 0, n = frame.length(); i < n; i++) {
      char c = frame.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++; // the escaped character cannot end the string
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
        if (++number > MAX_NUMBER_LENGTH) {
          return false;
        }
        continue;
      }
      number = 0;
      switch (c) {
        case '"' -> inString = true;
        case '[', '{' -> {
          if (++depth > MAX_DEPTH) {
            return false;
          }
        }
        case ']', '}' -> depth--;
        default -> {}
      }
    }
    return true;
  }
}
