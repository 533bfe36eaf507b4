package teamchat.auth.tokens.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * The services allowed to obtain service tokens (client credentials): {@code auth.service-clients}
 * lists {@code id:sha256-of-secret} pairs, so auth never holds a service's secret itself. Secrets
 * are long random strings (see docs/tokens.md), which is why a fast hash is enough.
 */
@ApplicationScoped
public class ServiceClients {

  /**
   * Read as an optional list through {@link Config}: the setting has no default (each deployment
   * makes its own clients), and none at all means no service may get a token.
   */
  @Inject Config config;

  private final Map<String, byte[]> clients = new HashMap<>();

  @PostConstruct
  void readClients() {
    for (String entry :
        config.getOptionalValues("auth.service-clients", String.class).orElse(List.of())) {
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalStateException("auth.service-clients: expected id:sha256hex entries");
      }
      clients.put(
          entry.substring(0, colon).strip(),
          HexFormat.of().parseHex(entry.substring(colon + 1).strip()));
    }
  }

  /** Whether {@code secret} is the secret of client {@code id}. */
  public boolean authenticate(String id, String secret) {
    byte[] expected = clients.get(id);
    byte[] actual = RefreshTokens.hash(secret == null ? "" : secret);
    // Compare even for an unknown id, so that timing does not tell which ids exist.
    boolean matches =
        MessageDigest.isEqual(expected == null ? new byte[actual.length] : expected, actual);
    return expected != null && matches;
  }
}
