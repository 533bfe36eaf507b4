package teamchat.chatserv.health.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import teamchat.chatserv.health.control.Workers;

/**
 * DOWN when a critical worker (the batcher, which stores every message) is gone: chatserv must be
 * restarted, and nginx should stop sending it sockets meanwhile.
 */
@Liveness
@Readiness
@ApplicationScoped
public class WorkersHealth implements HealthCheck {

  @Inject Workers workers;

  @Override
  public HealthCheckResponse call() {
    List<String> dead = workers.dead();
    return HealthCheckResponse.named("workers").status(dead.isEmpty()).build();
  }
}
