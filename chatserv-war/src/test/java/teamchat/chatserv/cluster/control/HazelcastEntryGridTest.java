package teamchat.chatserv.cluster.control;

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
import teamchat.chatserv.HungGrid;
import teamchat.chatserv.TwoGridMembers;
import teamchat.chatserv.health.control.Workers;

/**
 * The entry channel on a real Hazelcast of the version inside Payara Micro: two members in this
 * JVM, joined over loopback by a member list as {@code ./chat up} joins its chatserv instances.
 * Each member hears every frame published, its own included, in publish order; a member that leaves
 * is reported as a possible loss; without a Data Grid the channel stays silent.
 */
class HazelcastEntryGridTest {

  /** What one instance heard. */
  private static final class Heard implements EntryGrid.Listener {
    final List<String> frames = new CopyOnWriteArrayList<>();
    final List<String> missed = new CopyOnWriteArrayList<>();

    @Override
    public void heard(String frame) {
      frames.add(frame);
    }

    @Override
    public void mayHaveMissed(String why) {
      missed.add(why);
    }
  }

  @Test
  void everyMemberHearsEveryFrameInOrderAndHearsWhenAMemberLeaves() throws Exception {
    try (TwoGridMembers members = new TwoGridMembers()) {
      HazelcastEntryGrid onA = grid(members.a);
      HazelcastEntryGrid onB = grid(members.b);
      Heard heardOnA = new Heard();
      Heard heardOnB = new Heard();
      assertTrue(onA.listen(heardOnA));
      assertTrue(onB.listen(heardOnB));

      List<String> frames = List.of("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}");
      onA.publish(frames.subList(0, 2));
      // Each member publishes from a writer thread of its own (GridWriter): what two members
      // publish at once reaches the ring buffer in either order, the same for every reader. Here
      // B publishes once A's are in, so that there is one order to expect.
      await(() -> heardOnA.frames.size() == 2 && heardOnB.frames.size() == 2, "A's heard");
      onB.publish(frames.subList(2, 3));
      await(() -> heardOnA.frames.size() == 3 && heardOnB.frames.size() == 3, "all heard");

      assertEquals(frames, heardOnA.frames, "the publisher hears its own too, in order");
      assertEquals(frames, heardOnB.frames);
      assertEquals(List.of(), heardOnA.missed);

      onB.close();
      members.b.shutdown();
      await(() -> !heardOnA.missed.isEmpty(), "a member that left is reported");
      assertTrue(heardOnA.missed.get(0).contains("left"), heardOnA.missed.toString());
      onA.close();
    }
  }

  /**
   * The store thread that publishes a batch's entries must not wait for the grid: while it waits,
   * the batch's rooms and sockets wait too, and nobody on the instance is acked.
   */
  @Test
  void publishingNeverWaitsForAGridThatHangsAndWhatWaitedGoesOutOnceItAnswers() throws Exception {
    try (TwoGridMembers members = new TwoGridMembers()) {
      HungGrid door = new HungGrid(members.a);
      HazelcastEntryGrid onA = grid(door.member);
      HazelcastEntryGrid onB = grid(members.b);
      Heard heardOnB = new Heard();
      assertTrue(onA.listen(new Heard()));
      assertTrue(onB.listen(heardOnB));

      door.hang();
      try {
        assertTimeoutPreemptively(
            Duration.ofSeconds(2),
            () -> onA.publish(List.of("{\"seq\":1}", "{\"seq\":2}")),
            "publishing returns while the grid hangs");
        Thread.sleep(300);
        assertEquals(List.of(), heardOnB.frames, "nothing got through the hung grid");
      } finally {
        door.answer();
      }
      await(() -> heardOnB.frames.size() == 2, "published once the grid answers");
      assertEquals(List.of("{\"seq\":1}", "{\"seq\":2}"), heardOnB.frames);
      onA.close();
      onB.close();
    }
  }

  @Test
  void withoutADataGridNothingIsHeardOrPublished() {
    HazelcastEntryGrid alone = grid(null);

    assertFalse(alone.listen(new Heard()));
    alone.publish(List.of("{\"seq\":1}")); // nowhere to go: no failure either
    alone.close();
  }

  private static HazelcastEntryGrid grid(HazelcastInstance hazelcast) {
    HazelcastEntryGrid grid = new HazelcastEntryGrid();
    grid.hazelcast = hazelcast;
    grid.workers = Workers.withPlainThreads();
    return grid;
  }
}
