package teamchat.chatserv.delivery.boundary;

import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses the upgrade (HTTP 403) when a browser opens the socket from a page of another site
 * (cross-site WebSocket hijacking): its {@code Origin} must be one of {@code
 * chatserv.allowed-origins}. A request without Origin comes from no browser, and such a client
 * could send any Origin it likes, so it is let through to the token check.
 */
public class OriginCheck extends ServerEndpointConfig.Configurator {

  /** A list setting, split at commas by MicroProfile Config. */
  private final Set<String> allowed =
      ConfigProvider.getConfig().getValues("chatserv.allowed-origins", String.class).stream()
          .map(String::strip)
          .collect(Collectors.toUnmodifiableSet());

  @Override
  public boolean checkOrigin(String origin) {
    return origin == null || allowed.contains(origin);
  }
}
