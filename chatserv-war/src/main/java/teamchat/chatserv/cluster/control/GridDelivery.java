package teamchat.chatserv.cluster.control;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.delivery.control.Subscriptions;
import teamchat.chatserv.delivery.control.Subscriptions.LiveEntry;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.FrameJson;
import teamchat.chatserv.protocol.entity.ServerFrame;
import teamchat.chatserv.storage.control.Batcher;

/**
 * Live delivery across chatserv instances. The entries a batch stored go to this instance's
 * followers at once, then to the Data Grid ({@link EntryGrid}), from which every instance hands
 * them to its own followers. What the grid reorders or repeats, the followers' seq puts right (an
 * entry already sent is dropped, one after a gap waits for the gap); what it loses is read from
 * chatfront: at the next entry of the room (a gap), at once when the grid says it may have lost
 * something (a member left or merged, the topic skipped), and, for the last entry of a room, which
 * no later entry reveals, by a backstop that asks chatfront for the last seq of every followed room
 * once per {@code chatserv.grid-backstop-interval}.
 *
 * <p>Alone (no Data Grid) it only delivers locally.
 */
@ApplicationScoped
public class GridDelivery implements EntryGrid.Listener {

  private static final Logger LOG = Logger.getLogger(GridDelivery.class.getName());

  @Inject Subscriptions subscriptions;
  @Inject EntryGrid grid;
  @Inject Workers workers;

  @Inject
  @ConfigProperty(name = "chatserv.grid-backstop-interval")
  Duration backstopInterval;

  private volatile boolean clustered;

  /**
   * The backstop's and the catch-ups' thread; set once the grid is heard. A report before that
   * finds nothing to catch up: no socket can follow a room before chatserv has started.
   */
  private volatile ScheduledExecutorService timers;

  /** A catch-up of every followed room is scheduled and has not started yet: coalesces bursts. */
  private final AtomicBoolean catchUpWaiting = new AtomicBoolean();

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    start();
  }

  /** Starts hearing the grid and the backstop; false when this instance is alone. */
  boolean start() {
    clustered = grid.listen(this);
    if (clustered) {
      timers = workers.timers("chatserv-grid-backstop");
      long every = backstopInterval.toMillis();
      timers.scheduleWithFixedDelay(
          Workers.guarded("the grid backstop", this::catchUpEveryRoom),
          every,
          every,
          TimeUnit.MILLISECONDS);
    }
    return clustered;
  }

  @PreDestroy
  void stop() {
    grid.close();
    if (timers != null) {
      timers.shutdownNow();
    }
  }

  /**
   * Entries this instance stored, on one of the batcher's store threads (grid threads call in too):
   * its own followers first (they need no grid), then every other instance's.
   */
  void stored(@Observes Batcher.Stored stored) {
    List<LiveEntry> entries = LiveEntry.of(stored.messages());
    subscriptions.deliver(entries);
    if (clustered) {
      List<String> frames = new ArrayList<>(entries.size());
      entries.forEach(entry -> frames.add(entry.frame().text()));
      grid.publish(frames);
    }
  }

  /**
   * An entry from the grid, on a grid thread; this instance's own come back too and are dropped.
   */
  @Override
  public void heard(String frame) {
    LiveEntry entry = entryOf(frame);
    if (entry == null) {
      LOG.log(Level.WARNING, "an entry from the Data Grid has no room or seq; ignored");
      return;
    }
    subscriptions.deliver(List.of(entry));
  }

  @Override
  public void mayHaveMissed(String why) {
    LOG.log(Level.INFO, "Data Grid: {0}; followed rooms catch up from chatfront", why);
    if (timers == null || !catchUpWaiting.compareAndSet(false, true)) {
      return;
    }
    try {
      timers.execute(Workers.guarded("a grid catch-up", this::catchUpEveryRoom));
    } catch (RejectedExecutionException e) {
      catchUpWaiting.set(false); // shutting down
    }
  }

  private void catchUpEveryRoom() {
    catchUpWaiting.set(false);
    subscriptions.catchUpWith(subscriptions.followedRooms());
  }

  /**
   * The room and seq of an entry's frame, read as far as needed; null when the text is not an entry
   * frame (the grid is shared by every chatserv of the cluster and nothing else).
   */
  static LiveEntry entryOf(String frame) {
    long room = -1;
    long seq = -1;
    try (JsonParser parser = FrameJson.PROVIDER.createParser(new StringReader(frame))) {
      int depth = 0;
      while (parser.hasNext() && (room < 0 || seq < 0)) {
        JsonParser.Event event = parser.next();
        switch (event) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case KEY_NAME -> {
            if (depth == 1
                && (parser.getString().equals("room") || parser.getString().equals("seq"))) {
              boolean isRoom = parser.getString().equals("room");
              if (parser.next() != JsonParser.Event.VALUE_NUMBER) {
                return null;
              }
              long value = parser.getLong();
              if (isRoom) {
                room = value;
              } else {
                seq = value;
              }
            }
          }
          default -> {}
        }
      }
    } catch (JsonException | IllegalStateException e) {
      return null;
    }
    return room > 0 && seq > 0 ? new LiveEntry(room, seq, new ServerFrame.Encoded(frame)) : null;
  }
}
