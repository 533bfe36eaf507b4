package teamchat.chatserv.cluster.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.delivery.control.Subscriptions;
import teamchat.chatserv.delivery.control.SubscriptionsForTests;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame;
import teamchat.chatserv.sockets.control.Outbound;
import teamchat.chatserv.storage.control.Batcher;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.StoredMessage;

/**
 * Two chatserv instances on a Data Grid that reorders, repeats and loses entries: the followers on
 * both still get every entry of the room exactly once and in seq order, whichever instance stored
 * it, once the grid reports its losses (as a reliable topic's skipped sequence or a member that
 * left does) or, for a loss nobody reports, by the backstop.
 */
class GridDeliveryTest {

  private static final long ROOM = 7;

  /** chatfront as the instances see it: the room's committed entries. */
  private static final class Committed extends Chatfront {
    final List<StoredMessage> entries = new CopyOnWriteArrayList<>();

    @Override
    public MessagePage after(long room, String member, long after, int limit) {
      List<StoredMessage> page = new ArrayList<>();
      for (StoredMessage entry : entries) {
        if (entry.room() == room && entry.seq() > after && page.size() < limit) {
          page.add(entry);
        }
      }
      return new MessagePage(room, page, entries.size());
    }

    synchronized List<StoredMessage> commit(int count) {
      List<StoredMessage> batch = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        long seq = entries.size() + 1;
        StoredMessage entry =
            StoredMessage.message(seq, ROOM, seq, "bob", "c-" + seq, "m" + seq, "m", Instant.EPOCH);
        entries.add(entry);
        batch.add(entry);
      }
      return batch;
    }
  }

  /**
   * The Data Grid at its worst: every frame published reaches each member zero, one or two times,
   * in any order, when {@link #flush} says so. It remembers whether it lost anything, as a reliable
   * topic's reader learns from the sequence it skipped.
   */
  private static final class ChaoticGrid {
    final Random random;
    final int losePercent;
    final int repeatPercent;
    final List<Member> members = new ArrayList<>();

    ChaoticGrid(long seed, int losePercent, int repeatPercent) {
      this.random = new Random(seed);
      this.losePercent = losePercent;
      this.repeatPercent = repeatPercent;
    }

    final class Member implements EntryGrid {
      EntryGrid.Listener listener;
      final List<String> inFlight = new ArrayList<>();
      boolean lost;

      @Override
      public boolean listen(Listener listener) {
        this.listener = listener;
        return true;
      }

      @Override
      public void publish(List<String> frames) {
        synchronized (ChaoticGrid.this) {
          for (String frame : frames) {
            for (Member member : members) {
              int roll = random.nextInt(100);
              if (roll < losePercent) {
                member.lost = true;
              } else {
                member.inFlight.add(frame);
                if (roll < losePercent + repeatPercent) {
                  member.inFlight.add(frame);
                }
              }
            }
          }
        }
      }

      @Override
      public void close() {}
    }

    Member join() {
      Member member = new Member();
      members.add(member);
      return member;
    }

    /** Hands each member what is in flight to it, shuffled; a member that lost some hears so. */
    void flush() {
      for (Member member : members) {
        List<String> frames;
        boolean lost;
        synchronized (this) {
          frames = new ArrayList<>(member.inFlight);
          member.inFlight.clear();
          Collections.shuffle(frames, random);
          lost = member.lost;
          member.lost = false;
        }
        frames.forEach(member.listener::heard);
        if (lost) {
          member.listener.mayHaveMissed("test: the grid skipped entries");
        }
      }
    }
  }

  /** One chatserv instance: its followers, and its delivery across the grid. */
  private record Instance(Subscriptions subscriptions, GridDelivery delivery) {

    static Instance on(EntryGrid grid, Chatfront chatfront, Duration backstop) {
      Workers workers = Workers.withPlainThreads();
      Subscriptions subscriptions = SubscriptionsForTests.started(chatfront, workers);
      GridDelivery delivery = new GridDelivery();
      delivery.subscriptions = subscriptions;
      delivery.grid = grid;
      delivery.workers = workers;
      delivery.backstopInterval = backstop;
      delivery.start();
      return new Instance(subscriptions, delivery);
    }

    FakeSocket follow(String name) throws Exception {
      FakeSocket socket = new FakeSocket(name);
      subscriptions.subscribe(new Outbound(socket.session(), 10_000, 10_000_000), name, ROOM, 0);
      awaitFrame(socket, "subscribed");
      return socket;
    }

    void stop() {
      delivery.stop();
      SubscriptionsForTests.stop(subscriptions);
    }
  }

  @Property(tries = 60)
  void followersOnEveryInstanceGetEachEntryOnceInOrderWhateverTheGridDoes(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 30) int losePercent,
      @ForAll @IntRange(min = 0, max = 30) int repeatPercent,
      @ForAll @IntRange(min = 1, max = 12) int batches)
      throws Exception {
    Committed chatfront = new Committed();
    ChaoticGrid grid = new ChaoticGrid(seed, losePercent, repeatPercent);
    Duration noBackstop = Duration.ofHours(1);
    Instance a = Instance.on(grid.join(), chatfront, noBackstop);
    Instance b = Instance.on(grid.join(), chatfront, noBackstop);
    Random random = new Random(seed);
    try {
      FakeSocket onA = a.follow("ada");
      FakeSocket onB = b.follow("bea");
      for (int i = 0; i < batches; i++) {
        Instance storing = random.nextBoolean() ? a : b;
        storing.delivery.stored(new Batcher.Stored(chatfront.commit(1 + random.nextInt(5))));
        if (random.nextBoolean()) {
          grid.flush();
        }
      }
      grid.flush();
      long last = chatfront.entries.size();

      List<Long> all = LongStream.rangeClosed(1, last).boxed().toList();
      assertEquals(all, awaitSeqs(onA, last), "on the instance that stored, or heard it");
      assertEquals(all, awaitSeqs(onB, last), "on the other instance");
    } finally {
      a.stop();
      b.stop();
    }
  }

  @Test
  void theLastEntryOfARoomLostOnTheGridWithoutWordArrivesByTheBackstop() throws Exception {
    Committed chatfront = new Committed();
    ChaoticGrid grid = new ChaoticGrid(1, 0, 0);
    ChaoticGrid.Member silentlyLosing = grid.join();
    Instance a = Instance.on(silentlyLosing, chatfront, Duration.ofHours(1));
    Instance b = Instance.on(new SilentGrid(), chatfront, Duration.ofMillis(100));
    try {
      FakeSocket onB = b.follow("bea");
      a.delivery.stored(new Batcher.Stored(chatfront.commit(1)));
      grid.flush(); // B is not on this grid: the entry never reaches it, and nobody says so

      assertEquals(List.of(1L), awaitSeqs(onB, 1), "read from chatfront within the backstop");
    } finally {
      a.stop();
      b.stop();
    }
  }

  @Test
  void aloneItDeliversLocallyAndPublishesNothing() throws Exception {
    Committed chatfront = new Committed();
    List<String> published = new CopyOnWriteArrayList<>();
    EntryGrid none =
        new EntryGrid() {
          @Override
          public boolean listen(Listener listener) {
            return false;
          }

          @Override
          public void publish(List<String> frames) {
            published.addAll(frames);
          }

          @Override
          public void close() {}
        };
    Instance alone = Instance.on(none, chatfront, Duration.ofMillis(10));
    try {
      FakeSocket socket = alone.follow("ada");
      alone.delivery.stored(new Batcher.Stored(chatfront.commit(2)));

      assertEquals(List.of(1L, 2L), awaitSeqs(socket, 2));
      assertEquals(List.of(), published);
    } finally {
      alone.stop();
    }
  }

  @Test
  void theGridCarriesTheFrameFollowersGetAndItsRoomAndSeqAreReadFromIt() {
    StoredMessage entry =
        StoredMessage.message(9, ROOM, 42, "bob", "c", "hi", "<p>hi</p>", Instant.EPOCH);
    String frame = ServerFrame.entry(entry).encode().text();

    Subscriptions.LiveEntry heard = GridDelivery.entryOf(frame);

    assertEquals(new Subscriptions.LiveEntry(ROOM, 42, new ServerFrame.Encoded(frame)), heard);
    assertNull(GridDelivery.entryOf("{\"type\":\"message\",\"room\":\"7\",\"seq\":1}"));
    assertNull(GridDelivery.entryOf("not json"));
    assertNull(GridDelivery.entryOf("{\"type\":\"message\",\"seq\":1}"));
  }

  /** A grid member that hears nothing and publishes nowhere, and never says it lost anything. */
  private static final class SilentGrid implements EntryGrid {
    @Override
    public boolean listen(Listener listener) {
      return true;
    }

    @Override
    public void publish(List<String> frames) {}

    @Override
    public void close() {}
  }

  private static List<Long> awaitSeqs(FakeSocket socket, long count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seqs(socket).size() < count && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    Thread.sleep(20); // anything sent twice would show up now
    return seqs(socket);
  }

  private static void awaitFrame(FakeSocket socket, String type) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (frames(socket, type).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
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
