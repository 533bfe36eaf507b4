package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataGridTest {

  private static final Path DATA = Path.of("/srv/teamchat/.chat");

  @Test
  void aSingleInstanceRunsWithoutADataGrid() {
    DataGrid alone = new DataGrid("chatserv", 1, 6900, DATA);

    assertEquals(List.of("--nohazelcast"), alone.payaraArguments(0));
    assertEquals("-Xmx512m", alone.javaOptions("-Xmx512m"), "no Hazelcast timing to set");
  }

  @Test
  void severalInstancesFormOneClusterOverLoopbackEachOnItsOwnGridPort() {
    DataGrid two = new DataGrid("chatserv", 2, 6900, DATA);
    String cluster = two.clusterName();

    assertEquals(
        List.of(
            "--name",
            "chatserv-2",
            "--clustername",
            cluster,
            "--clustermode",
            "tcpip:127.0.0.1:6900,127.0.0.1:6901",
            "--interfaces",
            "127.0.0.1",
            "--startport",
            "6901"),
        two.payaraArguments(1));
    assertEquals("6900", two.payaraArguments(0).get(9));
    assertEquals(
        "-Xmx512m -Dhazelcast.max.no.heartbeat.seconds=10"
            + " -Dhazelcast.merge.first.run.delay.seconds=10"
            + " -Dhazelcast.merge.next.run.delay.seconds=5",
        two.javaOptions("-Xmx512m"));
  }

  @Test
  void eachKindHasAClusterAndABlockOfGridPortsOfItsOwn() {
    Settings settings =
        Settings.from(
            Path.of("/srv/teamchat"),
            Map.of("CHATFRONT_INSTANCES", "2", "AUTH_INSTANCES", "2", "CHAT_GRID_PORT", "7000"));

    DataGrid chatserv = DataGrid.of(Service.CHATSERV, settings);
    DataGrid chatfront = DataGrid.of(Service.CHATFRONT, settings);
    DataGrid auth = DataGrid.of(Service.AUTH, settings);
    assertEquals(List.of("--nohazelcast"), chatserv.payaraArguments(0), "one chatserv: no grid");
    assertEquals(List.of(7020, 7021), chatfront.ports());
    assertEquals(List.of(7040, 7041), auth.ports());
    assertNotEquals(chatfront.clusterName(), auth.clusterName());
    assertEquals("tcpip:127.0.0.1:7040,127.0.0.1:7041", auth.payaraArguments(1).get(5));
  }

  @Test
  void twoDataFoldersNeverShareACluster() {
    String here = new DataGrid("chatserv", 2, 6900, DATA).clusterName();
    String there = new DataGrid("chatserv", 2, 6900, Path.of("/tmp/other/.chat")).clusterName();

    assertEquals(here, new DataGrid("chatserv", 3, 6900, DATA).clusterName(), "stable per folder");
    assertNotEquals(here, there);
    assertEquals(true, here.startsWith("teamchat-chatserv-"), here);
  }
}
