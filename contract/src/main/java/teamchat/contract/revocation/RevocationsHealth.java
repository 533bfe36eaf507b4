package teamchat.contract.revocation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * How old the list of revoked sessions in force is, in {@code /health/ready}: an operator sees that
 * auth has been away (and logouts meanwhile are not yet in force here) without the service being
 * taken out of service for it. Always UP: a service that verifies tokens keeps working through an
 * auth outage with the last list, which is the point.
 */
@Readiness
@ApplicationScoped
public class RevocationsHealth implements HealthCheck {

  @Inject RevokedSessions revokedSessions;

  Clock clock = Clock.systemUTC();

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("revoked-sessions").up();
    data()
        .forEach(
            (name, value) -> {
              if (value instanceof Long number) {
                response.withData(name, number);
              } else if (value instanceof Boolean flag) {
                response.withData(name, flag);
              } else {
                response.withData(name, String.valueOf(value));
              }
            });
    return response.build();
  }

  /** {@code followed}, and {@code age_seconds} of the list in force when it is followed. */
  Map<String, Object> data() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("followed", revokedSessions.followed());
    if (revokedSessions.followed()) {
      data.put(
          "age_seconds",
          revokedSessions
              .fetchedAt()
              .<Object>map(fetched -> Duration.between(fetched, clock.instant()).toSeconds())
              .orElse("never fetched"));
    }
    return data;
  }
}
