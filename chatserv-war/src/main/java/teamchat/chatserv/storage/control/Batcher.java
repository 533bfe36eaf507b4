package teamchat.chatserv.storage.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame;
import teamchat.chatserv.sockets.control.Outbound;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoredMessage;

/**
 * Coalesces concurrent sends into batches (group commit): one thread forms batches of whatever is
 * waiting (up to {@link StoreBatch#MAX_MESSAGES}) and hands each to a store thread, which stores it
 * with one call to chatfront (one transaction), then acks each sender and announces the new
 * messages ({@link Stored}, which delivery hands to their rooms' followers, on that thread, in seq
 * order). Up to {@code chatserv.store-batches-in-flight} batches are in flight at once; while they
 * are, the next one fills, and it goes once it holds as many entries as a batch in flight does on
 * average, or after {@code chatserv.store-linger} (never when nothing is in flight: idle, a message
 * goes alone at once). Under load batches grow, so throughput grows instead of paying one commit
 * per message.
 *
 * <p>Order: chatfront hands out a room's seqs under the room's row lock, in the order its
 * transactions take that lock, so two batches in flight with the same room could commit in either
 * order. A batch therefore never holds an entry of a room or of a socket that a batch in flight
 * holds; such an entry, and every later one of its room or its socket, waits for the next batch. So
 * entries of one room, and entries of one socket, are stored, acked and announced in the order they
 * arrived, as with one batch at a time.
 *
 * <p>Nothing is acknowledged before chatfront has committed it, and nobody is told "not stored"
 * when that is not certain. A call that failed (no answer in time, a broken or refused connection,
 * an error status) may have committed: the batch's senders hear {@code outcome_unknown}, send it
 * again with the same client id, which learns the outcome and never stores twice. (A refused
 * connection proves nothing: the JDK's HTTP client sends a POST again on a new connection when the
 * first one broke, and the first may have been committed. FaultIT found exactly that.)
 *
 * <p>chatserv also resolves such an outcome itself: it stores the same entries again (same client
 * ids, so never twice) every {@link #ASK_AGAIN_AFTER} for up to {@link #RESOLVE_WITHIN}, while the
 * sender's socket is open, and once chatfront answers, the sender hears the ack or the refusal as
 * if it had come at once. Its own resend resolves it as well; whichever comes first answers, and
 * the other gets the same ack again. It asks about an entry of a socket once at a time, however
 * often the sender resends it meanwhile.
 */
@ApplicationScoped
public class Batcher {

  private static final Logger LOG = Logger.getLogger(Batcher.class.getName());

  /** Sends waiting beyond this are refused at once ("overloaded"), not queued without bound. */
  static final int MAX_WAITING = 10_000;

  /**
   * How long chatserv keeps storing again an entry whose store failed: long enough for a frozen
   * chatfront or database to come back (the fault test freezes them 20 s), short enough that a
   * sender who left is not answered long after.
   */
  static final Duration RESOLVE_WITHIN = Duration.ofSeconds(30);

  /**
   * How often: twice the time chatfront's circuit stays open (GuardedChatfrontApi), so that a round
   * of asking meets a circuit that has let a call through by then, and each entry waiting for its
   * outcome adds one copy to a batch every 2 s at most.
   */
  static final Duration ASK_AGAIN_AFTER = Duration.ofSeconds(2);

  /**
   * At most this many batches in flight to chatfront at once. Each holds one of the Rest Client's
   * kept-alive connections (the JDK's HTTP client keeps 5 per host, {@code http.maxConnections}),
   * and one of chatfront's request threads and database connections.
   */
  @Inject
  @ConfigProperty(name = "chatserv.store-batches-in-flight")
  int batchesInFlight;

  /** How long a batch waits to fill while another one is in flight. */
  @Inject
  @ConfigProperty(name = "chatserv.store-linger")
  Duration linger;

  @Inject Chatfront chatfront;
  @Inject Event<Stored> stored;
  @Inject Event<FoundStored> foundStored;
  @Inject Workers workers;

  /**
   * Entries (messages and changes to them) that one batch stored, new ones only (not those a resend
   * found stored already), as chatfront stored them.
   */
  public record Stored(List<StoredMessage> messages) {}

  /**
   * Entries a resend found stored already. Their first store may have been one that chatserv gave
   * up on (a timeout) and that committed all the same, so nobody was ever sent them; followers who
   * lack them catch up from chatfront.
   */
  public record FoundStored(List<StoredMessage> entries) {}

  /**
   * An entry to store for its sender; {@code askUntil} is set once a store of it failed and the
   * sender was told the outcome is unknown: chatserv stores it again until then, silently. {@code
   * queuedNanos}: when it joined the queue ({@link System#nanoTime}), for the time it waited.
   */
  record Pending(Outbound sender, NewMessage message, Instant askUntil, long queuedNanos) {

    Pending(Outbound sender, NewMessage message, Instant askUntil) {
      this(sender, message, askUntil, 0);
    }

    /** This entry as it joins the queue now. */
    Pending queuedNow() {
      return new Pending(sender, message, askUntil, System.nanoTime());
    }
  }

  /** The smallest batch after failed stores: a few of the backlog, every call. */
  static final int SMALLEST_BATCH = 16;

  /** Entries scanned at most when forming a batch past entries that must wait their turn. */
  static final int MAX_SCANNED = 4 * StoreBatch.MAX_MESSAGES;

  /** Guards the queue and what is in flight; signalled when either changes. */
  private final ReentrantLock lock = new ReentrantLock();

  private final Condition changed = lock.newCondition();

  /** Entries not yet in a batch, in the order they came. */
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

  /** The rooms and the sockets of the entries of the batches in flight. */
  private final Set<Long> roomsInFlight = new HashSet<>();

  private final Set<Outbound> sendersInFlight = Collections.newSetFromMap(new IdentityHashMap<>());

  private int inFlight;

  private int entriesInFlight;

  /**
   * Totals since start (StoreMetrics): batches, their entries, their time in flight, the part of it
   * in the call to chatfront, and the entries' time in the queue before their batch went.
   */
  private final LongAdder batchesStored = new LongAdder();

  private final LongAdder entriesStored = new LongAdder();

  private final LongAdder nanosInFlight = new LongAdder();

  private final LongAdder nanosCalling = new LongAdder();

  private final LongAdder nanosWaiting = new LongAdder();

  /** Batches stored (or failed) since start. */
  public long batchesStored() {
    return batchesStored.sum();
  }

  /** Entries of those batches. */
  public long entriesStored() {
    return entriesStored.sum();
  }

  /**
   * The time those batches spent in flight, added up: ÷ a window's time, the mean in flight. A
   * batch is in flight from the call to chatfront until its senders are answered and its new
   * entries handed to their followers.
   */
  public double secondsInFlight() {
    return nanosInFlight.sum() / 1e9;
  }

  /** The part of {@link #secondsInFlight} spent in the calls to chatfront (the answer awaited). */
  public double secondsCalling() {
    return nanosCalling.sum() / 1e9;
  }

  /** The time entries waited in the queue before their batch went, added up over the entries. */
  public double secondsWaiting() {
    return nanosWaiting.sum() / 1e9;
  }

  /** An entry of one socket, by its client id: what chatserv asks about again at most once. */
  private record Asking(Outbound sender, String clientMsgId) {

    static Asking of(Pending pending) {
      return new Asking(pending.sender, pending.message.clientMsgId());
    }
  }

  /**
   * The entries chatserv is asking about again itself. A sender that resends while it does (a
   * client resending every few seconds while chatfront is away) is told the outcome is unknown
   * again, but starts no second round of asking: each of those rounds put the entry in the queue
   * again every {@link #ASK_AGAIN_AFTER}, so that after a long outage the backlog chatfront met on
   * its return held each entry many times over, and new sends waited behind the copies.
   */
  private final Set<Asking> asking = ConcurrentHashMap.newKeySet();

  /**
   * How many entries the next batch may take. A store chatfront did not answer divides it by four
   * (down to {@link #SMALLEST_BATCH}), an answered one doubles it (up to {@link
   * StoreBatch#MAX_MESSAGES}). After an outage the backlog meets a cold chatfront: a full batch of
   * it can outlast the call's timeout again and again, each time answered {@code outcome_unknown}
   * and queued again, so nobody is acked; small batches that finish in time drain it. The store
   * threads write it, the batcher's thread reads it; a lost update between two batches in flight
   * only delays the next halving or doubling by one batch.
   */
  private volatile int batchLimit = StoreBatch.MAX_MESSAGES;

  /** The limit on the next batch, for tests. */
  int batchLimit() {
    return batchLimit;
  }

  private Thread worker;
  private ExecutorService storing;
  private ScheduledExecutorService askAgain;
  Duration askAgainAfter = ASK_AGAIN_AFTER;
  private volatile boolean running = true;

  @PostConstruct
  void start() {
    askAgain = workers.timers("chatserv-unknown-outcomes");
    storing = workers.pool("chatserv-store", batchesInFlight);
    worker = workers.startCritical("chatserv-batcher", this::run);
  }

  @PreDestroy
  void stop() {
    running = false;
    worker.interrupt();
    storing.shutdownNow();
    askAgain.shutdownNow();
  }

  /** Queues an entry for storing; false when too many are waiting already. */
  public boolean submit(Outbound sender, NewMessage message) {
    return offer(new Pending(sender, message, null));
  }

  private boolean offer(Pending pending) {
    lock.lock();
    try {
      if (waiting.size() >= MAX_WAITING) {
        return false;
      }
      waiting.addLast(pending.queuedNow());
      changed.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forms batches until chatserv stops and hands each to a store thread. Nothing a batch holds may
   * end this loop: it is the only thread that forms batches.
   */
  private void run() {
    while (running) {
      List<Pending> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        storing.execute(() -> storeAndRelease(batch));
      } catch (RejectedExecutionException stopping) {
        return; // chatserv is stopping: its senders resend elsewhere
      }
    }
  }

  /**
   * Waits until a batch may go, then takes its entries from the queue and counts them in flight. A
   * batch may go when fewer than {@link #batchesInFlight} are in flight and some entry may go in it
   * (see {@link #eligible}); at once when nothing is in flight, else once it holds at least as many
   * entries as a batch in flight holds on average (or {@link #batchLimit}), or after {@link
   * #linger}: while a batch is in flight, the next one fills instead of leaving with one entry.
   */
  List<Pending> nextBatch() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long lingerUntil = 0;
      boolean lingering = false;
      while (true) {
        if (inFlight < batchesInFlight) {
          Eligible next = eligible(batchLimit);
          int size = next.entries.size();
          if (size > 0) {
            long now = System.nanoTime();
            if (!lingering) {
              lingering = true;
              lingerUntil = now + linger.toNanos();
            }
            if (inFlight == 0
                || size >= batchLimit
                || (long) size * inFlight >= entriesInFlight
                || now - lingerUntil >= 0) {
              take(next);
              return next.entries;
            }
            changed.awaitNanos(lingerUntil - now);
            continue;
          }
        }
        changed.await();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The entries of the queue that may go in the next batch, in their order, up to {@code limit}:
   * none whose room or socket is in a batch in flight, nor any that comes after one left waiting
   * with the same room or socket (so that it cannot overtake it). Under the lock.
   */
  private Eligible eligible(int limit) {
    List<Pending> entries = new ArrayList<>();
    Set<Long> roomsLeft = new HashSet<>();
    Set<Outbound> sendersLeft = Collections.newSetFromMap(new IdentityHashMap<>());
    int scanned = 0;
    for (Pending pending : waiting) {
      if (entries.size() == limit || scanned++ == MAX_SCANNED) {
        break;
      }
      Long room = pending.message.room();
      if (roomsInFlight.contains(room)
          || sendersInFlight.contains(pending.sender)
          || roomsLeft.contains(room)
          || sendersLeft.contains(pending.sender)) {
        roomsLeft.add(room);
        sendersLeft.add(pending.sender);
      } else {
        entries.add(pending);
      }
    }
    return new Eligible(entries, roomsLeft.isEmpty());
  }

  /** Entries for the next batch; {@code prefix} when they are the first of the queue. */
  private record Eligible(List<Pending> entries, boolean prefix) {}

  /** Takes a batch's entries out of the queue and counts them in flight. Under the lock. */
  private void take(Eligible next) {
    if (next.prefix) {
      for (int i = 0; i < next.entries.size(); i++) {
        waiting.removeFirst();
      }
    } else {
      Set<Pending> taken = Collections.newSetFromMap(new IdentityHashMap<>());
      taken.addAll(next.entries);
      ArrayDeque<Pending> left = new ArrayDeque<>(waiting.size());
      for (Pending pending : waiting) {
        if (!taken.contains(pending)) {
          left.addLast(pending);
        }
      }
      waiting.clear();
      waiting.addAll(left);
    }
    long now = System.nanoTime();
    for (Pending pending : next.entries) {
      roomsInFlight.add(pending.message.room());
      sendersInFlight.add(pending.sender);
      nanosWaiting.add(now - pending.queuedNanos);
    }
    inFlight++;
    entriesInFlight += next.entries.size();
  }

  /**
   * Stores a batch on a store thread, then lets its rooms and sockets go in the next batches.
   * Senders not answered when something unexpected happens are told the outcome is unknown and to
   * resend with the same client id, which is always safe (never "not stored": the call may have
   * committed).
   */
  private void storeAndRelease(List<Pending> batch) {
    long started = System.nanoTime();
    Set<Pending> answered = Collections.newSetFromMap(new IdentityHashMap<>());
    try {
      store(batch, answered);
    } catch (Throwable e) {
      Workers.failed("storing a batch of " + batch.size(), e);
      for (Pending pending : batch) {
        asking.remove(Asking.of(pending)); // whatever it was, asking ends with this answer
        if (!answered.contains(pending)) {
          Workers.guarded("answering a sender", () -> internalError(pending)).run();
        }
      }
    } finally {
      batchesStored.increment();
      entriesStored.add(batch.size());
      nanosInFlight.add(System.nanoTime() - started);
      release(batch);
    }
  }

  private void release(List<Pending> batch) {
    lock.lock();
    try {
      for (Pending pending : batch) {
        roomsInFlight.remove(pending.message.room());
        sendersInFlight.remove(pending.sender);
      }
      inFlight--;
      entriesInFlight -= batch.size();
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  void store(List<Pending> batch, Set<Pending> answered) {
    List<StoreOutcome> outcomes;
    try {
      outcomes = call(batch);
      batchLimit = Math.min(StoreBatch.MAX_MESSAGES, batchLimit * 2);
    } catch (Chatfront.Unavailable e) {
      batchLimit = Math.max(SMALLEST_BATCH, batchLimit / 4);
      LOG.log( // Chatfront logged the outage once; this is its cost, for a developer
          Level.FINE,
          "chatfront unavailable, {0} messages not acked: {1}",
          new Object[] {batch.size(), e.getMessage()});
      // chatfront may have committed it, or may still: nobody is told "not stored". Each sender
      // hears it once; chatserv then asks again on its own (same ids) until it knows.
      Instant now = Instant.now();
      for (Pending pending : batch) {
        if (pending.askUntil == null) {
          outcomeUnknown(pending);
          if (asking.add(Asking.of(pending))) {
            askAgainLater(new Pending(pending.sender, pending.message, now.plus(RESOLVE_WITHIN)));
          }
        } else if (now.isBefore(pending.askUntil)) {
          askAgainLater(pending);
        } else {
          asking.remove(Asking.of(pending)); // given up: the sender's resend will tell
        }
      }
      answered.addAll(batch);
      return;
    }
    for (Pending pending : batch) {
      if (pending.askUntil != null) {
        asking.remove(Asking.of(pending)); // answered below
      }
    }
    List<StoredMessage> fresh = new ArrayList<>();
    List<StoredMessage> found = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      StoreOutcome outcome = outcomes.get(i);
      answered.add(pending);
      if (outcome.durable()) {
        pending.sender.send(new ServerFrame.Ack(outcome));
        if (outcome.status() == StoreOutcome.STORED) {
          fresh.add(outcome.entry());
        } else if (outcome.entry() != null) {
          found.add(outcome.entry());
        }
      } else {
        pending.sender.send(
            ServerFrame.Error.of(
                outcome.code(),
                refusal(outcome.code()),
                false,
                outcome.clientMsgId(),
                pending.message.room())); // the room it was sent to
      }
    }
    if (!fresh.isEmpty()) {
      stored.fire(new Stored(fresh));
    }
    if (!found.isEmpty()) {
      foundStored.fire(new FoundStored(found));
    }
  }

  /** The call to chatfront that stores a batch, its time counted ({@link #secondsCalling}). */
  private List<StoreOutcome> call(List<Pending> batch) throws Chatfront.Unavailable {
    long started = System.nanoTime();
    try {
      return chatfront.store(batch.stream().map(Pending::message).toList());
    } finally {
      nanosCalling.add(System.nanoTime() - started);
    }
  }

  /**
   * Queues the entry again after {@link #askAgainAfter}, unless its sender is gone (who reconnects
   * resends it anyway). When the queue is full then, it is left to the sender's own resend.
   */
  private void askAgainLater(Pending pending) {
    if (!pending.sender.session().isOpen()) {
      asking.remove(Asking.of(pending));
      return;
    }
    try {
      askAgain.schedule(
          () -> {
            if (!offer(pending)) {
              asking.remove(Asking.of(pending)); // full: left to the sender's own resend
            }
          },
          askAgainAfter.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      // chatserv is stopping: its senders resend elsewhere
    }
  }

  /**
   * chatfront's refusal (StoreOutcome's codes) in a sentence for the person; nothing was stored.
   */
  private static String refusal(String code) {
    String why =
        switch (code == null ? "" : code) {
          case "not_a_member" -> "you are not a member of this room";
          case "room_archived" -> "the room is archived, it takes no new messages";
          case "not_the_author" -> "only its author can edit a message";
          case "not_allowed" -> "only its author or an owner of the room can delete a message";
          case "no_such_message" -> "there is no such message in this room";
          case "message_deleted" -> "the message is deleted";
          case "not_a_thread_root" -> "a reply cannot have replies of its own";
          case "client_msg_id_reused" -> "this client_msg_id was used for something else";
          case "file_unavailable" ->
              "a file is not one you uploaded to this room, or is attached already";
          default -> code;
        };
    return "Not stored: " + why + ".";
  }

  /**
   * Whether the message is stored is not known (chatfront may have committed it, or may still): the
   * same client id sent again learns the outcome, and is never stored twice.
   */
  private static void outcomeUnknown(Pending pending) {
    pending.sender.send(
        ServerFrame.Error.of(
            "outcome_unknown",
            "Not confirmed yet; send it again with the same client_msg_id to learn the outcome"
                + " (it is never stored twice).",
            true,
            pending.message.clientMsgId(),
            pending.message.room()));
  }

  /** Something unexpected happened while storing: the outcome is unknown as well. */
  private static void internalError(Pending pending) {
    pending.sender.send(
        ServerFrame.Error.of(
            "internal",
            "Something went wrong; send it again with the same client_msg_id (never stored twice).",
            true,
            pending.message.clientMsgId(),
            pending.message.room()));
  }
}
