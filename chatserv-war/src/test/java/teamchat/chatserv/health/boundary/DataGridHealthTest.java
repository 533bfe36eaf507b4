package teamchat.chatserv.health.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static teamchat.chatserv.TwoGridMembers.await;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.TwoGridMembers;

/** What monitoring reads of the Data Grid, on two real Hazelcast members and alone. */
class DataGridHealthTest {

  @Test
  void reportsTheMembersOfTheClusterAndGoesDownWhenItsMemberStopped() throws Exception {
    try (TwoGridMembers members = new TwoGridMembers()) {
      DataGridHealth onA = new DataGridHealth();
      onA.hazelcast = members.a;

      HealthCheckResponse both = onA.call();
      assertEquals(HealthCheckResponse.Status.UP, both.getStatus());
      assertEquals(2L, both.getData().orElseThrow().get("members"));

      members.b.getLifecycleService().terminate();
      await(() -> members.a.getCluster().getMembers().size() == 1, "A sees B leave");
      HealthCheckResponse alone = onA.call();
      assertEquals(HealthCheckResponse.Status.UP, alone.getStatus(), "the survivor serves all");
      assertEquals(1L, alone.getData().orElseThrow().get("members"));

      members.a.getLifecycleService().terminate();
      assertEquals(HealthCheckResponse.Status.DOWN, onA.call().getStatus());
    }
  }

  @Test
  void anInstanceWithoutADataGridIsOneMemberAndUp() {
    HealthCheckResponse response = new DataGridHealth().call();

    assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
    assertEquals(false, response.getData().orElseThrow().get("clustered"));
  }
}
