package teamchat.chatserv.presence.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teamchat.chatserv.TwoGridMembers.await;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.HungGrid;
import teamchat.chatserv.TwoGridMembers;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame.User;
import teamchat.chatserv.sockets.control.Outbound;

/**
 * Presence on a real Hazelcast of the version inside Payara Micro, two members: each hears the
 * other's users come and go (never its own), also those that were there before it listened.
 */
class HazelcastPresenceGridTest {

  /** What one instance heard, as "online room user name" and "offline room user" lines. */
  private static final class Heard implements PresenceGrid.Listener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void elsewhereOnline(long room, User user, String instance) {
      events.add("online " + room + " " + user.id() + " " + user.name());
    }

    @Override
    public void elsewhereOffline(long room, String userId, String instance) {
      events.add("offline " + room + " " + userId);
    }

    @Override
    public void elsewhereTyping(long room, Long thread, User user) {
      events.add("typing " + room + " " + thread + " " + user.id() + " " + user.name());
    }
  }

  @Test
  void eachInstanceHearsTheOthersPeopleComeAndGo() throws Exception {
    try (TwoGridMembers members = new TwoGridMembers()) {
      HazelcastPresenceGrid onA = grid(members.a);
      HazelcastPresenceGrid onB = grid(members.b);
      Heard heardOnA = new Heard();
      Heard heardOnB = new Heard();
      assertTrue(onA.listen(heardOnA));
      onA.here(1, new User("ada", "Ada | Lovelace"));
      await(() -> members.b.getMap(HazelcastPresenceGrid.MAP).size() == 1, "ada on the grid");

      assertTrue(onB.listen(heardOnB));
      assertEquals(List.of("online 1 ada Ada | Lovelace"), heardOnB.events, "there before B");

      onB.here(2, new User("bob", "Bob"));
      await(() -> heardOnA.events.size() == 1, "A hears bob");
      onA.gone(1, "ada");
      await(() -> heardOnB.events.size() == 2, "B hears ada go");

      assertEquals(List.of("online 2 bob Bob"), heardOnA.events, "never its own");
      assertEquals("offline 1 ada", heardOnB.events.get(1));
      onA.close();
      onB.close();
    }
  }

  @Test
  void thePeopleOfAMemberThatDiesGoOfflineLongBeforeTheirEntriesExpire() throws Exception {
    try (TwoGridMembers members = new TwoGridMembers()) {
      HazelcastPresenceGrid onA = grid(members.a);
      HazelcastPresenceGrid onB = grid(members.b);
      Heard heardOnB = new Heard();
      assertTrue(onA.listen(new Heard()));
      assertTrue(onB.listen(heardOnB));
      onA.here(1, new User("ada", "Ada"));
      await(() -> heardOnB.events.size() == 1, "B hears ada");
      long died = System.nanoTime();

      members.a.getLifecycleService().terminate(); // a crash: nothing is deleted on the way out

      await(() -> heardOnB.events.size() == 2, "B hears ada go");
      assertEquals("offline 1 ada", heardOnB.events.get(1));
      assertTrue(
          System.nanoTime() - died < HazelcastPresenceGrid.TIME_TO_LIVE.toNanos() / 2,
          "deleted when the member left, not at the expiry");
      onB.close();
    }
  }

  @Test
  void typingCrossesToTheOtherMembersButNeverComesBack() throws Exception {
    try (TwoGridMembers members = new TwoGridMembers()) {
      HazelcastPresenceGrid onA = grid(members.a);
      HazelcastPresenceGrid onB = grid(members.b);
      Heard heardOnA = new Heard();
      Heard heardOnB = new Heard();
      assertTrue(onA.listen(heardOnA));
      assertTrue(onB.listen(heardOnB));

      onA.typed(1, 7L, new User("ada", "Ada | \"Lovelace\""));
      onA.typed(2, null, new User("ada", "Ada"));
      onB.typed(3, null, new User("bob", "Bob"));
      await(() -> heardOnB.events.size() == 2, "B hears Ada type twice");
      await(() -> heardOnA.events.size() == 1, "A hears Bob type");

      assertEquals(
          List.of("typing 1 7 ada Ada | \"Lovelace\"", "typing 2 null ada Ada"),
          heardOnB.events,
          "in the order typed, thread and name intact");
      assertEquals(List.of("typing 3 null bob Bob"), heardOnA.events, "never its own");
      onA.close();
      onB.close();
    }
  }

  @Test
  void typingReachesTheFollowersOfTheRoomOnTheOtherMember() throws Exception {
    try (TwoGridMembers members = new TwoGridMembers()) {
      Presence a = presence(members.a);
      Presence b = presence(members.b);
      FakeSocket adaOnA = new FakeSocket("ada-socket");
      a.enter(1, new Outbound(adaOnA.session(), 100, 100_000), new User("ada", "Ada"));
      FakeSocket bobOnB = new FakeSocket("bob-socket");
      b.enter(1, new Outbound(bobOnB.session(), 100, 100_000), new User("bob", "Bob"));

      assertTrue(a.typing(1, null, adaOnA.session()));

      await(
          () -> bobOnB.written().stream().anyMatch(f -> f.contains("\"typing\"")),
          "Bob on B hears Ada type on A");
      a.stop();
      b.stop();
    }
  }

  /**
   * here, gone and typed run on the threads that handle frames: a grid that hangs (a member of a
   * cluster that splits and merges) must not hold them, and what waited gets written once it
   * answers.
   */
  @Test
  void theThreadsThatHandleFramesNeverWaitForAGridThatHangs() throws Exception {
    try (TwoGridMembers members = new TwoGridMembers()) {
      HungGrid door = new HungGrid(members.a);
      HazelcastPresenceGrid onA = grid(door.member);
      HazelcastPresenceGrid onB = grid(members.b);
      Heard heardOnB = new Heard();
      assertTrue(onA.listen(new Heard()));
      assertTrue(onB.listen(heardOnB));

      door.hang();
      try {
        assertTimeoutPreemptively(
            Duration.ofSeconds(2),
            () -> {
              onA.here(1, new User("ada", "Ada"));
              onA.typed(1, null, new User("ada", "Ada"));
              onA.here(2, new User("ada", "Ada"));
              onA.gone(2, "ada");
            },
            "here, typed and gone return while the grid hangs");
        Thread.sleep(300);
        assertEquals(List.of(), heardOnB.events, "nothing got through the hung grid");
      } finally {
        door.answer();
      }
      await(() -> heardOnB.events.size() == 4, "written once the grid answers");
      assertTrue(heardOnB.events.contains("online 1 ada Ada"), heardOnB.events.toString());
      assertTrue(heardOnB.events.contains("typing 1 null ada Ada"), heardOnB.events.toString());
      assertEquals(
          List.of("online 2 ada Ada", "offline 2 ada"),
          heardOnB.events.stream().filter(e -> e.contains(" 2 ")).toList(),
          "in the order asked");
      onA.close();
      onB.close();
    }
  }

  @Test
  void withoutADataGridNothingIsShared() {
    HazelcastPresenceGrid alone = grid(null);

    assertFalse(alone.listen(new Heard()));
    alone.here(1, new User("ada", "Ada"));
    alone.gone(1, "ada");
    alone.typed(1, null, new User("ada", "Ada"));
    alone.close();
  }

  private static Presence presence(HazelcastInstance hazelcast) {
    Presence presence = new Presence();
    presence.workers = Workers.withPlainThreads();
    presence.presenceInterval = Duration.ofMillis(50);
    presence.typingInterval = Duration.ofSeconds(2);
    presence.grid = grid(hazelcast);
    presence.start();
    return presence;
  }

  private static HazelcastPresenceGrid grid(HazelcastInstance hazelcast) {
    HazelcastPresenceGrid grid = new HazelcastPresenceGrid();
    grid.hazelcast = hazelcast;
    grid.workers = Workers.withPlainThreads();
    return grid;
  }
}
