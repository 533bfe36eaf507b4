package teamchat.chatserv.presence.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teamchat.chatserv.TwoGridMembers.await;

import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.TwoGridMembers;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame.User;

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
  void withoutADataGridNothingIsShared() {
    HazelcastPresenceGrid alone = grid(null);

    assertFalse(alone.listen(new Heard()));
    alone.here(1, new User("ada", "Ada"));
    alone.gone(1, "ada");
    alone.close();
  }

  private static HazelcastPresenceGrid grid(HazelcastInstance hazelcast) {
    HazelcastPresenceGrid grid = new HazelcastPresenceGrid();
    grid.hazelcast = hazelcast;
    grid.workers = Workers.withPlainThreads();
    return grid;
  }
}
