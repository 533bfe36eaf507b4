package teamchat.chatserv.sockets.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.health.control.Workers;

/**
 * Gives Tyrus a timer thread of chatserv's own for its sockets' idle timers, in place of Payara's
 * default managed scheduled executor.
 *
 * <p>Why: Tyrus 2.1.5 schedules each socket's idle-timeout task anew when the socket is made, on
 * every text frame and pong it receives and on every frame it sends, whatever the timeout (chatserv
 * sets none: the task then does nothing). It takes the executor from its container, which looked up
 * {@code java:comp/DefaultManagedScheduledExecutorService} when it was made. On that executor each
 * schedule captures the caller's thread context, and the capture looks up {@code
 * ThreadContextProvider}s with a {@code ServiceLoader} through the thread's context class loader:
 * on Payara's read thread that is the WAR's loader, whose lookup probes every jar of Payara's
 * runtime. That was 23% of chatserv's CPU while storing messages and 24% while sockets opened
 * (BENCHMARKS.md, issue 18). Payara offers no setting to give Tyrus another executor (disabling the
 * default one breaks every deployment with CDI: payara/domain-config/README.md), so the container's
 * field is replaced here, once, while the application starts: the HTTP listener opens only once it
 * is deployed (post-deploy-commands.asadmin), so no socket exists yet, and each socket takes the
 * executor from the container when it is made.
 *
 * <p>Should a Tyrus version no longer have that field, nothing changes but the cost, and the log
 * says so (one WARNING at start). The timer thread comes from the container's thread factory like
 * chatserv's other workers. After the application stops, timers are dropped rather than refused: a
 * socket closed late must not fail on its idle timer.
 */
@WebListener
public class SocketTimers implements ServletContextListener {

  private static final Logger LOG = Logger.getLogger(SocketTimers.class.getName());

  /** Tyrus's {@code BaseContainer} field that {@code getScheduledExecutorService()} returns. */
  static final String TYRUS_FIELD = "managedScheduledExecutorService";

  @Inject Workers workers;

  private ScheduledThreadPoolExecutor timers;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    Object container = event.getServletContext().getAttribute(ServerContainer.class.getName());
    timers =
        new ScheduledThreadPoolExecutor(
            1,
            task -> workers.thread("chatserv-socket-timers", task),
            new ThreadPoolExecutor.DiscardPolicy());
    // Every frame cancels the timer it replaces: cancelled ones leave the queue at once.
    timers.setRemoveOnCancelPolicy(true);
    timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    if (container != null && replaceExecutor(container, timers)) {
      LOG.info("Tyrus's socket idle timers run on chatserv-socket-timers");
    } else {
      LOG.warning(
          "Tyrus's socket idle timers stay on the default managed scheduled executor (no field "
              + TYRUS_FIELD
              + " in "
              + (container == null ? "no WebSocket container" : container.getClass().getName())
              + "): every frame costs more CPU");
      timers.shutdown();
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    timers.shutdown();
  }

  /**
   * Puts {@code executor} into the {@code ScheduledExecutorService} field {@link #TYRUS_FIELD} of
   * {@code container} or of a class it extends; false when there is none or it cannot be written.
   */
  static boolean replaceExecutor(Object container, ScheduledExecutorService executor) {
    for (Class<?> type = container.getClass(); type != null; type = type.getSuperclass()) {
      Field field;
      try {
        field = type.getDeclaredField(TYRUS_FIELD);
      } catch (NoSuchFieldException notHere) {
        continue;
      }
      if (field.getType() != ScheduledExecutorService.class) {
        return false;
      }
      try {
        field.setAccessible(true);
        field.set(container, executor);
        return true;
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.log(Level.FINE, "replacing Tyrus's scheduled executor", e);
        return false;
      }
    }
    return false;
  }
}
