package teamchat.chatserv.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.MessageState;
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
      return commit(room, EntryKind.MESSAGE);
    }

    /** An entry of this kind; changes apply to the room's first message. */
    StoredMessage commit(long room, String kind) {
      long seq = committed.stream().filter(m -> m.room() == room).count() + 1;
      boolean change = !EntryKind.MESSAGE.equals(kind);
      boolean reaction = kind.equals(EntryKind.REACT) || kind.equals(EntryKind.UNREACT);
      StoredMessage entry =
          new StoredMessage(
              seq,
              room,
              seq,
              "bob",
              "c-" + room + "-" + seq,
              kind,
              kind.equals(EntryKind.MESSAGE) || kind.equals(EntryKind.EDIT) ? "m" + seq : null,
              null,
              Instant.EPOCH,
              change ? 1L : null,
              null,
              reaction ? "👍" : null,
              List.of(),
              false,
              null);
      committed.add(entry);
      return entry;
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
          cut.deliver(Subscriptions.LiveEntry.of(List.of(message)));
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
      cut.deliver(Subscriptions.LiveEntry.of(List.of(second)));
      cut.deliver(Subscriptions.LiveEntry.of(List.of(second, first)));

      Thread.sleep(100);
      assertEquals(List.of(1L, 2L), seqs(socket));
    } finally {
      cut.stop();
    }
  }

  /**
   * A message whose first store chatserv gave up on but that committed anyway was never sent live;
   * when a resend finds it stored, every follower still lacking it reads it from chatfront.
   */
  @Test
  void aMessageThatAResendFindsStoredReachesFollowersWhoNeverGotIt() throws Exception {
    History history = new History();
    Subscriptions cut = subscriptions(history);
    try {
      StoredMessage first = history.commit(ROOM);
      FakeSocket socket = new FakeSocket("ada-socket");
      cut.subscribe(new Outbound(socket.session(), 1000, 1_000_000), "ada", ROOM, 0);
      awaitSubscribed(socket);
      StoredMessage abandoned = history.commit(ROOM); // committed, never delivered live

      cut.catchUpWithFound(new Batcher.FoundStored(List.of(abandoned)));
      cut.catchUpWithFound(new Batcher.FoundStored(List.of(first, abandoned)));

      assertEquals(List.of(1L, 2L), awaitMessages(socket, 2));
      Thread.sleep(100);
      assertEquals(List.of(1L, 2L), seqs(socket), "each once");
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

  /**
   * Every entry takes a seq, so a replay and live delivery send each kind, each once, in seq order:
   * a message, its edit, a reaction, a reply and a delete, as replayed; then more of them live.
   */
  @Test
  void everyKindOfEntryIsReplayedAndDeliveredOnceInSeqOrder() throws Exception {
    History history = new History();
    Subscriptions cut = subscriptions(history);
    try {
      history.commit(ROOM); // seq 1: a message
      history.commit(ROOM, EntryKind.EDIT);
      history.commit(ROOM, EntryKind.REACT);
      history.commit(ROOM); // a reply, as far as delivery cares: a message
      history.commit(ROOM, EntryKind.UNREACT);
      FakeSocket socket = new FakeSocket("ada-socket");
      cut.subscribe(new Outbound(socket.session(), 1000, 1_000_000), "ada", ROOM, 1);
      awaitSubscribed(socket);
      cut.deliver(Subscriptions.LiveEntry.of(List.of(history.commit(ROOM, EntryKind.DELETE))));
      StoredMessage edit = history.commit(ROOM, EntryKind.EDIT);
      cut.deliver(Subscriptions.LiveEntry.of(List.of(edit)));
      cut.deliver(Subscriptions.LiveEntry.of(List.of(edit))); // twice: sent once

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (entries(socket).size() < 6 && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      Thread.sleep(50);
      List<String> types = new ArrayList<>();
      List<Long> seqs = new ArrayList<>();
      for (JsonObject entry : entries(socket)) {
        types.add(entry.getString("type"));
        seqs.add(entry.getJsonNumber("seq").longValue());
      }
      assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), seqs, "each entry once, in order");
      assertEquals(
          List.of("edited", "reaction", "message", "reaction", "deleted", "edited"), types);
    } finally {
      cut.stop();
    }
  }

  /**
   * A page of frames far longer than planned (a message with thousands of reactions) must not
   * overflow the socket's queue and close a client that reads at a normal pace: each round sends
   * its share, the rest follows as the client reads.
   */
  @Test
  void aReplayOfLongFramesWaitsForTheClientInsteadOfOverflowingItsQueue() throws Exception {
    History history = new History();
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      many.add("subject-" + UUID.nameUUIDFromBytes(Integer.toString(i).getBytes()));
    }
    MessageState popular =
        new MessageState(null, false, List.of(new MessageState.Reaction("👍", many)), 0, List.of());
    for (int seq = 1; seq <= 20; seq++) {
      history.committed.add(
          new StoredMessage(
              seq,
              ROOM,
              seq,
              "bob",
              "c-" + seq,
              EntryKind.MESSAGE,
              "m",
              "<p>m</p>",
              Instant.EPOCH,
              null,
              null,
              null,
              List.of(),
              false,
              popular));
    }
    Subscriptions cut = subscriptions(history);
    FakeSocket socket = new FakeSocket("slow").completingOnlyWhenTold();
    // Room for three of these frames (about 100,000 characters each), far more than planned ones.
    Outbound outbound = new Outbound(socket.session(), 1000, 330_000);
    Thread reader =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  if (socket.hasWritesInFlight()) {
                    socket.completeOne();
                  }
                  Thread.sleep(5);
                }
              } catch (InterruptedException e) {
                // done reading
              }
            });
    reader.start();
    try {
      cut.subscribe(outbound, "ada", ROOM, 0);
      awaitSubscribed(socket);
      assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), seqs(socket));
      assertEquals(null, socket.closed(), "the client kept up and stays connected");
      assertEquals(
          20,
          frames(socket, "message").get(0).getInt("state_seq"),
          "a replayed state is as of the room's last seq when it was read");
    } finally {
      reader.interrupt();
      cut.stop();
    }
  }

  private static List<JsonObject> entries(FakeSocket socket) {
    return socket.written().stream()
        .map(text -> Json.createReader(new StringReader(text)).readObject())
        .filter(frame -> frame.containsKey("seq"))
        .toList();
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
