package teamchat.chatfront.search.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import teamchat.contract.problems.Refused;
import teamchat.contract.text.PlainText;

class SearchQueryTest {

  @Test
  void filtersAreTakenOutAndTheRestAreTermsInTheOrderTyped() throws Refused {
    SearchQuery cut =
        SearchQuery.parse(
            "deploy in:#plans FROM:@Ana \"release notes\" before:2026-12-01 after:2026-11-01 -draft");
    assertEquals("plans", cut.room());
    assertEquals("Ana", cut.from());
    assertEquals(LocalDate.of(2026, 12, 1), cut.before());
    assertEquals(LocalDate.of(2026, 11, 1), cut.after());
    assertEquals(
        List.of(
            new SearchQuery.Term("deploy", "deploy", false),
            new SearchQuery.Term("\"release notes\"", "release notes", false),
            new SearchQuery.Term("draft", "draft", true)),
        cut.terms());
    assertEquals(List.of("deploy", "release notes"), cut.parts(), "the excluded are not marked");
    assertEquals("deploy or \"release notes\"", cut.anyTerm());
    assertFalse(cut.hasFile());
  }

  @Test
  void oneCharacterIsAWholeWordOnlyAndTwoCjkCharactersAreAPart() throws Refused {
    assertNull(SearchQuery.parse("a").terms().get(0).part());
    assertEquals("設計", SearchQuery.parse("設計").terms().get(0).part());
    assertEquals("pr-128", SearchQuery.parse("PR-128").terms().get(0).part());
  }

  @Test
  void emptyIsNothingAndHasFileIsAFilter() throws Refused {
    assertTrue(SearchQuery.parse("   ").isEmpty());
    assertTrue(SearchQuery.parse(null).isEmpty());
    assertTrue(SearchQuery.parse("has:file").hasFile());
    assertFalse(SearchQuery.parse("has:file").isEmpty());
  }

  @Test
  void controlCharactersAndBrokenUnicodeAreRefusedAndTextIsNormalised() throws Refused {
    for (String broken :
        List.of("build\u0000", "a\tb", "line\nbreak", "half \uD83D", "\u001B[31m")) {
      Refused refused = assertThrows(Refused.class, () -> SearchQuery.parse(broken), broken);
      assertEquals("search_invalid", refused.code());
    }
    // "é" typed as "e" and a combining accent finds the "é" messages are stored with (NFC).
    assertEquals("caf\u00e9", SearchQuery.parse("cafe\u0301").terms().get(0).part());
  }

  /** Fuzzing the parser: whatever is typed is taken apart or refused with a sentence. */
  @Property(tries = 5_000)
  void anyTextIsTakenApartIntoAcceptableTermsOrRefusedWithASentence(
      @ForAll @StringLength(max = 260) String typed) {
    try {
      SearchQuery query = SearchQuery.parse(typed);
      for (SearchQuery.Term term : query.terms()) {
        assertTrue(
            PlainText.isAcceptable(term.text(), 1, SearchQuery.MAX_LENGTH, false), term.text());
      }
      assertTrue(query.terms().size() <= SearchQuery.MAX_PARTS, "at most " + SearchQuery.MAX_PARTS);
    } catch (Refused refused) {
      assertEquals("search_invalid", refused.code());
      assertFalse(refused.getMessage() == null || refused.getMessage().isBlank());
    }
  }

  @Test
  void malformedQueriesAreRefusedWithASentence() {
    for (String bad :
        List.of(
            "x".repeat(SearchQuery.MAX_LENGTH + 1),
            "before:yesterday",
            "after:2026-13-01",
            "in:",
            "from:@",
            "has:image",
            "a b c d e f g h i j k")) {
      Refused refused = assertThrows(Refused.class, () -> SearchQuery.parse(bad), bad);
      assertEquals(400, refused.status(), bad);
      assertEquals("search_invalid", refused.code(), bad);
    }
  }
}
