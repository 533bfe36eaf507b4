package teamchat.auth.throttling.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The counts in PostgreSQL, as two auth instances see them (issue 17): each instance has its own
 * store and connections, and both count into, and read, the same rows.
 */
class DatabaseThrottleCountsIT {

  private final ThrottleCounts a = AuthInstances.counts();
  private final ThrottleCounts b = AuthInstances.counts();

  // Whole milliseconds: what PostgreSQL's timestamps keep (microseconds) and comparable as is.
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private final String bucket = "it:" + UUID.randomUUID();

  @Test
  void eventsCountedOnEitherInstanceAddUpOnBoth() {
    Duration memory = Duration.ofMinutes(15);
    a.addSinceLast(bucket, now, memory);
    b.addSinceLast(bucket, now.plusSeconds(1), memory);
    ThrottleCounts.Count third = a.addSinceLast(bucket, now.plusSeconds(2), memory);

    assertEquals(3, third.count());
    assertEquals(now, third.first());
    assertEquals(now.plusSeconds(2), third.last());
    assertEquals(now.plusSeconds(2).plus(memory), third.expires());
    assertEquals(third, b.current(bucket, now.plusSeconds(3)).orElseThrow());

    b.clear(bucket);
    assertTrue(a.current(bucket, now.plusSeconds(3)).isEmpty(), "cleared for both");
  }

  @Test
  void aCountForgottenAfterItsLastEventStartsAgainAtOne() {
    Duration memory = Duration.ofMinutes(15);
    a.addSinceLast(bucket, now, memory);
    b.addSinceLast(bucket, now.plusSeconds(60), memory);
    Instant lastPlusMemory = now.plusSeconds(60).plus(memory);

    assertTrue(a.current(bucket, lastPlusMemory.minusMillis(1)).isPresent());
    assertTrue(a.current(bucket, lastPlusMemory).isEmpty(), "expired");
    assertEquals(1, b.addSinceLast(bucket, lastPlusMemory, memory).count());
  }

  @Test
  void aWindowRunsFromItsFirstEventWhicheverInstanceCounts() {
    Duration window = Duration.ofMinutes(10);
    a.addInWindow(bucket, now, window);
    ThrottleCounts.Count second = b.addInWindow(bucket, now.plusSeconds(300), window);

    assertEquals(2, second.count());
    assertEquals(now.plus(window), second.expires(), "later events do not move the window");
    assertEquals(1, a.addInWindow(bucket, now.plus(window), window).count(), "a new window");
  }

  /** Concurrent events on both instances: every one is counted, none twice. */
  @Test
  void concurrentEventsOnBothInstancesAreAllCounted() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> adding = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        ThrottleCounts instance = i % 2 == 0 ? a : b;
        adding.add(pool.submit(() -> instance.addSinceLast(bucket, now, Duration.ofMinutes(15))));
      }
      for (Future<?> added : adding) {
        added.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(80, a.current(bucket, now).orElseThrow().count());
  }
}
