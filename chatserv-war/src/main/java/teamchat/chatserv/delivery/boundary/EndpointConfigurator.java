package teamchat.chatserv.delivery.boundary;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How the container opens a {@link ChatEndpoint}.
 *
 * <p>It refuses the upgrade (HTTP 403) when a browser opens the socket from a page of another site
 * (cross-site WebSocket hijacking): its {@code Origin} must be one of {@code
 * chatserv.allowed-origins}. A request without Origin comes from no browser, and such a client
 * could send any Origin it likes, so it is let through to the token check.
 *
 * <p>It makes each socket's endpoint itself, from the {@link SocketServices} looked up once, so
 * that no socket costs a CDI injection target of its own (see {@link SocketServices}).
 */
public class EndpointConfigurator extends ServerEndpointConfig.Configurator {

  /** A list setting, split at commas by MicroProfile Config. */
  private final Set<String> allowed =
      ConfigProvider.getConfig().getValues("chatserv.allowed-origins", String.class).stream()
          .map(String::strip)
          .collect(Collectors.toUnmodifiableSet());

  /**
   * Looked up at the first socket, not at construction: the container makes its configurator while
   * the application deploys, before CDI may be asked for beans.
   */
  private volatile SocketServices services;

  @Override
  public boolean checkOrigin(String origin) {
    return origin == null || allowed.contains(origin);
  }

  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
    if (endpointClass != ChatEndpoint.class) {
      throw new InstantiationException("not an endpoint of this configurator: " + endpointClass);
    }
    SocketServices known = services;
    if (known == null) {
      known = CDI.current().select(SocketServices.class).get();
      services = known; // the same application-scoped bean whichever thread looks first
    }
    return endpointClass.cast(new ChatEndpoint(known));
  }
}
