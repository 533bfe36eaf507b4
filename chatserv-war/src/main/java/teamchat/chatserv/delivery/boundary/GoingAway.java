package teamchat.chatserv.delivery.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.time.Duration;
import teamchat.chatserv.sockets.control.Connections;

/**
 * On undeploy or shutdown (systemd stop, an upgrade), tells every client to come back later ({@code
 * going_away} with {@code retry_after_ms}, then close 1001) before the server drops the sockets
 * without a word. A servlet listener, because the web application ends before its beans.
 */
@WebListener
public class GoingAway implements ServletContextListener {

  /** How long the last frames may take to be written before the server goes on stopping. */
  private static final Duration PATIENCE = Duration.ofSeconds(2);

  @Inject Connections connections;

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    connections.goAway(PATIENCE);
  }
}
