package teamchat.chatserv.storage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.EventSink;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.sockets.control.Outbound;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoredMessage;

/**
 * Issue 18, group commit: several batches in flight, the next one filling meanwhile, and still the
 * order of a room's seqs and of a socket's acks is the order the entries came in, as with one batch
 * at a time. The fake chatfront answers when the test says so, or after a random delay, and hands
 * out seqs the way chatfront does: per room, in the order its transactions commit.
 */
class BatcherGroupCommitTest {

  private Batcher cut;

  /** A batcher on plain threads with the given settings, not started. */
  static Batcher batcher(int batchesInFlight, Duration linger) {
    Batcher batcher = new Batcher();
    batcher.batchesInFlight = batchesInFlight;
    batcher.linger = linger;
    batcher.workers = Workers.withPlainThreads();
    batcher.stored = new EventSink<>(stored -> {});
    return batcher;
  }

  @AfterEach
  void stop() {
    if (cut != null) {
      cut.stop();
    }
  }

  /** A chatfront whose calls each wait until the test answers them, in any order. */
  private static final class HeldChatfront extends Chatfront {
    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

    record Call(List<NewMessage> batch, CountDownLatch answer) {
      List<String> ids() {
        return batch.stream().map(NewMessage::clientMsgId).toList();
      }
    }

    @Override
    public List<StoreOutcome> store(List<NewMessage> messages) {
      Call call = new Call(messages, new CountDownLatch(1));
      calls.add(call);
      try {
        assertTrue(call.answer.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return outcomes(messages, new HashMap<>());
    }

    Call next() throws InterruptedException {
      Call call = calls.poll(5, TimeUnit.SECONDS);
      assertTrue(call != null, "no batch went to chatfront");
      return call;
    }

    void expectNothing(long millis) throws InterruptedException {
      Call call = calls.poll(millis, TimeUnit.MILLISECONDS);
      assertEquals(null, call == null ? null : call.ids(), "a batch went that should wait");
    }
  }

  /** Stored outcomes, seqs counted on per room from {@code lastSeq}. */
  static List<StoreOutcome> outcomes(List<NewMessage> messages, Map<Long, Long> lastSeq) {
    List<StoreOutcome> outcomes = new ArrayList<>();
    for (NewMessage message : messages) {
      long seq = lastSeq.merge(message.room(), 1L, Long::sum);
      Instant now = Instant.now();
      outcomes.add(
          new StoreOutcome(
              message.clientMsgId(),
              message.sender(),
              StoreOutcome.STORED,
              null,
              seq,
              message.room(),
              seq,
              now,
              StoredMessage.message(
                  seq,
                  message.room(),
                  seq,
                  message.sender(),
                  message.clientMsgId(),
                  message.body(),
                  null,
                  now)));
    }
    return outcomes;
  }

  private static Outbound sender(FakeSocket socket) {
    return new Outbound(socket.session(), 10_000, 10_000_000);
  }

  /**
   * While batches are in flight, an entry of their room or their socket waits (and so does every
   * later entry of its room or socket), while another room's entry of another socket goes at once
   * in a batch of its own; the ones that waited go together, in their order, once their batch is
   * answered.
   */
  @Test
  void anEntryOfARoomOrASocketInFlightWaitsOthersGoAlongside() throws Exception {
    cut = batcher(3, Duration.ZERO);
    HeldChatfront chatfront = new HeldChatfront();
    cut.chatfront = chatfront;
    Outbound a = sender(new FakeSocket("a"));
    Outbound b = sender(new FakeSocket("b"));
    Outbound c = sender(new FakeSocket("c"));
    Outbound d = sender(new FakeSocket("d"));
    cut.start();

    assertTrue(cut.submit(a, NewMessage.message("ua", 1L, "a-1", "room 1")));
    HeldChatfront.Call first = chatfront.next();
    assertEquals(List.of("a-1"), first.ids());
    assertTrue(cut.submit(c, NewMessage.message("uc", 1L, "c-1", "room 1 as a-1")));
    assertTrue(cut.submit(a, NewMessage.message("ua", 2L, "a-2", "a's socket as a-1")));
    assertTrue(cut.submit(b, NewMessage.message("ub", 2L, "b-1", "room 2 as a-2, after it")));
    assertTrue(cut.submit(d, NewMessage.message("ud", 3L, "d-1", "nothing in flight")));
    HeldChatfront.Call second = chatfront.next();
    assertEquals(List.of("d-1"), second.ids(), "a free place in flight, and d-1 may take it");
    chatfront.expectNothing(200);

    first.answer().countDown();
    HeldChatfront.Call third = chatfront.next();
    assertEquals(List.of("c-1", "a-2", "b-1"), third.ids(), "those that waited, in their order");
    second.answer().countDown();
    third.answer().countDown();
    assertEquals(5, awaitStored(5));
    assertEquals(3, cut.batchesStored());
  }

  private long awaitStored(long entries) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (cut.entriesStored() < entries && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return cut.entriesStored();
  }

  /**
   * Group commit: while a batch of three is in flight, the next batch waits to hold as many (up to
   * the linger), instead of leaving with the first entry that comes; with nothing in flight an
   * entry goes at once, and one that came alone goes after the linger.
   */
  @Test
  void whileABatchIsInFlightTheNextFillsUpToTheLinger() throws Exception {
    cut = batcher(2, Duration.ofMillis(400));
    HeldChatfront chatfront = new HeldChatfront();
    cut.chatfront = chatfront;
    List<Outbound> senders = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      senders.add(sender(new FakeSocket("s" + i)));
    }
    for (int i = 1; i <= 3; i++) { // before the start: one batch of three
      assertTrue(cut.submit(senders.get(i - 1), NewMessage.message("u", (long) i, "m-" + i, "x")));
    }
    cut.start();
    HeldChatfront.Call first = chatfront.next();
    assertEquals(List.of("m-1", "m-2", "m-3"), first.ids(), "nothing in flight: at once");

    assertTrue(cut.submit(senders.get(3), NewMessage.message("u", 4L, "m-4", "x")));
    chatfront.expectNothing(150);
    assertTrue(cut.submit(senders.get(4), NewMessage.message("u", 5L, "m-5", "x")));
    assertTrue(cut.submit(senders.get(5), NewMessage.message("u", 6L, "m-6", "x")));
    HeldChatfront.Call second = chatfront.next();
    assertEquals(List.of("m-4", "m-5", "m-6"), second.ids(), "goes once as full as the first");
    second.answer().countDown();

    long queued = System.nanoTime();
    assertTrue(cut.submit(senders.get(6), NewMessage.message("u", 7L, "m-7", "x")));
    HeldChatfront.Call third = chatfront.next();
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - queued);
    assertEquals(List.of("m-7"), third.ids());
    assertTrue(waited >= 350, "a lone entry waited for company up to the linger: " + waited);
    first.answer().countDown();
    third.answer().countDown();
  }

  /**
   * Many sockets send to a few rooms at once, without waiting for their acks, through three batches
   * in flight that chatfront answers after random delays, handing out each room's seqs as it
   * commits: each room's seqs follow the order its entries came in, each socket hears its acks in
   * the order it sent, every entry is acked once, no two batches in flight share a room, and
   * batches really were in flight together. That last one does not hang on timing: an opening
   * entry's batch is held until a second batch arrives, which the batcher must send meanwhile;
   * without the hold, a machine that queues all entries before the first batch forms sends one
   * batch of every room at a time, rightly. The opening entry has a room and a socket of its own:
   * had it one of the rooms the others share, the batcher would rightly send nothing meanwhile once
   * each room's first waiting entry came after one of that room (a room's entries keep their order,
   * a socket's too, so a wait spreads from room to socket to room), and the test would wait for a
   * batch that must not go.
   */
  @Test
  void roomAndSocketOrderHoldWithSeveralBatchesInFlight() throws Exception {
    cut = batcher(3, Duration.ofMillis(1));
    Map<Long, Long> lastSeq = new HashMap<>();
    Map<String, Long> seqOf = new HashMap<>();
    Set<Long> roomsInFlight = new HashSet<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    List<String> violations = new ArrayList<>();
    AtomicInteger storeCalls = new AtomicInteger();
    CountDownLatch firstCallMade = new CountDownLatch(1);
    CountDownLatch secondCallMade = new CountDownLatch(1);
    cut.chatfront =
        new Chatfront() {
          @Override
          public List<StoreOutcome> store(List<NewMessage> messages) {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            int call = storeCalls.incrementAndGet();
            if (call == 1) {
              firstCallMade.countDown();
              await(secondCallMade);
            } else if (call == 2) {
              secondCallMade.countDown();
            }
            Set<Long> rooms = new HashSet<>();
            messages.forEach(message -> rooms.add(message.room()));
            synchronized (roomsInFlight) {
              for (Long room : rooms) {
                if (!roomsInFlight.add(room)) {
                  violations.add("room " + room + " in two batches in flight");
                }
              }
            }
            pause(); // the request on its way, the transaction waiting for the room's lock
            List<StoreOutcome> outcomes;
            synchronized (lastSeq) { // the commit: seqs in the order transactions get here
              outcomes = outcomes(messages, lastSeq);
              outcomes.forEach(outcome -> seqOf.put(outcome.clientMsgId(), outcome.seq()));
            }
            synchronized (roomsInFlight) {
              roomsInFlight.removeAll(rooms);
            }
            inFlight.decrementAndGet();
            pause(); // the answer on its way back
            return outcomes;
          }
        };
    cut.start();

    int sockets = 12;
    int each = 150;
    long rooms = 4;
    List<FakeSocket> fakes = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    Map<Long, List<String>> sentToRoom = new HashMap<>();
    Outbound opener = sender(new FakeSocket("opener"));
    long openingRoom = rooms + 1; // a room of its own: it holds back no other entry
    assertTrue(cut.submit(opener, NewMessage.message("u", openingRoom, "opening", "x")));
    sentToRoom.computeIfAbsent(openingRoom, r -> new ArrayList<>()).add("opening");
    await(firstCallMade);
    for (int s = 0; s < sockets; s++) {
      FakeSocket fake = new FakeSocket("s" + s);
      fakes.add(fake);
      Outbound outbound = sender(fake);
      String prefix = "s" + s + "-";
      threads.add(
          new Thread(
              () -> {
                for (int k = 0; k < each; k++) {
                  long room = 1 + ThreadLocalRandom.current().nextLong(rooms);
                  String id = prefix + k;
                  synchronized (sentToRoom) { // the order the batcher's queue sees
                    assertTrue(cut.submit(outbound, NewMessage.message("u", room, id, "x")));
                    sentToRoom.computeIfAbsent(room, r -> new ArrayList<>()).add(id);
                  }
                  if (k % 10 == 0) {
                    pause();
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    long entries = (long) sockets * each + 1;
    while (cut.entriesStored() < entries && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertEquals(List.of(), violations);
    assertEquals(entries, cut.entriesStored());
    synchronized (lastSeq) {
      sentToRoom.forEach(
          (room, ids) -> {
            List<Long> seqs = ids.stream().map(seqOf::get).toList();
            List<Long> expected = new ArrayList<>();
            for (long seq = 1; seq <= ids.size(); seq++) {
              expected.add(seq);
            }
            assertEquals(expected, seqs, "room " + room + "'s seqs in the order sent");
          });
    }
    Pattern ackId = Pattern.compile("\"client_msg_id\":\"s\\d+-(\\d+)\"");
    for (FakeSocket fake : fakes) {
      List<Integer> acked = new ArrayList<>();
      for (String frame : fake.written()) {
        assertTrue(frame.contains("\"type\":\"ack\""), frame);
        Matcher matcher = ackId.matcher(frame);
        assertTrue(matcher.find(), frame);
        acked.add(Integer.parseInt(matcher.group(1)));
      }
      List<Integer> expected = new ArrayList<>();
      for (int k = 0; k < each; k++) {
        expected.add(k);
      }
      assertEquals(expected, acked, "each ack once, in the order sent");
    }
    assertTrue(mostInFlight.get() >= 2, "batches in flight together: " + mostInFlight.get());
    assertTrue(mostInFlight.get() <= 3, "never more than allowed: " + mostInFlight.get());
    assertFalse(cut.batchesStored() == entries, "entries went in batches");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "the batcher sent the awaited batch");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
