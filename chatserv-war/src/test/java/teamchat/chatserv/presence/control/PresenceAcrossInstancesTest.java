package teamchat.chatserv.presence.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame.User;
import teamchat.chatserv.sockets.control.Outbound;

/**
 * Two chatserv instances sharing presence through a grid: a person connected to one is online for
 * the followers on the other, and goes offline there when they leave or their instance dies.
 */
class PresenceAcrossInstancesTest {

  /** The grid as the map's entry listeners make it: each change reaches the others, later. */
  private static final class Grid {
    final ExecutorService events = Executors.newSingleThreadExecutor();
    final List<Member> members = new ArrayList<>();

    final class Member implements PresenceGrid {
      final String name;
      Listener listener;

      Member(String name) {
        this.name = name;
      }

      @Override
      public boolean listen(Listener listener) {
        this.listener = listener;
        return true;
      }

      @Override
      public void here(long room, User user) {
        others().forEach(m -> events.execute(() -> m.listener.elsewhereOnline(room, user, name)));
      }

      @Override
      public void gone(long room, String userId) {
        others()
            .forEach(m -> events.execute(() -> m.listener.elsewhereOffline(room, userId, name)));
      }

      @Override
      public void typed(long room, Long thread, User user) {
        others().forEach(m -> events.execute(() -> m.listener.elsewhereTyping(room, thread, user)));
      }

      @Override
      public void close() {}

      private List<Member> others() {
        return members.stream().filter(m -> m != this).toList();
      }
    }

    Member join(String name) {
      Member member = new Member(name);
      members.add(member);
      return member;
    }
  }

  private final Grid grid = new Grid();
  private final List<Presence> started = new ArrayList<>();

  private Presence instance(String name) {
    Presence presence = new Presence();
    presence.workers = Workers.withPlainThreads();
    presence.presenceInterval = Duration.ofMillis(50);
    presence.typingInterval = Duration.ofSeconds(2);
    presence.grid = grid.join(name);
    presence.start();
    started.add(presence);
    return presence;
  }

  @AfterEach
  void stop() {
    started.forEach(Presence::stop);
    grid.events.shutdownNow();
  }

  @Test
  void aPersonOnOneInstanceIsOnlineForFollowersOnTheOtherUntilTheyLeave() throws Exception {
    Presence a = instance("a");
    Presence b = instance("b");
    FakeSocket adaOnA = new FakeSocket("ada-socket");
    a.enter(1, new Outbound(adaOnA.session(), 100, 100_000), new User("ada", "Ada"));
    FakeSocket bobOnB = new FakeSocket("bob-socket");
    b.enter(1, new Outbound(bobOnB.session(), 100, 100_000), new User("bob", "Bob"));

    awaitFrame(bobOnB, "\"online\"", "ada");
    awaitFrame(adaOnA, "\"online\"", "bob");

    FakeSocket bobAgainOnB = new FakeSocket("bob-second-socket");
    b.enter(1, new Outbound(bobAgainOnB.session(), 100, 100_000), new User("bob", "Bob"));
    assertTrue(
        bobAgainOnB.written().get(0).contains("\"ada\""),
        "a new follower on B is told Ada is online: " + bobAgainOnB.written());

    a.leave(1, adaOnA.session());
    awaitFrame(bobOnB, "\"offline\"", "ada");
  }

  @Test
  void anInstanceThatGoesAwayTakesItsPeopleOffline() throws Exception {
    Presence a = instance("a");
    Presence b = instance("b");
    FakeSocket adaOnA = new FakeSocket("ada-socket");
    a.enter(1, new Outbound(adaOnA.session(), 100, 100_000), new User("ada", "Ada"));
    FakeSocket bobOnB = new FakeSocket("bob-socket");
    b.enter(1, new Outbound(bobOnB.session(), 100, 100_000), new User("bob", "Bob"));
    awaitFrame(bobOnB, "\"online\"", "ada");

    // Instance a dies: its map entries expire, which every other instance hears as this.
    b.elsewhereOffline(1, "ada", "a");

    awaitFrame(bobOnB, "\"offline\"", "ada");
  }

  @Test
  void typingOnOneInstanceReachesTheRoomsFollowersOnTheOtherOncePerInterval() throws Exception {
    Presence a = instance("a");
    Presence b = instance("b");
    FakeSocket adaOnA = new FakeSocket("ada-socket");
    a.enter(1, new Outbound(adaOnA.session(), 100, 100_000), new User("ada", "Ada"));
    FakeSocket adaOnB = new FakeSocket("ada-second-socket");
    b.enter(1, new Outbound(adaOnB.session(), 100, 100_000), new User("ada", "Ada"));
    FakeSocket bobOnB = new FakeSocket("bob-socket");
    b.enter(1, new Outbound(bobOnB.session(), 100, 100_000), new User("bob", "Bob"));
    FakeSocket eveOnB = new FakeSocket("eve-socket");
    b.enter(2, new Outbound(eveOnB.session(), 100, 100_000), new User("eve", "Eve"));

    assertTrue(a.typing(1, 7L, adaOnA.session()));
    awaitFrame(bobOnB, "\"typing\"", "ada");
    assertTrue(b.typing(1, null, adaOnB.session()), "her socket on B follows the room");
    grid.events.submit(() -> {}).get(); // what A hands the grid has reached B

    assertEquals(1, count(bobOnB, "\"typing\"", "ada"), "once per interval, wherever she types");
    assertTrue(
        bobOnB.written().stream()
            .anyMatch(f -> f.contains("\"typing\"") && f.contains("\"thread\":7")),
        "the thread crosses too: " + bobOnB.written());
    assertEquals(0, count(adaOnB, "\"typing\"", "ada"), "never to the typist herself");
    assertEquals(0, count(eveOnB, "\"typing\"", "ada"), "only to the room's followers");
  }

  @Test
  void aSocketWhoseMembershipEndedHearsNoTypingFromTheOtherInstance() throws Exception {
    Presence a = instance("a");
    Presence b = instance("b");
    FakeSocket adaOnA = new FakeSocket("ada-socket");
    a.enter(1, new Outbound(adaOnA.session(), 100, 100_000), new User("ada", "Ada"));
    FakeSocket bobOnB = new FakeSocket("bob-socket");
    b.enter(1, new Outbound(bobOnB.session(), 100, 100_000), new User("bob", "Bob"));
    b.membershipEnded(1, bobOnB.session());

    assertTrue(a.typing(1, null, adaOnA.session()));
    grid.events.submit(() -> {}).get();

    assertEquals(0, count(bobOnB, "\"typing\"", "ada"), "Bob left the room: " + bobOnB.written());
  }

  private static long count(FakeSocket socket, String type, String user) {
    return socket.written().stream()
        .filter(f -> f.contains(type) && f.contains("\"" + user + "\""))
        .count();
  }

  private static void awaitFrame(FakeSocket socket, String type, String user) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (count(socket, type, user) < 1 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1, count(socket, type, user), type + " " + user + ": " + socket.written());
  }
}
