package teamchat.chatserv.health.control;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes threads the way Payara's HTTP listener makes its request threads: Grizzly's {@code
 * DefaultWorkerThread}, each with a buffer pool of its own.
 *
 * <p>Why: every frame written to a socket, from whatever thread, passes through Grizzly's HTTP
 * output buffer, which takes a buffer of the servlet response's size (8 KB) and copies the frame
 * into it. On a Grizzly worker thread that buffer is cut from the thread's pool, and what the frame
 * did not use goes back to it; on any other thread it is a new, zeroed 8 KB array for every frame.
 * While chatserv fanned messages out from its own threads, those arrays were 85% of all it
 * allocated and a fifth of its CPU (BENCHMARKS.md, issue 18).
 *
 * <p>Grizzly is Payara's, not the application's: its classes are looked up in a class loader that
 * sees them and used through their public API only. Where they are not there (another server, a
 * unit test without Grizzly) {@link #find} is empty and chatserv keeps the container's threads.
 */
final class GrizzlyWorkerThreads {

  private static final Logger LOG = Logger.getLogger(GrizzlyWorkerThreads.class.getName());

  static final String WORKER_THREAD = "org.glassfish.grizzly.threadpool.DefaultWorkerThread";
  private static final String ATTRIBUTE_BUILDER =
      "org.glassfish.grizzly.attributes.AttributeBuilder";
  private static final String THREAD_LOCAL_POOL = "org.glassfish.grizzly.memory.ThreadLocalPool";
  private static final String POOL_PROVIDER =
      "org.glassfish.grizzly.memory.ThreadLocalPoolProvider";
  private static final String MEMORY_MANAGER = "org.glassfish.grizzly.memory.MemoryManager";

  /** {@code DefaultWorkerThread(AttributeBuilder, String, ThreadLocalPool, Runnable)}. */
  private final Constructor<?> newWorker;

  /** Grizzly's {@code AttributeBuilder.DEFAULT_ATTRIBUTE_BUILDER}, as its own thread pools use. */
  private final Object attributes;

  /** The memory manager Payara's transports use unless told otherwise, and its pool maker. */
  private final Object memoryManager;

  private final Method newPool;

  private GrizzlyWorkerThreads(
      Constructor<?> newWorker, Object attributes, Object memoryManager, Method newPool) {
    this.newWorker = newWorker;
    this.attributes = attributes;
    this.memoryManager = memoryManager;
    this.newPool = newPool;
  }

  /**
   * Grizzly's worker threads from the first of these class loaders that has them, with pools from
   * Grizzly's default memory manager; empty when none has them or that manager makes no pools.
   */
  static Optional<GrizzlyWorkerThreads> find(ClassLoader... loaders) {
    for (ClassLoader loader : loaders) {
      try {
        Class<?> worker = Class.forName(WORKER_THREAD, true, loader);
        Class<?> attributeBuilder = Class.forName(ATTRIBUTE_BUILDER, true, loader);
        Class<?> pool = Class.forName(THREAD_LOCAL_POOL, true, loader);
        Class<?> poolProvider = Class.forName(POOL_PROVIDER, true, loader);
        Object memoryManager =
            Class.forName(MEMORY_MANAGER, true, loader)
                .getField("DEFAULT_MEMORY_MANAGER")
                .get(null);
        if (!poolProvider.isInstance(memoryManager)) {
          LOG.log(Level.FINE, "Grizzly's memory manager {0} makes no pools", memoryManager);
          return Optional.empty();
        }
        GrizzlyWorkerThreads threads =
            new GrizzlyWorkerThreads(
                worker.getConstructor(attributeBuilder, String.class, pool, Runnable.class),
                attributeBuilder.getField("DEFAULT_ATTRIBUTE_BUILDER").get(null),
                memoryManager,
                poolProvider.getMethod("createThreadLocalPool"));
        threads.newThread(() -> {}); // made here, so that a pool never fails to make one later
        return Optional.of(threads);
      } catch (ClassNotFoundException | LinkageError notHere) {
        // the next loader may have them
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.log(Level.FINE, "Grizzly's worker threads cannot be made", e);
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A new, unstarted worker thread that runs this task, with a buffer pool of its own. */
  Thread newThread(Runnable task) {
    try {
      return (Thread)
          newWorker.newInstance(attributes, "grizzly-worker", newPool.invoke(memoryManager), task);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("making a Grizzly worker thread", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("making a Grizzly worker thread", e);
    }
  }
}
