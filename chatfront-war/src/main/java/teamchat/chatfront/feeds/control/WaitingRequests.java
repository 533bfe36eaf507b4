package teamchat.chatfront.feeds.control;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Requests that wait for a feed's next entries (chatserv's long polls), held without a thread: one
 * task on the scheduler reads the feed's newest number every poll interval while anyone waits,
 * answers each request whose entries have come with them, and each whose time is up with none. The
 * feed's table, not this instance's memory, is the source, so an entry written through any
 * chatfront instance reaches every waiting chatserv.
 *
 * @param <T> a feed's answer
 */
public final class WaitingRequests<T> {

  private static final Logger LOG = Logger.getLogger(WaitingRequests.class.getName());

  /** What the waiting requests read. */
  public interface Feed<T> {
    /** The feed's newest number, 0 when it is empty. */
    long newest() throws SQLException;

    /** The answer with the entries after {@code after}. */
    T after(long after) throws SQLException;

    /** The answer with nothing after {@code after}. */
    T nothingAfter(long after);
  }

  private record Waiter<T>(long after, Instant deadline, Consumer<T> answer) {}

  private final String what;
  private final Feed<T> feed;
  private final ScheduledExecutorService scheduler;
  private final Duration pollInterval;
  private final List<Waiter<T>> waiters = new ArrayList<>(); // guarded by this
  private ScheduledFuture<?> checking; // guarded by this

  /**
   * @param what the feed's name for the log ("membership changes")
   */
  public WaitingRequests(
      String what, Feed<T> feed, ScheduledExecutorService scheduler, Duration pollInterval) {
    this.what = what;
    this.feed = feed;
    this.scheduler = scheduler;
    this.pollInterval = pollInterval;
  }

  /**
   * Answers as soon as an entry after {@code after} is written, or with none once {@code wait} has
   * passed (the caller bounds it).
   */
  public synchronized void add(long after, Duration wait, Consumer<T> answer) {
    waiters.add(new Waiter<>(after, Instant.now().plus(wait), answer));
    if (checking == null) {
      long every = Math.max(10, pollInterval.toMillis());
      checking = scheduler.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** One round for the waiting requests; never throws, so the schedule is never cancelled. */
  void check() {
    List<Waiter<T>> round;
    synchronized (this) {
      round = List.copyOf(waiters);
    }
    long newest = -1;
    try {
      newest = feed.newest();
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "{0} cannot be read: {1}", new Object[] {what, e.toString()});
    }
    Instant now = Instant.now();
    for (Waiter<T> waiter : round) {
      try {
        if (newest > waiter.after()) {
          answer(waiter, feed.after(waiter.after()));
        } else if (!now.isBefore(waiter.deadline())) {
          answer(waiter, feed.nothingAfter(waiter.after()));
        }
      } catch (Throwable e) {
        LOG.log(Level.WARNING, "a request for {0} failed: {1}", new Object[] {what, e.toString()});
        answer(waiter, feed.nothingAfter(waiter.after()));
      }
    }
    synchronized (this) {
      if (waiters.isEmpty() && checking != null) {
        checking.cancel(false);
        checking = null;
      }
    }
  }

  private void answer(Waiter<T> waiter, T answer) {
    synchronized (this) {
      if (!waiters.remove(waiter)) {
        return;
      }
    }
    waiter.answer().accept(answer);
  }

  /** Stops checking (the application stops); requests still waiting get no answer from here. */
  public synchronized void stop() {
    if (checking != null) {
      checking.cancel(false);
      checking = null;
    }
  }
}
