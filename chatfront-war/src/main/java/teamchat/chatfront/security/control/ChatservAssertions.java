package teamchat.chatfront.security.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.tokens.AccessTokenVerifier;
import teamchat.contract.tokens.ServiceAssertionVerifier;

/**
 * How chatfront knows chatserv: by the assertions chatserv signs itself, checked under chatserv's
 * public keys from {@code chatfront.chatserv-keys} (a PEM file with one key, or two while a key is
 * rotated; read again when it changes). auth plays no part, so storage goes on whatever auth does
 * (docs/tokens.md, "Service calls").
 */
@ApplicationScoped
public class ChatservAssertions {

  @Inject
  @ConfigProperty(name = "chatfront.chatserv-keys")
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

  @Inject
  @ConfigProperty(name = "token.clock-skew")
  Duration clockSkew;

  private ServiceAssertionVerifier verifier;

  @PostConstruct
  void build() {
    verifier =
        new ServiceAssertionVerifier(
            Path.of(keyFile), issuer, audience, clockSkew, lifetime, Clock.systemUTC());
  }

  /** Without CDI, for unit tests: assertions checked by {@code verifier}. */
  public static ChatservAssertions of(ServiceAssertionVerifier verifier) {
    ChatservAssertions assertions = new ChatservAssertions();
    assertions.verifier = verifier;
    return assertions;
  }

  /** chatserv as the caller, with the service group and nothing more; refused otherwise. */
  public AccessTokenVerifier.Verified verify(String assertion) throws AccessTokenVerifier.Refused {
    return verifier.verify(assertion);
  }
}
