package teamchat.chatserv.storage.control;

import jakarta.ws.rs.client.ClientRequestFilter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * Builds chatserv's MicroProfile Rest Clients from its own settings ({@code chatfront.url}, {@code
 * auth.url}, {@code chatserv.chatfront-timeout}: one home each, documented in the README) rather
 * than from {@code <interface>/mp-rest/*} keys, which would be a second name for the same setting,
 * and would not let one interface have two read timeouts (the membership feed's long poll waits
 * longer than a store may).
 */
final class RestClients {

  private static final Logger LOG = Logger.getLogger(RestClients.class.getName());

  /**
   * Statuses are read by the callers (a 403 is an answer), so the default mapper that throws for
   * every status from 400 on is off where a method answers a {@code Response}.
   */
  private static final String DEFAULT_MAPPER_OFF =
      "microprofile.rest.client.disable.default.mapper";

  private RestClients() {}

  static <T> T build(
      Class<T> api,
      String url,
      Duration connectTimeout,
      Duration readTimeout,
      boolean statusesReadByCaller,
      ClientRequestFilter... filters) {
    RestClientBuilder builder =
        RestClientBuilder.newBuilder()
            .baseUri(URI.create(url))
            .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .property(DEFAULT_MAPPER_OFF, statusesReadByCaller);
    for (ClientRequestFilter filter : filters) {
      builder.register(filter);
    }
    return builder.build(api);
  }

  /**
   * Closes a client built here (the Rest Client proxies are {@link AutoCloseable}); null is none.
   */
  static void close(Object client) {
    if (client instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing a rest client", e);
      }
    }
  }
}
