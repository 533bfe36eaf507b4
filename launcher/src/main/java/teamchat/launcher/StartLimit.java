package teamchat.launcher;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * How often a dead service may be started again, as systemd limits it on the servers ({@code
 * StartLimitBurst=5}, {@code StartLimitIntervalSec=300} in deploy/'s units): at most {@code burst}
 * restarts within any {@code interval}. A service that crashes now and then is restarted for as
 * long as the system runs; one that keeps crashing is given up on instead of looping.
 */
final class StartLimit {

  /** The servers' limit (deploy/vm1, deploy/vm2 units): five starts in five minutes. */
  static final int BURST = 5;

  static final Duration INTERVAL = Duration.ofMinutes(5);

  private final int burst;
  private final Duration interval;
  private final LongSupplier nanoClock;

  /** When each restart within the last interval happened, oldest first ({@code nanoClock}). */
  private final Deque<Long> recent = new ArrayDeque<>();

  /**
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}): a window must not
   *     stretch or shrink when the wall clock is set
   */
  StartLimit(int burst, Duration interval, LongSupplier nanoClock) {
    if (burst < 1 || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "a start limit needs a burst >= 1 and a positive interval");
    }
    this.burst = burst;
    this.interval = interval;
    this.nanoClock = nanoClock;
  }

  /** The servers' limit, on the monotonic clock. */
  static StartLimit asOnTheServers() {
    return new StartLimit(BURST, INTERVAL, System::nanoTime);
  }

  /**
   * Counts a restart if the limit allows one now; false (and nothing counted) when {@code burst}
   * restarts already happened within the last {@code interval}.
   */
  boolean tryRestart() {
    long now = nanoClock.getAsLong();
    while (!recent.isEmpty() && now - recent.peekFirst() >= interval.toNanos()) {
      recent.removeFirst();
    }
    if (recent.size() >= burst) {
      return false;
    }
    recent.addLast(now);
    return true;
  }

  /** Restarts counted within the last interval (as of the last {@link #tryRestart}). */
  int recentRestarts() {
    return recent.size();
  }

  int burst() {
    return burst;
  }

  Duration interval() {
    return interval;
  }

  /** For people: "5 restarts within 300 s". */
  String describe() {
    return burst + " restarts within " + interval.toSeconds() + " s";
  }
}
