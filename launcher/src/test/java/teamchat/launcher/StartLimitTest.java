package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StartLimitTest {

  /** A clock the test sets: nanoseconds, starting at an arbitrary (even negative) value. */
  private final AtomicLong now = new AtomicLong(-Duration.ofDays(3).toNanos());

  private final StartLimit cut = new StartLimit(5, Duration.ofSeconds(60), now::get);

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  @Test
  void fiveRestartsInAWindowAreAllowedTheSixthIsRefused() {
    for (int i = 0; i < 5; i++) {
      assertTrue(cut.tryRestart(), "restart " + (i + 1));
      advance(Duration.ofSeconds(10));
    }
    assertFalse(cut.tryRestart(), "a sixth within 60 s");
    assertEquals(5, cut.recentRestarts());
  }

  @Test
  void aRefusalCountsNothingAndTheWindowSlides() {
    for (int i = 0; i < 5; i++) {
      assertTrue(cut.tryRestart());
      advance(Duration.ofSeconds(1));
    }
    assertFalse(cut.tryRestart());
    assertFalse(cut.tryRestart());
    // 60 s after the first restart it leaves the window: one more is allowed, and only one.
    advance(Duration.ofSeconds(55));
    assertTrue(cut.tryRestart());
    assertFalse(cut.tryRestart());
    advance(Duration.ofSeconds(1));
    assertTrue(cut.tryRestart(), "the second restart has left the window too");
  }

  @Test
  void aServiceThatCrashesNowAndThenIsRestartedForeverUnlikeALifetimeLimit() {
    for (int i = 0; i < 100; i++) {
      assertTrue(cut.tryRestart(), "restart " + (i + 1) + ", 20 s after the one before");
      advance(Duration.ofSeconds(20));
    }
    assertEquals(3, cut.recentRestarts(), "the window holds the last three");
  }

  @Test
  void theServersLimitIsFiveInFiveMinutesAndItSaysSo() {
    StartLimit servers = StartLimit.asOnTheServers();
    assertEquals(5, servers.burst());
    assertEquals(Duration.ofMinutes(5), servers.interval());
    assertEquals("5 restarts within 300 s", servers.describe());
  }

  @Test
  void anEmptyLimitIsASettingMistake() {
    assertThrows(
        IllegalArgumentException.class, () -> new StartLimit(0, Duration.ofSeconds(1), now::get));
    assertThrows(IllegalArgumentException.class, () -> new StartLimit(1, Duration.ZERO, now::get));
  }
}
