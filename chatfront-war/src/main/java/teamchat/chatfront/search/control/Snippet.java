package teamchat.chatfront.search.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The part of a message a search result shows, as pieces of plain text, the found ones marked. The
 * page puts each piece in with {@code textContent} (a marked one inside {@code <mark>}): there is
 * no HTML in a snippet to interpret, so nothing a message says can become markup.
 *
 * <p>PostgreSQL's {@code ts_headline} picks the fragment and marks the words the full-text query
 * matched (stems too: "deploy" marks "deployed"), between {@link #START} and {@link #STOP}: control
 * characters, which no stored message can hold (the contract's {@code PlainText} refuses them).
 * Then the parts of words the query asked for are marked wherever they are in the unmarked text
 * ("surefire" in target/surefire-reports). When the fragment holds no mark at all (a part deep in a
 * long message, past what {@code ts_headline} shows), the snippet is the text around the first part
 * instead.
 */
public final class Snippet {

  /** Where {@code ts_headline} starts and stops a match. */
  public static final char START = '\u0002';

  public static final char STOP = '\u0003';

  /** Characters shown on each side of a part found past the headline. */
  static final int AROUND = 80;

  /** A piece of a snippet: text, found or not. */
  public record Piece(String text, boolean mark) {}

  private Snippet() {}

  /** The pieces of a headline with the parts marked, or of the body around a part. */
  public static List<Piece> of(String headline, String body, List<String> parts) {
    List<Piece> pieces = new ArrayList<>();
    for (Piece piece : headlinePieces(headline)) {
      if (piece.mark()) {
        pieces.add(piece);
      } else {
        pieces.addAll(marked(piece.text(), parts));
      }
    }
    if (pieces.stream().anyMatch(Piece::mark) || body == null) {
      return merged(pieces);
    }
    String lower = body.toLowerCase(Locale.ROOT);
    for (String part : parts) {
      int at = lower.indexOf(part);
      if (at >= 0 && lower.length() == body.length()) {
        int start = Math.max(0, at - AROUND);
        int end = Math.min(body.length(), at + part.length() + AROUND);
        List<Piece> around = new ArrayList<>();
        if (start > 0) {
          around.add(new Piece("…", false));
        }
        around.addAll(marked(body.substring(start, end), parts));
        if (end < body.length()) {
          around.add(new Piece("…", false));
        }
        return merged(around);
      }
    }
    return merged(pieces);
  }

  private static List<Piece> headlinePieces(String headline) {
    List<Piece> pieces = new ArrayList<>();
    if (headline == null) {
      return pieces;
    }
    StringBuilder text = new StringBuilder();
    boolean inMark = false;
    for (int i = 0; i < headline.length(); i++) {
      char c = headline.charAt(i);
      if (c == START || c == STOP) {
        if (!text.isEmpty()) {
          pieces.add(new Piece(text.toString(), inMark));
          text.setLength(0);
        }
        inMark = c == START;
      } else {
        text.append(c);
      }
    }
    if (!text.isEmpty()) {
      pieces.add(new Piece(text.toString(), inMark));
    }
    return pieces;
  }

  /**
   * The text in pieces, every occurrence of a part (any case) marked. Matched on the lower-cased
   * text, which must then be as long as the text for the places to agree (true of nearly all text;
   * otherwise nothing is marked here).
   */
  static List<Piece> marked(String text, List<String> parts) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.length() != text.length() || parts.isEmpty()) {
      return List.of(new Piece(text, false));
    }
    boolean[] found = new boolean[text.length()];
    for (String part : parts) {
      for (int at = lower.indexOf(part); at >= 0; at = lower.indexOf(part, at + 1)) {
        for (int i = at; i < at + part.length(); i++) {
          found[i] = true;
        }
      }
    }
    List<Piece> pieces = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || found[i] != found[start]) {
        pieces.add(new Piece(text.substring(start, i), found[start]));
        start = i;
      }
    }
    return pieces;
  }

  /** Neighbours of the same kind joined: fewer elements on the page. */
  private static List<Piece> merged(List<Piece> pieces) {
    List<Piece> merged = new ArrayList<>();
    for (Piece piece : pieces) {
      if (piece.text().isEmpty()) {
        continue;
      }
      int last = merged.size() - 1;
      if (last >= 0 && merged.get(last).mark() == piece.mark()) {
        merged.set(last, new Piece(merged.get(last).text() + piece.text(), piece.mark()));
      } else {
        merged.add(piece);
      }
    }
    return merged;
  }
}
