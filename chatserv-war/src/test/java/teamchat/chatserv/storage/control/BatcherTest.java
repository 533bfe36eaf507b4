package teamchat.chatserv.storage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.EventSink;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.sockets.control.Outbound;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoredMessage;

/**
 * The batcher is the one thread that stores messages: whatever one batch does, it must go on
 * storing the next (a lone surrogate once killed it with an Error, and every send of everyone after
 * it went unanswered while health said UP).
 */
class BatcherTest {

  private final Batcher cut = BatcherGroupCommitTest.batcher(2, Duration.ofMillis(2));
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final List<StoredMessage> delivered = new ArrayList<>();

  /** How long the fake chatfront takes to answer, and the fake followers to be handed a batch. */
  private volatile long storeMillis;

  private volatile long deliverMillis;

  private final AtomicInteger callsStarted = new AtomicInteger();

  @AfterEach
  void stop() {
    cut.stop();
  }

  private void wire(boolean failInStore) {
    cut.workers = Workers.withPlainThreads();
    cut.chatfront =
        new Chatfront() {
          @Override
          public List<StoreOutcome> store(List<NewMessage> messages) {
            callsStarted.incrementAndGet();
            pause(storeMillis);
            if (failInStore && failuresLeft.getAndDecrement() > 0) {
              throw new Error("as from a writer deep down");
            }
            long seq = 0;
            List<StoreOutcome> outcomes = new ArrayList<>();
            for (NewMessage message : messages) {
              seq++;
              outcomes.add(
                  new StoreOutcome(
                      message.clientMsgId(),
                      message.sender(),
                      StoreOutcome.STORED,
                      null,
                      seq,
                      message.room(),
                      seq,
                      Instant.now(),
                      StoredMessage.message(
                          seq,
                          message.room(),
                          seq,
                          message.sender(),
                          message.clientMsgId(),
                          message.body(),
                          null,
                          Instant.now())));
            }
            return outcomes;
          }
        };
    cut.stored =
        new EventSink<>(
            stored -> {
              pause(deliverMillis);
              if (!failInStore && failuresLeft.getAndDecrement() > 0) {
                throw new Error("as Tyrus throws for text it cannot encode");
              }
              synchronized (delivered) {
                delivered.addAll(stored.messages());
              }
            });
    cut.start();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The totals behind {@code /metrics} (StoreMetrics) split a batch's time: in flight from the call
   * until its entries are handed on, the call to chatfront alone, and an entry's wait in the queue
   * (here the second entry of one socket, which waits for the first one's batch).
   */
  @Test
  void theTotalsSplitABatchsTimeIntoWaitingCallingAndHandingOn() throws Exception {
    storeMillis = 60;
    deliverMillis = 40;
    wire(false);
    FakeSocket socket = new FakeSocket("s1");
    Outbound sender = new Outbound(socket.session(), 100, 100_000);
    assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-1", "first")));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (callsStarted.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-2", "second")));
    awaitFrame(socket, 1);
    while (cut.batchesStored() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(2, cut.batchesStored(), "one socket's entries go one batch after the other");
    assertEquals(2, cut.entriesStored());
    assertTrue(cut.secondsCalling() >= 0.12, "two calls of 60 ms: " + cut.secondsCalling());
    assertTrue(
        cut.secondsInFlight() >= cut.secondsCalling() + 0.08,
        "in flight includes handing each batch on (40 ms): " + cut.secondsInFlight());
    assertTrue(
        cut.secondsWaiting() >= 0.08,
        "the second entry waited for the first one's batch (~100 ms): " + cut.secondsWaiting());
  }

  @Test
  void anErrorWhileStoringAnswersTheBatchAndTheNextBatchIsStored() throws Exception {
    failuresLeft.set(1);
    wire(true);
    FakeSocket socket = new FakeSocket("s1");
    Outbound sender = new Outbound(socket.session(), 100, 100_000);
    assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-1", "first")));
    String first = awaitFrame(socket, 0);
    assertTrue(first.contains("\"code\":\"internal\""), first);
    assertTrue(first.contains("\"retry\":true"), first);
    assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-2", "second")));
    String second = awaitFrame(socket, 1);
    assertTrue(second.contains("\"type\":\"ack\""), second);
    assertEquals(List.of(), cut.workers.dead());
  }

  @Test
  void anErrorWhileDeliveringNeverTakesBackAnAckAndTheNextBatchIsDelivered() throws Exception {
    failuresLeft.set(1);
    wire(false);
    FakeSocket socket = new FakeSocket("s1");
    Outbound sender = new Outbound(socket.session(), 100, 100_000);
    assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-1", "first")));
    assertTrue(awaitFrame(socket, 0).contains("\"type\":\"ack\""));
    assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-2", "second")));
    assertTrue(awaitFrame(socket, 1).contains("\"type\":\"ack\""));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      synchronized (delivered) {
        if (!delivered.isEmpty()) {
          break;
        }
      }
      Thread.sleep(10);
    }
    synchronized (delivered) {
      assertEquals("c-2", delivered.get(0).clientMsgId());
    }
    Thread.sleep(100);
    assertEquals(2, socket.written().size(), "the acked sender was not told anything else");
    assertEquals(List.of(), cut.workers.dead());
  }

  /**
   * chatfront's refusals (issue 15: not the author, a deleted target…) reach the sender with their
   * code, the client id and the room, as final; nothing of them reaches the room.
   */
  @Test
  void aRefusedEntryIsAnsweredWithChatfrontsCodeAndDeliveredToNobody() throws Exception {
    cut.workers = Workers.withPlainThreads();
    cut.stored =
        new EventSink<>(
            stored -> {
              synchronized (delivered) {
                delivered.addAll(stored.messages());
              }
            });
    cut.chatfront =
        new Chatfront() {
          @Override
          public List<StoreOutcome> store(List<NewMessage> messages) {
            return messages.stream()
                .map(
                    entry ->
                        StoreOutcome.refused(entry, StoreOutcome.NOT_ALLOWED, "not_the_author"))
                .toList();
          }
        };
    cut.start();
    FakeSocket socket = new FakeSocket("s1");
    Outbound sender = new Outbound(socket.session(), 100, 100_000);
    NewMessage edit =
        new NewMessage("u1", 7L, "e-1", EntryKind.EDIT, "not mine", 9001L, null, null);
    assertTrue(cut.submit(sender, edit));
    String refused = awaitFrame(socket, 0);
    assertTrue(refused.contains("\"type\":\"error\""), refused);
    assertTrue(refused.contains("\"code\":\"not_the_author\""), refused);
    assertTrue(refused.contains("\"retry\":false"), refused);
    assertTrue(refused.contains("\"client_msg_id\":\"e-1\""), refused);
    assertTrue(refused.contains("\"room\":7"), refused);
    Thread.sleep(100);
    synchronized (delivered) {
      assertEquals(List.of(), delivered);
    }
  }

  /**
   * After an outage the backlog meets a chatfront that answers a small batch in time and times out
   * on a big one (cold, after a restart): the batches shrink until they pass, and every sender is
   * acked, where full batches would time out again and again until chatserv gave up.
   */
  @Test
  void aBacklogThatTimesOutInOneBatchIsStoredInSmallerOnes() throws Exception {
    java.util.concurrent.CountDownLatch backlogQueued = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger storeCalls = new AtomicInteger();
    cut.workers = Workers.withPlainThreads();
    cut.askAgainAfter = Duration.ofMinutes(1); // only the senders' resends here
    cut.stored = new EventSink<>(stored -> {});
    cut.foundStored = new EventSink<>(found -> {});
    java.util.Set<String> stored = java.util.concurrent.ConcurrentHashMap.newKeySet();
    cut.chatfront =
        new Chatfront() {
          @Override
          public List<StoreOutcome> store(List<NewMessage> messages) throws Unavailable {
            if (storeCalls.incrementAndGet() == 1) {
              try {
                backlogQueued.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            if (messages.size() > 20) {
              throw new Unavailable("chatfront", new java.net.SocketTimeoutException("timed out"));
            }
            List<StoreOutcome> outcomes = new ArrayList<>();
            for (NewMessage message : messages) {
              long seq = stored.add(message.clientMsgId()) ? stored.size() : 0;
              outcomes.add(
                  new StoreOutcome(
                      message.clientMsgId(),
                      message.sender(),
                      seq > 0 ? StoreOutcome.STORED : StoreOutcome.ALREADY_STORED,
                      null,
                      seq,
                      message.room(),
                      seq,
                      Instant.now(),
                      null));
            }
            return outcomes;
          }
        };
    cut.start();
    FakeSocket socket = new FakeSocket("s1");
    Outbound sender = new Outbound(socket.session(), 10_000, 10_000_000);
    for (int i = 0; i < 300; i++) {
      assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-" + i, "backlog " + i)));
    }
    backlogQueued.countDown();
    // Like the clients, resend every entry not yet acked, all at once, every 200 ms.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (stored.size() < 300 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      for (int i = 0; i < 300; i++) {
        if (!stored.contains("c-" + i)) {
          cut.submit(sender, NewMessage.message("u1", 1L, "c-" + i, "backlog " + i));
        }
      }
    }
    assertEquals(300, stored.size(), "every entry of the backlog stored");
    deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline && ackedIds(socket).size() < 300) {
      Thread.sleep(20);
    }
    assertEquals(300, ackedIds(socket).size(), "every entry acked to its sender");
    assertEquals(List.of(), cut.workers.dead());
  }

  /**
   * A client that resends while chatfront is away (each resend is answered outcome_unknown at once)
   * starts no second round of asking again: chatserv's own copies of the entry come once per
   * interval, not once per resend and interval, so the backlog that meets chatfront on its return
   * is not the entry many times over (FaultIT's recovery after chatfront was killed).
   */
  @Test
  void resendsWhileTheOutcomeIsUnknownStartNoSecondRoundOfAskingAgain() throws Exception {
    java.util.Queue<Long> copiesAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
    cut.workers = Workers.withPlainThreads();
    cut.askAgainAfter = Duration.ofMillis(100);
    cut.stored = new EventSink<>(stored -> {});
    cut.chatfront =
        new Chatfront() {
          @Override
          public List<StoreOutcome> store(List<NewMessage> messages) throws Unavailable {
            messages.forEach(m -> copiesAt.add(System.nanoTime()));
            throw new Unavailable(
                "storing a batch failed", new jakarta.ws.rs.ProcessingException("refused"));
          }
        };
    cut.start();
    FakeSocket socket = new FakeSocket("s1");
    Outbound sender = new Outbound(socket.session(), 1000, 1_000_000);
    int resends = 10;
    for (int i = 0; i < resends; i++) {
      assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-1", "hello")));
      awaitFrame(socket, i); // answered outcome_unknown, as each resend is
      Thread.sleep(20);
    }
    long resent = System.nanoTime();
    Thread.sleep(1000);
    long copiesSince = copiesAt.stream().filter(at -> at > resent).count();
    // One round: about one copy per 100 ms (fewer on a slow machine). One round per resend would
    // be about ten times that.
    assertTrue(copiesSince >= 3 && copiesSince <= 12, "copies in the second after: " + copiesSince);
    assertTrue(
        socket.written().stream().allMatch(f -> f.contains("\"code\":\"outcome_unknown\"")),
        "each send answered outcome_unknown, nothing else");
  }

  private static java.util.Set<String> ackedIds(FakeSocket socket) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (String frame : List.copyOf(socket.written())) {
      java.util.regex.Matcher ack =
          java.util.regex.Pattern.compile("\"type\":\"ack\".*\"client_msg_id\":\"(c-\\d+)\"")
              .matcher(frame);
      if (ack.find()) {
        ids.add(ack.group(1));
      }
    }
    return ids;
  }

  private static String awaitFrame(FakeSocket socket, int index) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (socket.written().size() <= index && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return socket.written().get(index);
  }

  /**
   * docs/protocol.md: a store that failed may have been committed, so it is never "not stored", not
   * even when the connection was refused (the HTTP client may have sent it once before).
   */
  @Test
  void aStoreThatFailedInAnyWayIsOfUnknownOutcomeNeverNotStored() throws Exception {
    cut.workers = Workers.withPlainThreads();
    cut.stored = new EventSink<>(stored -> {});
    AtomicInteger stores = new AtomicInteger();
    cut.chatfront =
        new Chatfront() {
          @Override
          public List<StoreOutcome> store(List<NewMessage> messages) throws Unavailable {
            Exception cause =
                stores.incrementAndGet() == 1
                    ? new java.net.SocketTimeoutException("Read timed out")
                    : new java.net.ConnectException("Connection refused");
            throw new Unavailable(
                "storing a batch failed", new jakarta.ws.rs.ProcessingException(cause));
          }
        };
    cut.start();
    FakeSocket socket = new FakeSocket("s1");
    Outbound sender = new Outbound(socket.session(), 100, 100_000);

    assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-1", "timed out")));
    String timedOut = awaitFrame(socket, 0);
    assertTrue(timedOut.contains("\"code\":\"outcome_unknown\""), timedOut);
    assertTrue(timedOut.contains("\"retry\":true"), timedOut);
    assertTrue(timedOut.contains("\"client_msg_id\":\"c-1\""), timedOut);

    assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-2", "refused")));
    String refused = awaitFrame(socket, 1);
    assertTrue(refused.contains("\"code\":\"outcome_unknown\""), refused);
  }

  /**
   * Issue 21: after answering outcome_unknown, chatserv asks chatfront again itself (same client
   * id) and, once it answers, acks the sender and announces the message, exactly once.
   */
  @Test
  void aStoreOfUnknownOutcomeIsStoredAgainInTheBackgroundAndTheSenderHearsItsAck()
      throws Exception {
    AtomicInteger stores = new AtomicInteger();
    failuresLeft.set(3); // chatfront away for three attempts
    cut.workers = Workers.withPlainThreads();
    cut.askAgainAfter = Duration.ofMillis(50);
    cut.stored =
        new EventSink<>(
            stored -> {
              synchronized (delivered) {
                delivered.addAll(stored.messages());
              }
            });
    cut.chatfront =
        new Chatfront() {
          @Override
          public List<StoreOutcome> store(List<NewMessage> messages) throws Unavailable {
            stores.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
              throw new Unavailable(
                  "storing a batch failed",
                  new jakarta.ws.rs.ProcessingException("Read timed out"));
            }
            NewMessage message = messages.get(0);
            StoredMessage entry =
                StoredMessage.message(
                    9001, 1L, 18, "u1", message.clientMsgId(), message.body(), null, Instant.now());
            return List.of(
                new StoreOutcome(
                    message.clientMsgId(),
                    message.sender(),
                    StoreOutcome.STORED,
                    null,
                    9001L,
                    1L,
                    18L,
                    Instant.now(),
                    entry));
          }
        };
    cut.start();
    FakeSocket socket = new FakeSocket("s1");
    Outbound sender = new Outbound(socket.session(), 100, 100_000);

    assertTrue(cut.submit(sender, NewMessage.message("u1", 1L, "c-1", "hello")));
    String first = awaitFrame(socket, 0);
    assertTrue(first.contains("\"code\":\"outcome_unknown\""), first);
    String second = awaitFrame(socket, 1);
    assertTrue(second.contains("\"type\":\"ack\""), second);
    assertTrue(second.contains("\"client_msg_id\":\"c-1\""), second);
    assertTrue(second.contains("\"seq\":18"), second);
    assertEquals(4, stores.get(), "asked again until chatfront answered, then no more");
    Thread.sleep(200);
    assertEquals(2, socket.written().size(), "told once that it is unknown, then its ack");
    assertEquals(4, stores.get());
    synchronized (delivered) {
      assertEquals(List.of("c-1"), delivered.stream().map(StoredMessage::clientMsgId).toList());
    }
  }
}
