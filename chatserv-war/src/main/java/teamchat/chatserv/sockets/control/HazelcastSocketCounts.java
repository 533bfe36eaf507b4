package teamchat.chatserv.sockets.control;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.health.control.Workers;

/**
 * Socket counts on Payara's Data Grid: one Hazelcast map, {@code chatserv.sockets}, with an entry
 * per user whose value lists each instance's part ({@code instance,member,count,deadline;...}). An
 * instance writes its part with a deadline {@link #PART_LASTS} ahead and writes it again every
 * {@link #REFRESH_EVERY}; a reader ignores parts past their deadline and parts of members that are
 * not in the cluster as it sees it. So the sockets of an instance that dies stop counting as soon
 * as the others see its member leave (about 0.5 s after a crash), and within {@link #PART_LASTS}
 * anyway. Deadlines are the writer's wall clock, read by the others' wall clocks: VMs a few seconds
 * apart only move that bound. While the cluster is split, each side counts only its own sockets.
 *
 * <p>A change is a compare-and-set on the user's entry ({@code get}, then {@code replace} with the
 * old value, again if another instance changed it meanwhile, then the entry's time to live): three
 * round trips to the key's owner, and as atomic as an entry processor. An entry processor would be
 * one round trip, but it is an object of this application, and Payara serialises those with the
 * class loader of the application that wrote them; only Strings cross the grid here
 * (HazelcastEntryGrid says why).
 *
 * <p>A sign-in waits for its answer at most {@link #ANSWER_WITHIN} (it runs on the socket's
 * thread). The calls run on a small pool of their own with a bounded queue, so a grid that hangs (a
 * frozen member, before the heartbeat timeout) costs each sign-in that wait at most, and for {@link
 * #LOCAL_ONLY_AFTER_NO_ANSWER} after one unanswered call, sign-ins do not ask the grid at all: only
 * the bound of this instance holds meanwhile, which the log says.
 */
@ApplicationScoped
public class HazelcastSocketCounts implements SocketCountGrid {

  private static final Logger LOG = Logger.getLogger(HazelcastSocketCounts.class.getName());

  static final String MAP = "chatserv.sockets";

  /**
   * Long enough that a refresh (one compare-and-set per user of this instance) is cheap; a member
   * that leaves is dropped at once anyway, so this bounds only what that misses.
   */
  static final Duration PART_LASTS = Duration.ofSeconds(30);

  static final Duration REFRESH_EVERY = Duration.ofSeconds(10);

  /**
   * A user's entry is gone this long after its last write: users who left every instance leave no
   * entry behind (a part past its deadline counts for nothing anyway).
   */
  static final Duration ENTRY_LASTS = Duration.ofMinutes(2);

  static final Duration ANSWER_WITHIN = Duration.ofMillis(250);
  static final Duration LOCAL_ONLY_AFTER_NO_ANSWER = Duration.ofSeconds(5);

  /** Compare-and-set tries before a change is given up (another instance won every time). */
  static final int TRIES = 8;

  /** Payara's Data Grid member; null under {@code --nohazelcast}. */
  @Inject HazelcastInstance hazelcast;

  @Inject Workers workers;

  /** Milliseconds of the wall clock (deadlines cross machines); a test's own clock in tests. */
  LongSupplier wallClock = System::currentTimeMillis;

  private final String instance = UUID.randomUUID().toString();

  private final Map<String, Double> shares = new ConcurrentHashMap<>();

  private volatile IMap<String, String> map;

  /** Until when (System.nanoTime) sign-ins do not ask the grid, after one got no answer. */
  private volatile long localOnlyUntil = System.nanoTime();

  private ExecutorService calls;
  private ScheduledExecutorService refresher;

  @Override
  public synchronized boolean start(Supplier<Map<String, Integer>> here) {
    if (hazelcast == null) {
      return false;
    }
    calls = workers.boundedPool("chatserv-socket-counts", 2, 200);
    refresher = workers.timers("chatserv-socket-counts-refresh");
    refresher.scheduleWithFixedDelay(
        Workers.guarded(
            "refreshing socket counts on the Data Grid", () -> here.get().forEach(this::write)),
        REFRESH_EVERY.toMillis(),
        REFRESH_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    map = hazelcast.getMap(MAP);
    return true;
  }

  @Override
  public Verdict admit(String subject, int here, int limit) {
    if (map == null || System.nanoTime() - localOnlyUntil < 0) {
      return Verdict.UNANSWERED;
    }
    Future<Verdict> answer;
    try {
      answer = calls.submit(() -> change(subject, here, limit));
    } catch (RejectedExecutionException e) {
      return unanswered(subject, e);
    }
    try {
      return answer.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // A change that arrives later is corrected by the next refresh, which writes the truth.
      return unanswered(subject, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.UNANSWERED;
    }
  }

  /** Once per spell without answers, not once per waiting sign-in (a connect storm has many). */
  private Verdict unanswered(String subject, Exception why) {
    long now = System.nanoTime();
    boolean wasAsking = now - localOnlyUntil >= 0;
    localOnlyUntil = now + LOCAL_ONLY_AFTER_NO_ANSWER.toNanos();
    if (wasAsking) {
      LOG.log(
          Level.WARNING,
          "the Data Grid did not count a socket of {0} in time ({1}); for {2} s only this"
              + " instance''s bound of sockets per user holds",
          new Object[] {subject, String.valueOf(why), LOCAL_ONLY_AFTER_NO_ANSWER.toSeconds()});
    }
    return Verdict.UNANSWERED;
  }

  @Override
  public void count(String subject, int here) {
    if (here == 0) {
      shares.remove(subject);
    }
    if (map == null) {
      return;
    }
    try {
      calls.execute(
          Workers.guarded("counting sockets on the Data Grid", () -> write(subject, here)));
    } catch (RejectedExecutionException e) {
      // Busy or closing: the part runs out by its deadline, or the next refresh writes it.
    }
  }

  private void write(String subject, int here) {
    change(subject, here, Integer.MAX_VALUE);
  }

  @Override
  public double share(String subject) {
    return shares.getOrDefault(subject, 1.0);
  }

  /**
   * Sets this instance's part of the user's entry to {@code here}, unless the others' live parts
   * and {@code here} together exceed {@code limit}.
   */
  Verdict change(String subject, int here, int limit) {
    IMap<String, String> to = map;
    String member = hazelcast.getCluster().getLocalMember().getUuid().toString();
    for (int attempt = 0; attempt < TRIES; attempt++) {
      long now = wallClock.getAsLong();
      Set<String> members = new HashSet<>();
      hazelcast.getCluster().getMembers().forEach(m -> members.add(m.getUuid().toString()));
      String old = to.get(subject);
      List<Part> others = new ArrayList<>();
      int elsewhere = 0;
      for (Part part : Part.parse(old)) {
        if (!part.instance.equals(instance)
            && part.deadline > now
            && members.contains(part.member)) {
          others.add(part);
          elsewhere += part.count;
        }
      }
      if (elsewhere + here > limit) {
        return Verdict.OVER;
      }
      if (here > 0) {
        shares.put(subject, here / (double) (here + elsewhere));
      }
      if (here > 0) {
        others.add(new Part(instance, member, here, now + PART_LASTS.toMillis()));
      }
      String next = Part.format(others);
      boolean done;
      if (old == null) {
        done =
            next.isEmpty() || to.putIfAbsent(subject, next, ttl(), TimeUnit.MILLISECONDS) == null;
      } else if (next.isEmpty()) {
        done = to.remove(subject, old);
      } else {
        done = to.replace(subject, old, next);
        if (done) {
          to.setTtl(subject, ttl(), TimeUnit.MILLISECONDS);
        }
      }
      if (done) {
        return Verdict.WITHIN;
      }
    }
    throw new IllegalStateException("the socket count of a user changed " + TRIES + " times over");
  }

  private static long ttl() {
    return ENTRY_LASTS.toMillis();
  }

  @Override
  public synchronized void close() {
    IMap<String, String> counts = map;
    map = null;
    if (counts == null) {
      return;
    }
    refresher.shutdownNow();
    calls.shutdownNow();
  }

  /**
   * One instance's part of a user's entry: its {@code count} of sockets, which lasts until {@code
   * deadline} (milliseconds of the writer's wall clock). Instance and member are UUIDs, so the
   * separators never occur in them.
   */
  record Part(String instance, String member, int count, long deadline) {

    static List<Part> parse(String value) {
      List<Part> parts = new ArrayList<>();
      if (value == null || value.isEmpty()) {
        return parts;
      }
      for (String text : value.split(";")) {
        String[] fields = text.split(",");
        if (fields.length == 4) {
          try {
            parts.add(
                new Part(
                    fields[0], fields[1], Integer.parseInt(fields[2]), Long.parseLong(fields[3])));
          } catch (NumberFormatException e) {
            // Not written by this code: it counts for nothing.
          }
        }
      }
      return parts;
    }

    static String format(List<Part> parts) {
      StringBuilder value = new StringBuilder();
      for (Part part : parts) {
        if (!value.isEmpty()) {
          value.append(';');
        }
        value
            .append(part.instance)
            .append(',')
            .append(part.member)
            .append(',')
            .append(part.count)
            .append(',')
            .append(part.deadline);
      }
      return value.toString();
    }
  }
}
