package teamchat.chatfront.commands.control;

import java.time.Duration;
import java.util.Optional;

/**
 * When a command call that failed is tried again: after a failure that may pass (no connection, no
 * answer in time, a 5xx, a 429), up to {@link #MAX_ATTEMPTS} attempts in all, waiting 2 s, then 8
 * s; never after an answer that says the call itself is wrong (another 4xx, a redirect, which is
 * not followed) or a refused target.
 */
public final class RetryPolicy {

  public static final int MAX_ATTEMPTS = 3;

  private static final Duration FIRST_DELAY = Duration.ofSeconds(2);

  private RetryPolicy() {}

  /** What an attempt came to. */
  public sealed interface Result {}

  /** The target answered with this HTTP status. */
  public record Answered(int status) implements Result {}

  /** No answer: the connection failed or timed out. */
  public record NoAnswer() implements Result {}

  /** Not sent: the target's address is refused. */
  public record Refused() implements Result {}

  /** The delay before the next attempt after attempt number {@code attempt} (1 first), or none. */
  public static Optional<Duration> retryAfter(int attempt, Result result) {
    if (attempt >= MAX_ATTEMPTS || !mayPass(result)) {
      return Optional.empty();
    }
    return Optional.of(FIRST_DELAY.multipliedBy(1L << (2 * (attempt - 1))));
  }

  private static boolean mayPass(Result result) {
    if (result instanceof Answered answered) {
      return answered.status() >= 500 || answered.status() == 429;
    }
    return result instanceof NoAnswer;
  }
}
