package teamchat.chatfront.files.control;

import java.text.Normalizer;
import java.util.Optional;

/**
 * File names as people gave them, made safe to show and to put in a header: no path (the part after
 * the last slash or backslash), no control, format (bidi overrides, zero-width) or unpaired
 * surrogate characters, no leading dots or spaces, NFC, at most {@value #MAX_CODE_POINTS} code
 * points (the extension kept). A name never touches a file system: files are stored by id in
 * PostgreSQL, so this is about what people see, not about paths.
 */
public final class FileNames {

  /** Code points of a name, as most file systems allow 255 bytes or characters. */
  public static final int MAX_CODE_POINTS = 120;

  /** The longest extension kept when a long name is shortened. */
  private static final int MAX_EXTENSION = 16;

  private FileNames() {}

  /** The name to store, or empty when nothing is left of it (the upload is refused). */
  public static Optional<String> sanitise(String given) {
    if (given == null) {
      return Optional.empty();
    }
    String name = given;
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    name = name.substring(slash + 1);
    StringBuilder kept = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        kept.append(' '); // a tab or line break in a name is a space
        continue;
      }
      int type = Character.getType(c);
      if (type == Character.SURROGATE // unpaired: not a character
          || type == Character.CONTROL
          || type == Character.FORMAT
          || type == Character.UNASSIGNED
          || type == Character.PRIVATE_USE
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        continue;
      }
      // Quotes and the characters Windows refuses would only trouble whoever saves the file.
      if ("\"*:<>?|".indexOf(c) >= 0) {
        kept.append('_');
        continue;
      }
      kept.appendCodePoint(c);
    }
    name = Normalizer.normalize(kept.toString(), Normalizer.Form.NFC).strip();
    // ".." and ".bashrc" alike: a name does not start with a dot.
    int start = 0;
    while (start < name.length() && (name.charAt(start) == '.' || name.charAt(start) == ' ')) {
      start++;
    }
    name = name.substring(start);
    while (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1).strip();
    }
    if (name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(shortened(name));
  }

  /** At most {@value #MAX_CODE_POINTS} code points, the extension (if short) kept. */
  private static String shortened(String name) {
    int length = name.codePointCount(0, name.length());
    if (length <= MAX_CODE_POINTS) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String extension = "";
    if (dot > 0) {
      String candidate = name.substring(dot);
      if (candidate.codePointCount(0, candidate.length()) <= MAX_EXTENSION) {
        extension = candidate;
        name = name.substring(0, dot);
      }
    }
    int keep = MAX_CODE_POINTS - extension.codePointCount(0, extension.length());
    return withoutTrailingDots(name.substring(0, name.offsetByCodePoints(0, keep))) + extension;
  }

  /**
   * A cut may end at a dot or a space that was inside the name; a name does not end with either
   * (sanitising the result again must give the same name). The first character is neither.
   */
  private static String withoutTrailingDots(String name) {
    int end = name.length();
    while (end > 1
        && (name.charAt(end - 1) == '.' || Character.isWhitespace(name.charAt(end - 1)))) {
      end--;
    }
    return name.substring(0, end);
  }
}
