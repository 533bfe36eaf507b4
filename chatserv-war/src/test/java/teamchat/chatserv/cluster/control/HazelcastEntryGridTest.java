package teamchat.chatserv.cluster.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

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
    int first = freePort();
    int second = freePort();
    String cluster = "test-" + UUID.randomUUID();
    HazelcastInstance a = Hazelcast.newHazelcastInstance(member(cluster, first, first, second));
    HazelcastInstance b = Hazelcast.newHazelcastInstance(member(cluster, second, first, second));
    try {
      await(() -> a.getCluster().getMembers().size() == 2, "the two members form one cluster");
      HazelcastEntryGrid onA = grid(a);
      HazelcastEntryGrid onB = grid(b);
      Heard heardOnA = new Heard();
      Heard heardOnB = new Heard();
      assertTrue(onA.listen(heardOnA));
      assertTrue(onB.listen(heardOnB));

      List<String> frames = List.of("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}");
      onA.publish(frames.subList(0, 2));
      onB.publish(frames.subList(2, 3));
      await(() -> heardOnA.frames.size() == 3 && heardOnB.frames.size() == 3, "all heard");

      assertEquals(frames, heardOnA.frames, "the publisher hears its own too, in order");
      assertEquals(frames, heardOnB.frames);
      assertEquals(List.of(), heardOnA.missed);

      onB.close();
      b.shutdown();
      await(() -> !heardOnA.missed.isEmpty(), "a member that left is reported");
      assertTrue(heardOnA.missed.get(0).contains("left"), heardOnA.missed.toString());
      onA.close();
    } finally {
      a.shutdown();
      b.shutdown();
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
    return grid;
  }

  private static Config member(String cluster, int port, int... members) {
    Config config = new Config();
    config.setClusterName(cluster);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int member : members) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + member);
    }
    return config;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out: " + what);
      Thread.sleep(20);
    }
  }
}
