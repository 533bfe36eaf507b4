package teamchat.chatserv.delivery.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.sockets.control.Connections;

/**
 * On undeploy or shutdown (systemd stop, an upgrade), tells every client to come back later ({@code
 * going_away} with {@code retry_after_ms}, then close 1001) before the server drops the sockets
 * without a word. A servlet listener, because the web application ends before its beans.
 *
 * <p>On a shutdown (SIGTERM) it does so at once, from a JVM shutdown hook of its own, because
 * without it DeliveryIT's last client saw a dropped connection (1006, no {@code going_away}) in
 * about one run of three. What Payara Micro 6 does on SIGTERM (read in its source): its one hook
 * ("Payara Micro Shutdown Hook", PayaraMicroImpl) calls GlassFish's stop, which sends
 * PREPARE_SHUTDOWN and then lowers the HK2 run level: applications are disabled at run level 15
 * (ApplicationLoaderService#preDestroy, which ends this web application and calls this listener)
 * before the network listeners close at run level 10 (GrizzlyService#preDestroy). So Payara's own
 * order is right, and the early close comes from what runs beside or inside it, not pinned down
 * yet: the JVM starts every shutdown hook at once, in no order (Hazelcast's, the log manager's,
 * Payara's), and the WebSocket container closes its sessions itself when the application stops.
 * Payara offers an application no earlier hook (its {@code fish.payara.shutdowngrace} only delays
 * the stop, and a bean's {@code @PreDestroy} runs later than this listener), so the earliest point
 * at which chatserv can speak is a hook of its own. On an undeploy the hook is removed and the
 * listener tells the clients; telling them twice sends nothing twice.
 */
@WebListener
public class GoingAway implements ServletContextListener {

  private static final Logger LOG = Logger.getLogger(GoingAway.class.getName());

  /** How long the last frames may take to be written before the server goes on stopping. */
  private static final Duration PATIENCE = Duration.ofSeconds(2);

  @Inject Connections connections;

  private Thread onShutdown;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    onShutdown = new Thread(this::goAway, "chatserv-going-away");
    Runtime.getRuntime().addShutdownHook(onShutdown);
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    try {
      Runtime.getRuntime().removeShutdownHook(onShutdown);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is stopping: the hook runs (or ran) alongside this.
    }
    goAway();
  }

  private void goAway() {
    try {
      connections.goAway(PATIENCE);
    } catch (RuntimeException e) {
      // The application may be half stopped already; the clients then see a plain close.
      LOG.log(Level.FINE, "telling clients to go away", e);
    }
  }
}
