package teamchat.chatserv.cluster.control;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.health.control.Workers;

/**
 * The one thread on which a feature calls into the Data Grid, in the order it was asked to, so that
 * no thread of the message path (the store threads that ack, the threads that handle frames) ever
 * calls Hazelcast itself. Hazelcast's "async" calls are not always quick to return: while a member
 * was frozen and its cluster splits and merges, a call can wait on the member's own state, and a
 * store thread that waited there held its batch's rooms and sockets, so that nobody on that
 * instance was acked until the grid settled.
 *
 * <p>The queue is bounded: what the grid carries is either made up for by the room's seq (entries:
 * the other instances read them from chatfront) or a hint that is stale seconds later (presence,
 * typing), so while the grid hangs and the queue is full, writes are dropped, and the log says so
 * once per spell.
 */
public final class GridWriter {

  private static final Logger LOG = Logger.getLogger(GridWriter.class.getName());

  /** Writes waiting at most: far more than a grid that answers ever leaves queued. */
  static final int MOST_WAITING = 10_000;

  private final String what;

  /** What a failed write logs: built once, not per write (a write is made per stored batch). */
  private final String writing;

  private final ExecutorService thread;

  /** Set by a dropped write, cleared by the next one that runs: one warning per spell. */
  private final AtomicBoolean dropping = new AtomicBoolean();

  /**
   * @param name the thread's name
   * @param what what it writes, as the log says it ("entries", "presence")
   */
  public GridWriter(Workers workers, String name, String what) {
    this.what = what;
    this.writing = "writing " + what + " to the Data Grid";
    this.thread = workers.boundedPool(name, 1, MOST_WAITING);
  }

  /** Makes the call on the grid's thread, after those asked for before it; never waits. */
  public void write(Runnable call) {
    try {
      thread.execute(
          Workers.guarded(
              writing,
              () -> {
                dropping.set(false);
                call.run();
              }));
    } catch (RejectedExecutionException e) {
      if (!thread.isShutdown() && dropping.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            "the Data Grid is not taking {0}: {1} writes wait; dropping more until it does",
            new Object[] {what, MOST_WAITING});
      }
    }
  }

  /** Writes nothing more; what waits is dropped. */
  public void close() {
    thread.shutdownNow();
  }
}
