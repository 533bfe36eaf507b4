package teamchat.chatfront.search.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import teamchat.contract.problems.Refused;

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
