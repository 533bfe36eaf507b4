package teamchat.launcher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * The Data Grid (Payara Micro's Hazelcast) of one kind of service as {@code ./chat up} runs it. A
 * single instance needs none ({@code --nohazelcast}: one machine, three independent services).
 * Several instances form one cluster of their kind, over loopback with a fixed member list (no
 * multicast), on a block of ports of their own, under a cluster name that is unique to the kind and
 * the data folder, so that two kinds or two {@code ./chat up} on one machine never join each other.
 * docs/scaling.md.
 *
 * @param kind the service's name ({@code chatserv})
 * @param instances how many instances run
 * @param firstPort the grid port of the first instance; the others take the ports after it
 * @param dataDirectory the data folder, whose path makes the cluster name unique
 */
record DataGrid(String kind, int instances, int firstPort, Path dataDirectory) {

  /** The first grid port of chatserv's cluster (Payara Micro's own default start port). */
  static final int FIRST_PORT = 6900;

  /**
   * How far apart the kinds' blocks of grid ports lie: chatserv's from the first port, chatfront's
   * 20 above, auth's 40 above. Far more than {@link Settings#MAX_INSTANCES}: Hazelcast may move a
   * member to a port after its own if that one is taken.
   */
  static final int PORTS_PER_KIND = 20;

  /**
   * Hazelcast's failure timing, short for a local cluster: a member that stops answering (frozen,
   * or its link cut) is dropped after 10 s instead of 60 s, and the two halves of a split merge
   * again within about 10 s instead of 5 minutes. The defaults suit a data centre's hiccups; here
   * they would only make a fault last longer than it has to.
   */
  static final List<String> FAILURE_TIMING =
      List.of(
          "-Dhazelcast.max.no.heartbeat.seconds=10",
          "-Dhazelcast.merge.first.run.delay.seconds=10",
          "-Dhazelcast.merge.next.run.delay.seconds=5");

  /** The grid of a kind of service as the settings run it. */
  static DataGrid of(Service service, Settings settings) {
    int block = service == Service.CHATSERV ? 0 : service == Service.CHATFRONT ? 1 : 2;
    return new DataGrid(
        service.name(),
        settings.instances(service),
        settings.gridPort() + block * PORTS_PER_KIND,
        settings.dataDirectory());
  }

  boolean clustered() {
    return instances > 1;
  }

  /** The grid ports of every instance. */
  List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      ports.add(firstPort + i);
    }
    return ports;
  }

  /** The cluster's name: the kind, and a digest of the data folder. */
  String clusterName() {
    String folder = dataDirectory.toAbsolutePath().normalize().toString();
    String digest =
        UUID.nameUUIDFromBytes(folder.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
    return "teamchat-" + kind + "-" + digest;
  }

  /** The JVM options of every instance: the failure timing when clustered. */
  String javaOptions(String javaOptions) {
    return clustered() ? javaOptions + " " + String.join(" ", FAILURE_TIMING) : javaOptions;
  }

  /** The Payara Micro options of instance {@code instance} (0 is the first). */
  List<String> payaraArguments(int instance) {
    if (!clustered()) {
      return List.of("--nohazelcast");
    }
    StringJoiner members = new StringJoiner(",", "tcpip:", "");
    ports().forEach(port -> members.add("127.0.0.1:" + port));
    return List.of(
        "--name",
        kind + "-" + (instance + 1),
        "--clustername",
        clusterName(),
        "--clustermode",
        members.toString(),
        "--interfaces",
        "127.0.0.1",
        "--startport",
        Integer.toString(firstPort + instance));
  }
}
