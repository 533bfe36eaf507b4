package teamchat.chatfront.search.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import teamchat.contract.problems.ApiProblem;

class MessageSearchTest {

  /**
   * Found by {@code ./chat bench search} over 1,000,000 messages: a search cancelled by the
   * statement timeout was answered 500, as its refusal could not be made (a refusal is a 4xx).
   */
  @Test
  void aStatementCancelledByTheTimeoutIsA503WithASentence() {
    RuntimeException answer =
        MessageSearch.tooLongOr(
            new SQLException("canceling statement due to statement timeout", "57014"), "search");
    ApiProblem problem = assertInstanceOf(ApiProblem.class, answer);
    assertEquals(503, problem.getResponse().getStatus());
    assertEquals("search_too_long", ((ApiProblem.Body) problem.getResponse().getEntity()).code());
    assertEquals(
        "This search took too long. Add words or a filter (in:, from:, after:) and try again.",
        problem.getMessage());
  }

  @Test
  void anyOtherDatabaseFailureStaysAFailure() {
    assertInstanceOf(
        IllegalStateException.class,
        MessageSearch.tooLongOr(new SQLException("connection lost", "08006"), "search"));
  }
}
