package teamchat.contract.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import teamchat.contract.text.PlainText.Problem;

/** The text rules on their own: examples from the findings, then a property over any string. */
class PlainTextTest {

  @Test
  void acceptsOrdinaryTextOfEveryScript() {
    for (String text :
        new String[] {"hello", "Grüße", "設計レビュー", "مرحبا", "👍", "a\tb\nc", "e\u0301", "ﬁ"}) {
      assertEquals(Optional.empty(), PlainText.check(text, 1, 4000, true), text);
    }
  }

  @Test
  void refusesTheLoneSurrogatesThatStoppedTheBatcher() {
    assertEquals(Optional.of(Problem.MALFORMED_UNICODE), PlainText.check("a\ud800b", 1, 10, true));
    assertEquals(Optional.of(Problem.MALFORMED_UNICODE), PlainText.check("a\udc00", 1, 10, true));
    assertEquals(Optional.of(Problem.MALFORMED_UNICODE), PlainText.check("\ud83d", 1, 10, true));
    assertEquals(
        Optional.of(Problem.MALFORMED_UNICODE), PlainText.check("\udc4d\ud83d", 1, 10, true));
  }

  @Test
  void refusesNulAndEveryOtherControlCharacter() {
    assertEquals(Optional.of(Problem.CONTROL_CHARACTER), PlainText.check("a\u0000b", 1, 10, true));
    assertEquals(
        Optional.of(Problem.CONTROL_CHARACTER), PlainText.check("\u001b[31m", 1, 10, true));
    assertEquals(Optional.of(Problem.CONTROL_CHARACTER), PlainText.check("a\rb", 1, 10, true));
    assertEquals(Optional.of(Problem.CONTROL_CHARACTER), PlainText.check("a\u007fb", 1, 10, true));
    assertEquals(Optional.of(Problem.CONTROL_CHARACTER), PlainText.check("a\u0085b", 1, 10, true));
    assertEquals(Optional.of(Problem.CONTROL_CHARACTER), PlainText.check("a\u2028b", 1, 10, true));
    // Newline and tab only where the text may span lines.
    assertEquals(Optional.of(Problem.CONTROL_CHARACTER), PlainText.check("a\nb", 1, 10, false));
    assertEquals(Optional.of(Problem.CONTROL_CHARACTER), PlainText.check("a\tb", 1, 10, false));
  }

  @Test
  void refusesNoncharacters() {
    assertEquals(Optional.of(Problem.MALFORMED_UNICODE), PlainText.check("\ufffe", 1, 10, true));
    assertEquals(Optional.of(Problem.MALFORMED_UNICODE), PlainText.check("\ufdd0", 1, 10, true));
    assertEquals(
        Optional.of(Problem.MALFORMED_UNICODE),
        PlainText.check(new String(Character.toChars(0x1FFFF)), 1, 10, true));
  }

  @Test
  void countsCodePointsAsPeopleCountCharacters() {
    String emoji = "😀";
    assertEquals(Optional.empty(), PlainText.check(emoji.repeat(4000), 1, 4000, true));
    assertEquals(Optional.of(Problem.TOO_LONG), PlainText.check(emoji.repeat(4001), 1, 4000, true));
    assertEquals(Optional.of(Problem.EMPTY), PlainText.check("", 1, 4000, true));
    assertEquals(Optional.of(Problem.EMPTY), PlainText.check(null, 1, 4000, true));
    assertEquals(Optional.of(Problem.TOO_SHORT), PlainText.check("ab", 3, 32, false));
  }

  @Test
  void normalisesToNfcSoOneTextHasOneForm() {
    assertEquals("é", PlainText.normalize("e\u0301"));
    assertEquals("é", PlainText.normalize("é"));
    assertEquals(null, PlainText.normalize(null));
    // A lone surrogate survives normalisation for check() to refuse; nothing throws.
    assertFalse(PlainText.isAcceptable(PlainText.normalize("e\u0301\ud800"), 1, 10, true));
  }

  /**
   * Whatever string arrives, check() answers without throwing, and whatever it accepts can be
   * encoded to UTF-8 (what the WebSocket writer and PostgreSQL do with it) and holds no NUL.
   */
  @Property(tries = 20_000)
  void acceptedTextAlwaysEncodesAndHoldsNoControlCharacter(@ForAll("hostileText") String raw) {
    String text = PlainText.normalize(raw);
    if (PlainText.isAcceptable(text, 1, 4000, true)) {
      assertTrue(encodesStrictly(text), "accepted but not encodable: " + escape(text));
      assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t'));
      assertTrue(PlainText.length(text) >= 1 && PlainText.length(text) <= 4000);
    } else {
      assertTrue(PlainText.check(text, 1, 4000, true).isPresent());
    }
  }

  /** The other direction: every refusal is for a reason the rules name. */
  @Property(tries = 10_000)
  void wellFormedPrintableTextIsAlwaysAccepted(@ForAll("printable") String text) {
    assertEquals(Optional.empty(), PlainText.check(text, 1, 4000, true), escape(text));
  }

  @Provide
  Arbitrary<String> hostileText() {
    Arbitrary<Character> nasty =
        Arbitraries.of('\u0000', '\ud800', '\udfff', '\ud83d', '\r', '\u001b', '\ufffe', '\u2028');
    Arbitrary<Character> any = Arbitraries.chars().all();
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, any), net.jqwik.api.Tuple.of(1, nasty))
        .list()
        .ofMaxSize(64)
        .map(chars -> chars.stream().map(String::valueOf).reduce("", String::concat));
  }

  @Provide
  Arbitrary<String> printable() {
    // Letters, marks, numbers, punctuation, symbols and spaces of every plane, as code points.
    return Arbitraries.integers()
        .between(0x20, 0x10FFFF)
        .filter(cp -> isPrintable(cp))
        .list()
        .ofMinSize(1)
        .ofMaxSize(64)
        .map(
            cps -> {
              StringBuilder text = new StringBuilder();
              cps.forEach(text::appendCodePoint);
              return PlainText.normalize(text.toString());
            });
  }

  private static boolean isPrintable(int codePoint) {
    int type = Character.getType(codePoint);
    return Character.isDefined(codePoint)
        && type != Character.CONTROL
        && type != Character.SURROGATE
        && type != Character.PRIVATE_USE
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && !(codePoint >= 0xFDD0 && codePoint <= 0xFDEF)
        && (codePoint & 0xFFFE) != 0xFFFE;
  }

  private static boolean encodesStrictly(String text) {
    try {
      StandardCharsets.UTF_8
          .newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(java.nio.CharBuffer.wrap(text));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.chars()
        .forEach(c -> out.append(c < 0x7f && c >= 0x20 ? (char) c : String.format("\\u%04x", c)));
    return out.toString();
  }
}
