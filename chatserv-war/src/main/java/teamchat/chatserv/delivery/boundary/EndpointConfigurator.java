package teamchat.chatserv.delivery.boundary;

import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;
import java.util.logging.Logger;
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
 * <p>It makes each socket's endpoint itself, from the {@link SocketServices} the application handed
 * over when it started, so that no socket costs a CDI injection target of its own (see {@link
 * SocketServices}).
 */
public class EndpointConfigurator extends ServerEndpointConfig.Configurator {

  private static final Logger LOG = Logger.getLogger(EndpointConfigurator.class.getName());

  /**
   * Static because the WebSocket container, not CDI, makes configurators: this is the one way in
   * for a bean. Looking it up here with {@code CDI.current()} instead was tried: every socket hung
   * at open on Payara Micro 6.2025.10 (the container swallows what a configurator throws). Set
   * once, when the application has started, which is before chatserv's port opens.
   */
  private static volatile SocketServices services;

  /** A list setting, split at commas by MicroProfile Config. */
  private final Set<String> allowed =
      ConfigProvider.getConfig().getValues("chatserv.allowed-origins", String.class).stream()
          .map(String::strip)
          .collect(Collectors.toUnmodifiableSet());

  @Override
  public boolean checkOrigin(String origin) {
    return origin == null || allowed.contains(origin);
  }

  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
    SocketServices known = services;
    if (endpointClass != ChatEndpoint.class || known == null) {
      // The container swallows this, and the socket hangs: say it here.
      String why =
          known == null
              ? "a socket opened before chatserv started"
              : "not an endpoint of this configurator: " + endpointClass;
      LOG.severe(why);
      throw new InstantiationException(why);
    }
    return endpointClass.cast(new ChatEndpoint(known));
  }

  /** The application has started: from now on sockets are made with these. */
  static void started(SocketServices started) {
    services = started;
  }
}
