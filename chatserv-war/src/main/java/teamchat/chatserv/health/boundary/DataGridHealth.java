package teamchat.chatserv.health.boundary;

import com.hazelcast.core.HazelcastInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The Data Grid as this instance sees it, for monitoring: how many chatserv instances are in its
 * cluster ({@code members}; docs/deploy.md says what to watch). Fewer members than instances
 * deployed is a split or a dead instance, but not a reason to stop taking sockets: the instances
 * that are left serve everyone, and the seq and chatfront fill whatever the grid misses. So this is
 * DOWN only when this instance's grid member has stopped, which it does not recover from: an
 * instance that cannot share is taken out of nginx's rotation until it is restarted.
 */
@Readiness
@ApplicationScoped
public class DataGridHealth implements HealthCheck {

  /** Payara's Data Grid member; null under {@code --nohazelcast}. */
  @Inject HazelcastInstance hazelcast;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("data-grid");
    if (hazelcast == null) {
      return response.up().withData("members", 1).withData("clustered", false).build();
    }
    if (!hazelcast.getLifecycleService().isRunning()) {
      return response.down().withData("clustered", true).build();
    }
    return response
        .up()
        .withData("clustered", true)
        .withData("cluster", hazelcast.getConfig().getClusterName())
        .withData("members", hazelcast.getCluster().getMembers().size())
        .build();
  }
}
