package teamchat.chatserv.storage.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame;
import teamchat.chatserv.sockets.control.Outbound;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoredMessage;

/**
 * Coalesces concurrent sends into batches: one thread takes whatever is waiting (up to {@link
 * StoreBatch#MAX_MESSAGES}), stores it with one call to chatfront (one transaction), then acks each
 * sender and announces the new messages ({@link Stored}, which delivery hands to their rooms'
 * followers, on this thread, in seq order). Under load batches grow, so throughput grows instead of
 * paying one commit per message; idle, a message goes alone at once.
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
   * sender was told the outcome is unknown: chatserv stores it again until then, silently.
   */
  record Pending(Outbound sender, NewMessage message, Instant askUntil) {}

  /** The smallest batch after failed stores: a few of the backlog, every call. */
  static final int SMALLEST_BATCH = 16;

  private final BlockingQueue<Pending> waiting = new ArrayBlockingQueue<>(MAX_WAITING);

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
   * and queued again, so nobody is acked; small batches that finish in time drain it. Only the
   * batcher's thread reads and writes it.
   */
  private int batchLimit = StoreBatch.MAX_MESSAGES;

  /** The limit on the next batch, for tests. */
  int batchLimit() {
    return batchLimit;
  }

  private Thread worker;
  private ScheduledExecutorService askAgain;
  Duration askAgainAfter = ASK_AGAIN_AFTER;
  private volatile boolean running = true;

  @PostConstruct
  void start() {
    askAgain = workers.timers("chatserv-unknown-outcomes");
    worker = workers.startCritical("chatserv-batcher", this::run);
  }

  @PreDestroy
  void stop() {
    running = false;
    worker.interrupt();
    askAgain.shutdownNow();
  }

  /** Queues an entry for storing; false when too many are waiting already. */
  public boolean submit(Outbound sender, NewMessage message) {
    return waiting.offer(new Pending(sender, message, null));
  }

  /**
   * Takes batches until chatserv stops. Nothing a batch holds may end this loop: it is the only
   * thread that stores messages. Senders not answered when something unexpected happens are told
   * the outcome is unknown and to resend with the same client id, which is always safe (never "not
   * stored": the call may have committed).
   */
  private void run() {
    List<Pending> batch = new ArrayList<>();
    Set<Pending> answered = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    while (running) {
      try {
        batch.add(waiting.take());
        waiting.drainTo(batch, batchLimit - 1);
        store(batch, answered);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable e) {
        Workers.failed("storing a batch of " + batch.size(), e);
        for (Pending pending : batch) {
          asking.remove(Asking.of(pending)); // whatever it was, asking ends with this answer
          if (!answered.contains(pending)) {
            Workers.guarded("answering a sender", () -> internalError(pending)).run();
          }
        }
      } finally {
        batch.clear();
        answered.clear();
      }
    }
  }

  void store(List<Pending> batch, Set<Pending> answered) {
    List<StoreOutcome> outcomes;
    try {
      outcomes = chatfront.store(batch.stream().map(Pending::message).toList());
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
            if (!waiting.offer(pending)) {
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
