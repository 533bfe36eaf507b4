package teamchat.chatserv.health.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * chatserv's long-lived workers: where their threads come from, and whether they are alive.
 *
 * <p>Threads run with the application's context (Jakarta Concurrency); the pools built on them stay
 * chatserv's own, sized for their task, because timers and the batcher must never wait behind
 * request threads in a shared pool. Every thread is a daemon named for its task (thread dumps read
 * like the code). On Payara they are Grizzly worker threads, as Payara's own request threads are,
 * because nearly all of them write to sockets, and Grizzly gives such threads pooled buffers for it
 * ({@link GrizzlyWorkerThreads}); elsewhere they come from the container's {@link
 * ManagedThreadFactory}.
 *
 * <p>{@link #guarded} wraps a task so that no failure, not even an {@link Error}, ends it silently:
 * a scheduled task that throws is never run again, and a thread whose loop lets an Error through is
 * gone (one lone surrogate once stopped the batcher this way, and with it every send of everyone,
 * while health said UP). Critical threads are registered here, and {@link #dead()} names those that
 * are no longer alive.
 */
@ApplicationScoped
public class Workers {

  private static final Logger LOG = Logger.getLogger(Workers.class.getName());

  /** The log line that says chatserv's threads are Grizzly's (the system tests look for it). */
  static final String GRIZZLY_THREADS =
      "chatserv's workers are Grizzly worker threads: what they write to sockets takes pooled buffers";

  @Resource ManagedThreadFactory containerThreads;

  @Resource ContextService contexts;

  private ThreadFactory threads;

  private final Map<String, Thread> critical = new ConcurrentHashMap<>();

  @PostConstruct
  void chooseThreads() {
    Optional<ThreadFactory> grizzly = grizzlyThreadsInApplicationContext();
    if (grizzly.isPresent()) {
      threads = grizzly.get();
      LOG.info(GRIZZLY_THREADS);
    } else {
      threads = containerThreads;
      LOG.warning(
          "chatserv's workers are the container's threads (no Grizzly worker threads):"
              + " every frame they write to a socket takes a new 8 KB buffer");
    }
  }

  /**
   * Grizzly's threads, each running its task in the context this bean starts in (the
   * application's), as the container's own managed threads would; empty where either is missing.
   */
  private Optional<ThreadFactory> grizzlyThreadsInApplicationContext() {
    Optional<GrizzlyWorkerThreads> grizzly =
        GrizzlyWorkerThreads.find(
            ManagedThreadFactory.class.getClassLoader(), Workers.class.getClassLoader());
    if (grizzly.isEmpty()) {
      return Optional.empty();
    }
    Executor inContext;
    try {
      inContext = contexts.currentContextExecutor();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "the application's context cannot be captured", e);
      return Optional.empty();
    }
    return Optional.of(task -> grizzly.get().newThread(() -> inContext.execute(task)));
  }

  /** Workers on plain threads, for code that runs outside the container (unit tests, tools). */
  public static Workers withPlainThreads() {
    Workers workers = new Workers();
    workers.threads = Thread::new;
    return workers;
  }

  /** A daemon thread named {@code name}, not yet started. */
  public Thread thread(String name, Runnable task) {
    Thread thread = threads.newThread(task);
    thread.setName(name);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * A thread that chatserv cannot work without, started and watched: if it ever ends, liveness and
   * readiness say DOWN.
   */
  public Thread startCritical(String name, Runnable loop) {
    Thread thread = thread(name, loop);
    critical.put(name, thread);
    thread.start();
    return thread;
  }

  /** A pool of {@code size} threads named {@code name-1}, {@code name-2}, ... */
  public ExecutorService pool(String name, int size) {
    return Executors.newFixedThreadPool(size, numbered(name));
  }

  /**
   * A pool of {@code size} threads that queues at most {@code queue} tasks: more are refused
   * ({@link java.util.concurrent.RejectedExecutionException}), so that callers waiting on something
   * that hangs cannot pile up without end.
   */
  public ExecutorService boundedPool(String name, int size, int queue) {
    return new ThreadPoolExecutor(
        size, size, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), numbered(name));
  }

  /** One timer thread for the scheduled tasks of one feature. */
  public ScheduledExecutorService timers(String name) {
    return Executors.newSingleThreadScheduledExecutor(numbered(name));
  }

  private ThreadFactory numbered(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> thread(name + "-" + count.incrementAndGet(), task);
  }

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

  /** The critical workers that are no longer alive, by name. */
  public List<String> dead() {
    return critical.entrySet().stream()
        .filter(entry -> !entry.getValue().isAlive())
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
