package teamchat.chatfront.commands.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void aServerErrorOrNoAnswerIsRetriedTwiceWithGrowingDelays() {
    for (RetryPolicy.Result passing :
        new RetryPolicy.Result[] {
          new RetryPolicy.Answered(500), new RetryPolicy.Answered(503), new RetryPolicy.NoAnswer()
        }) {
      assertEquals(Optional.of(Duration.ofSeconds(2)), RetryPolicy.retryAfter(1, passing));
      assertEquals(Optional.of(Duration.ofSeconds(8)), RetryPolicy.retryAfter(2, passing));
      assertEquals(Optional.empty(), RetryPolicy.retryAfter(3, passing), "three attempts at most");
    }
  }

  @Test
  void tooManyRequestsIsRetried() {
    assertEquals(
        Optional.of(Duration.ofSeconds(2)),
        RetryPolicy.retryAfter(1, new RetryPolicy.Answered(429)));
  }

  @Test
  void aClientErrorARedirectOrARefusedTargetIsNeverRetried() {
    for (int status : new int[] {301, 302, 400, 401, 403, 404, 410, 422}) {
      assertEquals(
          Optional.empty(),
          RetryPolicy.retryAfter(1, new RetryPolicy.Answered(status)),
          "status " + status);
    }
    assertEquals(Optional.empty(), RetryPolicy.retryAfter(1, new RetryPolicy.Refused()));
  }
}
