package teamchat.chatfront.search.control;

import jakarta.ws.rs.core.Response.Status;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import teamchat.contract.problems.Refused;
import teamchat.contract.text.PlainText;

/**
 * What someone typed into the search field, taken apart: the words to find and the filters.
 *
 * <ul>
 *   <li>{@code in:name} (or {@code in:#name}): only the room of that name (rooms, not direct
 *       conversations);
 *   <li>{@code from:username} (or {@code from:@username}): only that person's messages;
 *   <li>{@code before:2026-12-01}: sent before that day; {@code after:2026-11-01}: sent after that
 *       day (both days in the person's time zone, neither day included, as in Slack);
 *   <li>{@code has:file}: messages with a file attached;
 *   <li>everything else is text: words and "quoted phrases" ({@link Term}), each of which a message
 *       must hold, and {@code -word}, which it must not.
 * </ul>
 *
 * A filter named twice takes its last value. Anything malformed is refused with a sentence.
 *
 * @param terms the words and phrases, in the order typed; none for filters only
 */
public record SearchQuery(
    List<Term> terms,
    String room,
    String from,
    LocalDate before,
    LocalDate after,
    boolean hasFile) {

  /**
   * A word or "a phrase" to find: a message holds it when it matches it as whole words
   * (PostgreSQL's {@code websearch_to_tsquery} of {@code text}, stemmed and as written) or has
   * {@code part} inside it.
   *
   * @param text the word or phrase as typed (quotes kept), without a leading {@code -}
   * @param part the same without quotes, lower-cased, or null when shorter than {@value #MIN_PART}
   *     characters (then whole words only)
   * @param excluded typed with a leading {@code -}: a message must not hold it
   */
  public record Term(String text, String part, boolean excluded) {}

  /** The longest query taken, in characters: a search field, not a document. */
  public static final int MAX_LENGTH = 200;

  /** The most words and phrases one query may hold. */
  public static final int MAX_PARTS = 10;

  /**
   * The shortest part searched inside words, in code points: one letter would be in nearly every
   * message. Two, not three, so that a two-character Japanese or Chinese word ({@code 設計}) is
   * found.
   */
  public static final int MIN_PART = 2;

  public static SearchQuery parse(String typed) throws Refused {
    String query = typed == null ? "" : PlainText.normalize(typed.strip());
    if (query.length() > MAX_LENGTH) {
      throw refused("A search can be at most " + MAX_LENGTH + " characters long.");
    }
    // The door's rules for text (well-formed, no control characters): a NUL would otherwise reach
    // PostgreSQL, which refuses it. NFC above, as messages are stored, so "é" finds "é".
    if (PlainText.check(query, 0, MAX_LENGTH, false).isPresent()) {
      throw refused("A search is one line of text, without control characters.");
    }
    List<Term> terms = new ArrayList<>();
    String room = null;
    String from = null;
    LocalDate before = null;
    LocalDate after = null;
    boolean hasFile = false;
    for (String token : tokens(query)) {
      int colon = token.indexOf(':');
      String key = colon > 0 ? token.substring(0, colon).toLowerCase(Locale.ROOT) : "";
      String value = colon > 0 ? token.substring(colon + 1) : "";
      switch (key) {
        case "in" -> room = named(value, "#", "in:");
        case "from" -> from = named(value, "@", "from:");
        case "before" -> before = day(value, "before:");
        case "after" -> after = day(value, "after:");
        case "has" -> {
          if (!value.equalsIgnoreCase("file")) {
            throw refused("has: takes only file (has:file).");
          }
          hasFile = true;
        }
        default -> {
          boolean excluded = token.length() > 1 && token.startsWith("-");
          String text = excluded ? token.substring(1) : token;
          String part = unquoted(text).toLowerCase(Locale.ROOT);
          if (!part.isEmpty()) {
            terms.add(
                new Term(
                    text,
                    part.codePointCount(0, part.length()) >= MIN_PART ? part : null,
                    excluded));
          }
        }
      }
    }
    if (terms.size() > MAX_PARTS) {
      throw refused("A search can hold at most " + MAX_PARTS + " words or phrases.");
    }
    return new SearchQuery(List.copyOf(terms), room, from, before, after, hasFile);
  }

  /**
   * The parts of the words and phrases to find (not the excluded ones), for the snippet's marks.
   */
  public List<String> parts() {
    return terms.stream()
        .filter(term -> !term.excluded() && term.part() != null)
        .map(Term::part)
        .toList();
  }

  /**
   * The words and phrases to find as one {@code websearch_to_tsquery} text, any of them: what ranks
   * a result and what its snippet marks.
   */
  public String anyTerm() {
    return String.join(
        " or ", terms.stream().filter(term -> !term.excluded()).map(Term::text).toList());
  }

  /** Whether nothing at all was asked for: no text and no filter. */
  public boolean isEmpty() {
    return terms.isEmpty()
        && room == null
        && from == null
        && before == null
        && after == null
        && !hasFile;
  }

  /** Words split at spaces, except inside double quotes (a phrase is one token, quotes kept). */
  static List<String> tokens(String query) {
    List<String> tokens = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        token.append(c);
      } else if (Character.isWhitespace(c) && !quoted) {
        if (!token.isEmpty()) {
          tokens.add(token.toString());
          token.setLength(0);
        }
      } else {
        token.append(c);
      }
    }
    if (!token.isEmpty()) {
      tokens.add(token.toString());
    }
    return tokens;
  }

  private static String unquoted(String token) {
    return token.replace("\"", "").strip();
  }

  private static String named(String value, String sign, String filter) throws Refused {
    String name = value.startsWith(sign) ? value.substring(sign.length()) : value;
    name = unquoted(name);
    if (name.isEmpty() || name.length() > 64) {
      throw refused(filter + " needs a name after it, e.g. " + filter + "planning.");
    }
    return name;
  }

  private static LocalDate day(String value, String filter) throws Refused {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw refused(filter + " needs a date as 2026-12-31.");
    }
  }

  private static Refused refused(String sentence) {
    return new Refused(Status.BAD_REQUEST, "search_invalid", sentence);
  }
}
