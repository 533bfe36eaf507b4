package teamchat.auth.tokens.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import teamchat.auth.tokens.control.SigningKeys;

/**
 * Ready only once a signing key is published. The key is made or read while the application starts;
 * when the database could not be reached then, auth must take no traffic before it has a key (a
 * verifier caches the JWKS it fetched), and asking for the keys here makes or reads it as soon as
 * the database answers, before the first request.
 */
@Readiness
@ApplicationScoped
public class SigningKeyReadiness implements HealthCheck {

  @Inject SigningKeys signingKeys;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("signing-key").status(keyPublished()).build();
  }

  /** Whether the JWKS holds a key; asking makes or reads it when there is none yet. */
  boolean keyPublished() {
    try {
      return !signingKeys.publicKeys().getKeys().isEmpty();
    } catch (RuntimeException e) {
      // SigningKeys logged why at start; the database check says that it is away.
      return false;
    }
  }
}
