package teamchat.chatserv.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.sockets.control.Outbound;
import teamchat.chatserv.storage.control.Batcher;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.StoredMessage;

/**
 * Exactly once and in seq order for every follower, whatever the timing: a replay read from
 * chatfront page by page while live messages arrive, gaps (messages another instance stored, never
 * delivered here) filled from chatfront, and the boundary between replay and live.
 */
class SubscriptionsTest {

  private static final long ROOM = 1;

  /** chatfront as far as a replay sees it: the room's committed messages, read in pages. */
  private static final class History extends Chatfront {
    final List<StoredMessage> committed = new CopyOnWriteArrayList<>();
    volatile Throwable failNextRead;

    @Override
    public MessagePage after(long room, String member, long after, int limit) {
      Throwable failure = failNextRead;
      if (failure != null) {
        failNextRead = null;
        if (failure instanceof Error error) {
          throw error;
        }
        throw (RuntimeException) failure;
      }
      List<StoredMessage> page = new ArrayList<>();
      for (StoredMessage message : committed) {
        if (message.room() == room && message.seq() > after && page.size() < limit) {
          page.add(message);
        }
      }
      long lastSeq = committed.stream().filter(m -> m.room() == room).count();
      return new MessagePage(room, page, lastSeq);
    }

    StoredMessage commit(long room) {
      long seq = committed.stream().filter(m -> m.room() == room).count() + 1;
      StoredMessage message =
          StoredMessage.message(
              seq, room, seq, "bob", "c-" + room + "-" + seq, "m" + seq, null, Instant.EPOCH);
      committed.add(message);
      return message;
    }
  }

  private static Subscriptions subscriptions(History history) {
    Subscriptions cut = new Subscriptions();
    cut.chatfront = history;
    cut.workers = Workers.withPlainThreads();
    cut.start();
    return cut;
  }

  /**
   * {@code before} messages exist when the socket subscribes after {@code after} of them; then the
   * rest are committed one by one, each delivered live unless {@code missed} says another instance
   * stored it (then only a later live message reveals the gap). The last is always live.
   */
  @Property(tries = 150)
  void everyFollowerGetsEachMessageOnceInSeqOrderAcrossReplayGapsAndLive(
      @ForAll @IntRange(min = 0, max = 70) int before,
      @ForAll @IntRange(min = 0, max = 70) int afterShare,
      @ForAll @Size(max = 40) List<Boolean> missed)
      throws Exception {
    History history = new History();
    Subscriptions cut = subscriptions(history);
    try {
      for (int i = 0; i < before; i++) {
        history.commit(ROOM);
      }
      long after = Math.min(before, afterShare);
      FakeSocket socket = new FakeSocket("ada-socket");
      cut.subscribe(new Outbound(socket.session(), 1000, 1_000_000), "ada", ROOM, after);
      for (int i = 0; i <= missed.size(); i++) {
        StoredMessage message = history.commit(ROOM);
        boolean live = i == missed.size() || !missed.get(i);
        if (live) {
          cut.deliver(new Batcher.Stored(List.of(message)));
        }
      }
      long last = before + missed.size() + 1;

      List<Long> seqs = awaitMessages(socket, last - after);

      assertEquals(
          LongStream.rangeClosed(after + 1, last).boxed().toList(),
          seqs,
          "each message once, in order");
      assertEquals(1, frames(socket, "subscribed").size(), "one subscribed frame");
    } finally {
      cut.stop();
    }
  }

  @Test
  void aMessageDeliveredTwiceOrLateIsSentOnce() throws Exception {
    History history = new History();
    Subscriptions cut = subscriptions(history);
    try {
      StoredMessage first = history.commit(ROOM);
      FakeSocket socket = new FakeSocket("ada-socket");
      cut.subscribe(new Outbound(socket.session(), 1000, 1_000_000), "ada", ROOM, 0);
      awaitSubscribed(socket);
      StoredMessage second = history.commit(ROOM);
      cut.deliver(new Batcher.Stored(List.of(second)));
      cut.deliver(new Batcher.Stored(List.of(second, first)));

      Thread.sleep(100);
      assertEquals(List.of(1L, 2L), seqs(socket));
    } finally {
      cut.stop();
    }
  }

  /**
   * A replay that fails with an Error must not leave the room held back for that socket forever: it
   * is told to subscribe again, and replays of others go on on the same pool.
   */
  @Test
  void aReplayKilledByAnErrorTellsTheSocketToSubscribeAgainAndTheNextReplayWorks()
      throws Exception {
    History history = new History();
    Subscriptions cut = subscriptions(history);
    try {
      history.commit(ROOM);
      history.failNextRead = new Error("as an OutOfMemoryError deep in a read");
      FakeSocket ada = new FakeSocket("ada-socket");
      cut.subscribe(new Outbound(ada.session(), 1000, 1_000_000), "ada", ROOM, 0);

      JsonObject error = awaitFrame(ada, "error");
      assertEquals("internal", error.getString("code"));
      assertTrue(error.getBoolean("retry"), "subscribe again");
      assertEquals(ROOM, error.getJsonNumber("room").longValue());

      for (int i = 0; i < 2 * Subscriptions.REPLAY_THREADS; i++) {
        FakeSocket other = new FakeSocket("other-" + i);
        cut.subscribe(new Outbound(other.session(), 1000, 1_000_000), "bob", ROOM, 0);
        awaitSubscribed(other);
        assertEquals(List.of(1L), seqs(other));
      }
    } finally {
      cut.stop();
    }
  }

  private static List<Long> awaitMessages(FakeSocket socket, long count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seqs(socket).size() < count && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    Thread.sleep(20); // anything sent twice would show up now
    return seqs(socket);
  }

  private static void awaitSubscribed(FakeSocket socket) throws Exception {
    awaitFrame(socket, "subscribed");
  }

  private static JsonObject awaitFrame(FakeSocket socket, String type) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (frames(socket, type).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertTrue(!frames(socket, type).isEmpty(), "no " + type + " in " + socket.written());
    return frames(socket, type).get(0);
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
