package teamchat.chatserv.storage.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.tokens.ServiceAssertionSigner;

/**
 * chatserv's credentials for chatfront's API: assertions it signs itself with its own private key
 * ({@code chatserv.assertion-key}, a PEM file only chatserv can read), which chatfront verifies
 * under the public key it is configured with (docs/tokens.md, "Service calls"). Nobody else is
 * asked, so no outage of auth, of any length, stops message storage, and no caller ever waits on a
 * remote call for its credentials: a new assertion is a local signature.
 */
@ApplicationScoped
public class ServiceAssertion {

  @Inject
  @ConfigProperty(name = "chatserv.assertion-key")
  String keyFile; // a path: MicroProfile Config has no converter to Path

  @Inject
  @ConfigProperty(name = "service-assertion.issuer")
  String issuer;

  @Inject
  @ConfigProperty(name = "service-assertion.audience")
  String audience;

  @Inject
  @ConfigProperty(name = "service-assertion.lifetime")
  Duration lifetime;

  private ServiceAssertionSigner signer;

  @PostConstruct
  void build() {
    signer =
        new ServiceAssertionSigner(Path.of(keyFile), issuer, audience, lifetime, Clock.systemUTC());
  }

  /**
   * Puts the current assertion on each request of a client built by {@link RestClients}: a filter
   * that holds this bean, as a ClientHeadersFactory would be made by the Rest Client outside CDI
   * for a built client. A key that cannot be read fails the call before it is sent ({@link
   * ServiceAssertionSigner.Unavailable}): chatfront is unavailable to chatserv, and the log says
   * why.
   */
  ClientRequestFilter bearer() {
    return request -> request.getHeaders().putSingle("Authorization", authorization());
  }

  /**
   * The {@code Authorization} header of a call to chatfront, with the current assertion: for a
   * client that is not a Rest Client ({@link BatchPoster}); fails as {@link #bearer} does.
   */
  String authorization() {
    return "Bearer " + signer.current();
  }

  /**
   * chatfront refused the assertion (its clock far from ours, or a key rotation under way): the
   * next call signs a new one, with the key file as it is now.
   */
  public void refused() {
    signer.discard();
  }
}
