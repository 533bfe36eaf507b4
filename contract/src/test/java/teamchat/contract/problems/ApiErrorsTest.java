package teamchat.contract.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

  private final ApiErrors errors = new ApiErrors();

  @Test
  void aRefusalIsAnsweredWithItsStatusCodeAndSentence() {
    Response answer =
        errors.toResponse(
            new Refused(Response.Status.CONFLICT, "username_taken", "That name is taken."));

    assertEquals(409, answer.getStatus());
    assertEquals(new ApiProblem.Body("username_taken", "That name is taken."), answer.getEntity());
    assertEquals(null, answer.getHeaderString("Retry-After"));
  }

  @Test
  void aLimitSaysWhenToTryAgainInWholeSecondsAndNeverZero() {
    Response later =
        errors.toResponse(new Refused(429, "rate_limited", "Too many.", Duration.ofMillis(61_500)));
    Response soon =
        errors.toResponse(new Refused(429, "rate_limited", "Too many.", Duration.ofMillis(20)));

    assertEquals("61", later.getHeaderString("Retry-After"));
    assertEquals("1", soon.getHeaderString("Retry-After"));
  }

  @Test
  void aServerFaultIsNeverARefusal() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Refused(500, "internal", "no", null),
        "a 5xx is a fault of the server, mapped by ApiErrors as one");
  }

  @Test
  void anUnexpectedFailureIsA500TellingTheClientToRetryWithoutDetails() {
    Response answer = errors.toResponse(new IllegalStateException("SELECT * FROM secrets"));

    assertEquals(500, answer.getStatus());
    assertEquals("internal", ((ApiProblem.Body) answer.getEntity()).code());
  }
}
