package teamchat.auth.throttling.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Counts of events per bucket, the same for every auth instance ({@link DatabaseThrottleCounts}). A
 * count lasts until it expires; the next event after that starts it again at 1.
 */
public interface ThrottleCounts {

  /**
   * A bucket's count.
   *
   * @param first the first event counted since the count started
   * @param last the latest event counted
   * @param expires when the count is forgotten
   */
  record Count(int count, Instant first, Instant last, Instant expires) {}

  /** Counts an event; the count expires {@code forgetAfter} after its latest event. */
  Count addSinceLast(String bucket, Instant now, Duration forgetAfter);

  /** Counts an event; the count expires {@code window} after its first event (a fixed window). */
  Count addInWindow(String bucket, Instant now, Duration window);

  /** The bucket's count, unless it has none or it has expired. */
  Optional<Count> current(String bucket, Instant now);

  /** Forgets the bucket's count. */
  void clear(String bucket);
}
