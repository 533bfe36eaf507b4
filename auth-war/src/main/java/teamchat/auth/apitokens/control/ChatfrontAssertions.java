package teamchat.auth.apitokens.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.tokens.AccessTokenVerifier;
import teamchat.contract.tokens.ServiceAssertionVerifier;

/**
 * How auth knows chatfront when it asks about a personal access token: by an assertion chatfront
 * signs itself (the mechanism and the one verifier chatfront applies to chatserv's calls,
 * docs/tokens.md "Service calls"), checked under chatfront's public keys from {@code
 * auth.chatfront-keys}. Issuer {@value #ISSUER}, audience {@value #AUDIENCE}: the pair chatfront's
 * signer uses (docs/api.md). Without the setting nobody may introspect, and auth says so at start.
 */
@ApplicationScoped
public class ChatfrontAssertions {

  /** The {@code iss} and {@code sub} of chatfront's assertions. */
  public static final String ISSUER = "chatfront";

  /** The {@code aud} of chatfront's assertions for auth. */
  public static final String AUDIENCE = "auth";

  private static final Logger LOG = Logger.getLogger(ChatfrontAssertions.class.getName());

  @Inject
  @ConfigProperty(name = "auth.chatfront-keys")
  Optional<String> keyFile; // a path: MicroProfile Config has no converter to Path

  @Inject
  @ConfigProperty(name = "service-assertion.lifetime")
  Duration lifetime;

  @Inject
  @ConfigProperty(name = "token.clock-skew")
  Duration clockSkew;

  private ServiceAssertionVerifier verifier;

  @PostConstruct
  void build() {
    if (keyFile.isEmpty() || keyFile.get().isBlank()) {
      LOG.warning(
          "auth.chatfront-keys is not set: personal access tokens cannot be checked by chatfront");
      return;
    }
    verifier =
        new ServiceAssertionVerifier(
            Path.of(keyFile.get()), ISSUER, AUDIENCE, clockSkew, lifetime, Clock.systemUTC());
  }

  /**
   * Whether {@code assertion} is chatfront's own valid assertion for auth; never while no keys are
   * configured. A refusal is logged at FINE by its code, never with the assertion.
   */
  public boolean isChatfront(String assertion) {
    if (verifier == null) {
      return false;
    }
    try {
      verifier.verify(assertion);
      return true;
    } catch (AccessTokenVerifier.Refused refused) {
      LOG.log(Level.FINE, "introspection caller refused: {0}", refused.code);
      return false;
    }
  }
}
