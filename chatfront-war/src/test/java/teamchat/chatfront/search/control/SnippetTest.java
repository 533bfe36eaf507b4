package teamchat.chatfront.search.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import teamchat.chatfront.search.control.Snippet.Piece;

class SnippetTest {

  private static final char START = Snippet.START;
  private static final char STOP = Snippet.STOP;

  @Test
  void theHeadlinesMarksAndThePartsInsideWordsAreMarked() {
    String headline = "We " + START + "deployed" + STOP + " see target/surefire-reports";
    assertEquals(
        List.of(
            new Piece("We ", false),
            new Piece("deployed", true),
            new Piece(" see target/", false),
            new Piece("surefire", true),
            new Piece("-reports", false)),
        Snippet.of(headline, headline, List.of("surefire")));
  }

  @Test
  void aPartAfterTheHeadlineIsShownWithTheTextAroundIt() {
    String body = "x ".repeat(200) + "新しい設計を確認 " + "y ".repeat(200);
    List<Piece> pieces = Snippet.of("x x x x", body, List.of("設計"));
    assertEquals(3, pieces.size(), pieces.toString());
    assertTrue(pieces.get(0).text().startsWith("…") && !pieces.get(0).mark());
    assertEquals(new Piece("設計", true), pieces.get(1));
    assertTrue(pieces.get(2).text().endsWith("…") && !pieces.get(2).mark());
    int shown = pieces.stream().mapToInt(piece -> piece.text().length()).sum();
    assertEquals(2 + 2 * Snippet.AROUND + 2, shown, "the part and AROUND on each side");
  }

  @Test
  void markupInAMessageIsJustTextOfAPiece() {
    String body = "<img src=x onerror=alert(1)> bug";
    assertEquals(
        List.of(new Piece("<img src=x onerror=alert(1)> ", false), new Piece("bug", true)),
        Snippet.of(body, body, List.of("bug")));
  }

  @Test
  void everyOccurrenceInAnyCaseIsMarked() {
    assertEquals(
        List.of(new Piece("PR", true), new Piece(" and ", false), new Piece("pr", true)),
        Snippet.marked("PR and pr", List.of("pr")));
  }
}
