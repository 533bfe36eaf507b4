package teamchat.auth.throttling.control;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The counts of one test, in memory, with the meaning {@link ThrottleCounts} gives them, so that
 * the throttles' rules are tested without a database. {@code DatabaseThrottleCounts} is checked
 * against PostgreSQL in AuthServiceIT.
 */
public class InMemoryThrottleCounts implements ThrottleCounts {

  private final Map<String, Count> counts = new HashMap<>();

  @Override
  public synchronized Count addSinceLast(String bucket, Instant now, Duration forgetAfter) {
    Count next =
        current(bucket, now)
            .map(c -> new Count(c.count() + 1, c.first(), now, now.plus(forgetAfter)))
            .orElse(new Count(1, now, now, now.plus(forgetAfter)));
    counts.put(bucket, next);
    return next;
  }

  @Override
  public synchronized Count addInWindow(String bucket, Instant now, Duration window) {
    Count next =
        current(bucket, now)
            .map(c -> new Count(c.count() + 1, c.first(), now, c.expires()))
            .orElse(new Count(1, now, now, now.plus(window)));
    counts.put(bucket, next);
    return next;
  }

  @Override
  public synchronized Optional<Count> current(String bucket, Instant now) {
    return Optional.ofNullable(counts.get(bucket)).filter(c -> c.expires().isAfter(now));
  }

  @Override
  public synchronized void clear(String bucket) {
    counts.remove(bucket);
  }
}
