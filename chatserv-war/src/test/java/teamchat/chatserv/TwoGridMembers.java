package teamchat.chatserv;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Two members of a real Hazelcast (the version inside Payara Micro) in this JVM, joined over
 * loopback by a member list as {@code ./chat up} joins its chatserv instances.
 */
public final class TwoGridMembers implements AutoCloseable {

  public final HazelcastInstance a;
  public final HazelcastInstance b;

  public TwoGridMembers() throws Exception {
    int first = freePort();
    int second = freePort();
    String cluster = "test-" + UUID.randomUUID();
    a = Hazelcast.newHazelcastInstance(member(cluster, first, first, second));
    b = Hazelcast.newHazelcastInstance(member(cluster, second, first, second));
    await(() -> a.getCluster().getMembers().size() == 2, "the two members form one cluster");
  }

  @Override
  public void close() {
    a.shutdown();
    b.shutdown();
  }

  /**
   * Waits up to a minute for {@code condition}; fails the test with {@code what} if it never holds.
   */
  public static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out: " + what);
      }
      Thread.sleep(20);
    }
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
}
