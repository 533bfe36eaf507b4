package teamchat.chatserv.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.sockets.control.Outbound;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.OutsideStore;
import teamchat.contract.messages.OutsideStores;
import teamchat.contract.messages.StoredMessage;

/**
 * The follower of chatfront's feed of stores made outside chatserv is how an API post reaches open
 * chat screens: each follower of the room gets it once, in seq order, whether it also came by
 * another way (a later live message revealed the gap) or not at all; a room's followers share one
 * read of it; an Error in a round or chatfront away does not end the follower.
 */
class OutsideStoresFollowerTest {

  private static final long ROOM = 7;
  private static final long NOBODY_FOLLOWS = 99;

  /** The room's committed entries as chatfront has them, and the reads made of them. */
  private final List<StoredMessage> committed = new CopyOnWriteArrayList<>();

  private final List<Long> readsAfter = new CopyOnWriteArrayList<>();

  /** The feed's answers, in order; an empty long poll when none is queued. */
  private final BlockingQueue<Object> feed = new LinkedBlockingQueue<>();

  private final List<Long> feedAskedAfter = new CopyOnWriteArrayList<>();
  private final AtomicInteger feedCalls = new AtomicInteger();

  /** The next read of a room answers late, with what the room held when it was read. */
  private final AtomicBoolean stallNextRead = new AtomicBoolean();

  private final CountDownLatch readStalled = new CountDownLatch(1);
  private final CountDownLatch releaseRead = new CountDownLatch(1);

  private final Workers workers = Workers.withPlainThreads();
  private final Chatfront chatfront =
      new Chatfront() {
        @Override
        public OutsideStores outsideStores(long after, Duration wait) throws Unavailable {
          feedCalls.incrementAndGet();
          feedAskedAfter.add(after);
          Object next;
          try {
            next = feed.poll(50, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OutsideStores(List.of(), after);
          }
          if (next instanceof Error error) {
            throw error;
          }
          if (next instanceof Unavailable unavailable) {
            throw unavailable;
          }
          if (next == null) {
            return new OutsideStores(List.of(), after);
          }
          return (OutsideStores) next;
        }

        @Override
        public MessagePage after(long room, String member, long after, int limit) {
          if (room == ROOM && after > 0) {
            readsAfter.add(after);
          }
          List<StoredMessage> page = new ArrayList<>();
          for (StoredMessage entry : committed) {
            if (entry.room() == room && entry.seq() > after && page.size() < limit) {
              page.add(entry);
            }
          }
          MessagePage read = new MessagePage(room, page, committed.size());
          if (stallNextRead.compareAndSet(true, false)) {
            readStalled.countDown();
            try {
              releaseRead.await(10, TimeUnit.SECONDS); // answers what it read before the wait
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return read;
        }
      };

  private final Subscriptions subscriptions = SubscriptionsForTests.started(chatfront, workers);
  private final OutsideStoresFollower cut = new OutsideStoresFollower();

  {
    cut.chatfront = chatfront;
    cut.subscriptions = subscriptions;
    cut.workers = workers;
  }

  @AfterEach
  void stop() {
    cut.stop();
    SubscriptionsForTests.stop(subscriptions);
  }

  @Test
  void anEntryStoredOutsideReachesEveryFollowerOnceInSeqOrderWithOneReadForAll() throws Exception {
    commit(); // 1, sent from a chat screen before anyone here subscribed
    FakeSocket ada = subscribed("ada");
    FakeSocket bob = subscribed("bob");
    cut.start(new Object());
    // An Error in a round, then chatfront away: the follower asks again, from the same place.
    feed.add(new Error("as an Error from deep inside a read"));
    feed.add(new Chatfront.Unavailable("chatfront is away", new RuntimeException()));

    // 2 posted through the API; 3 sent from a chat screen, which reveals 2 before the feed does.
    commit();
    StoredMessage third = commit();
    subscriptions.deliver(Subscriptions.LiveEntry.of(List.of(third)));
    assertEquals(List.of(1L, 2L, 3L), awaitSeqs(ada, 3));
    assertEquals(List.of(1L, 2L, 3L), awaitSeqs(bob, 3));
    // The notice of 2 comes late, with one for a room nobody here follows: nothing more is sent.
    feed.add(
        new OutsideStores(
            List.of(new OutsideStore(11, ROOM, 2), new OutsideStore(12, NOBODY_FOLLOWS, 5)), 12));
    awaitFeedAskedAfter(12);

    // 4 posted through the API and no message after it: the feed alone brings it, read once.
    commit();
    readsAfter.clear();
    feed.add(new OutsideStores(List.of(new OutsideStore(13, ROOM, 4)), 13));
    assertEquals(List.of(1L, 2L, 3L, 4L), awaitSeqs(ada, 4));
    assertEquals(List.of(1L, 2L, 3L, 4L), awaitSeqs(bob, 4));
    assertEquals(List.of(3L), readsAfter, "one read for both followers");
    awaitFeedAskedAfter(13);

    assertTrue(feedCalls.get() >= 5, "the feed was read again after the Error and the outage");
    assertEquals(0L, feedAskedAfter.get(0), "the feed is read from its start");
    assertEquals(List.of(), workers.dead(), "the follower is alive");
  }

  /**
   * A notice that comes while a socket's replay is reading the room (the replay may have read it
   * before that store) is not lost: when the replay is done, the follower reads the room again.
   */
  @Test
  void aStoreAnnouncedWhileAReplayReadsTheRoomStillReachesThatSocket() throws Exception {
    commit();
    cut.start(new Object());
    stallNextRead.set(true);
    FakeSocket ada = new FakeSocket("ada-socket");
    subscriptions.subscribe(new Outbound(ada.session(), 1000, 1_000_000), "ada", ROOM, 0);
    assertTrue(readStalled.await(10, TimeUnit.SECONDS), "the replay reads");

    commit(); // 2, posted through the API after the replay read the room
    feed.add(new OutsideStores(List.of(new OutsideStore(21, ROOM, 2)), 21));
    awaitFeedAskedAfter(21);
    releaseRead.countDown();

    assertEquals(List.of(1L, 2L), awaitSeqs(ada, 2));
    assertEquals(1, frames(ada, "subscribed").size());
  }

  /** A follower further behind than one shared read reads its own gap, page by page. */
  @Test
  void manyEntriesStoredOutsideAreReadPerFollower() throws Exception {
    FakeSocket ada = subscribed("ada");
    cut.start(new Object());
    int many = Subscriptions.SHARED_READ + 5;
    for (int i = 0; i < many; i++) {
      commit();
    }
    feed.add(new OutsideStores(List.of(new OutsideStore(1, ROOM, many)), 1));

    List<Long> expected = new ArrayList<>();
    for (long seq = 1; seq <= many; seq++) {
      expected.add(seq);
    }
    assertEquals(expected, awaitSeqs(ada, many));
  }

  private StoredMessage commit() {
    long seq = committed.size() + 1;
    StoredMessage entry =
        new StoredMessage(
            seq,
            ROOM,
            seq,
            "cy",
            "api-" + seq,
            EntryKind.MESSAGE,
            "m" + seq,
            null,
            Instant.EPOCH,
            null,
            null,
            null,
            List.of(),
            false,
            null);
    committed.add(entry);
    return entry;
  }

  private FakeSocket subscribed(String who) throws Exception {
    FakeSocket socket = new FakeSocket(who + "-socket");
    subscriptions.subscribe(new Outbound(socket.session(), 1000, 1_000_000), who, ROOM, 0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (frames(socket, "subscribed").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1, frames(socket, "subscribed").size(), socket.written().toString());
    return socket;
  }

  private void awaitFeedAskedAfter(long position) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!feedAskedAfter.contains(position) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(feedAskedAfter.contains(position), "asked after " + feedAskedAfter);
    Thread.sleep(50); // anything sent twice would show up now
  }

  private static List<Long> awaitSeqs(FakeSocket socket, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seqs(socket).size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Thread.sleep(50); // anything sent twice would show up now
    return seqs(socket);
  }

  private static List<Long> seqs(FakeSocket socket) {
    return frames(socket, "message").stream().map(f -> f.getJsonNumber("seq").longValue()).toList();
  }

  private static List<JsonObject> frames(FakeSocket socket, String type) {
    return socket.written().stream()
        .map(text -> Json.createReader(new StringReader(text)).readObject())
        .filter(frame -> type.equals(frame.getString("type")))
        .toList();
  }
}
