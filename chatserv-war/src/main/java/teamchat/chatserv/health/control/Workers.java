package teamchat.chatserv.health.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * chatserv's long-lived workers. {@link #guarded} wraps a task so that no failure, not even an
 * {@link Error}, ends it silently: a scheduled task that throws is never run again, and a thread
 * whose loop lets an Error through is gone (one lone surrogate once stopped the batcher this way,
 * and with it every send of everyone, while health said UP). Critical threads are registered here,
 * and {@link #dead()} names those that are no longer alive.
 */
@ApplicationScoped
public class Workers {

  private static final Logger LOG = Logger.getLogger(Workers.class.getName());

  private final Map<String, Thread> critical = new ConcurrentHashMap<>();

  /** A task that logs and swallows whatever it throws, so that its schedule or loop goes on. */
  public static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable failure) {
        failed(what, failure);
      }
    };
  }

  /**
   * Logs a worker's failure: one line at WARNING (what, the exception's class and message, never
   * more: a client's input must not flood the log), the stack trace at FINE for a developer.
   */
  public static void failed(String what, Throwable failure) {
    LOG.log(
        Level.WARNING, "{0} failed and goes on: {1}", new Object[] {what, String.valueOf(failure)});
    LOG.log(Level.FINE, what + " failed", failure);
  }

  /** Watches a thread that chatserv cannot work without. */
  public void critical(String name, Thread thread) {
    critical.put(name, thread);
  }

  /** The critical workers that are no longer alive, by name. */
  public List<String> dead() {
    return critical.entrySet().stream()
        .filter(entry -> !entry.getValue().isAlive())
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
