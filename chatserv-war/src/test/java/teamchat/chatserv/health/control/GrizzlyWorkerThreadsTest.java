package teamchat.chatserv.health.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.glassfish.grizzly.memory.HeapBuffer;
import org.glassfish.grizzly.memory.MemoryManager;
import org.glassfish.grizzly.threadpool.DefaultWorkerThread;
import org.junit.jupiter.api.Test;

/**
 * chatserv's threads as Grizzly's worker threads, with the Grizzly that Payara Micro carries
 * (4.0.2). What chatserv relies on: an 8 KB buffer taken and given back on such a thread is cut
 * from the thread's pool, again and again from the same memory, where any other thread gets a new
 * array every time (Grizzly's HTTP output buffer takes one for every frame written).
 */
class GrizzlyWorkerThreadsTest {

  private static final int SERVLET_BUFFER = 8192;

  /** More than a pool holds at once (64 KB): only buffers given back can be taken again. */
  private static final int TAKEN = 20;

  @Test
  void threadsAreGrizzlyWorkersThatRunTheirTask() throws Exception {
    GrizzlyWorkerThreads grizzly = GrizzlyWorkerThreads.find(getClass().getClassLoader()).get();
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    Thread thread = grizzly.newThread(() -> ranOn.complete(Thread.currentThread()));
    assertFalse(thread.isAlive(), "not started");
    thread.start();
    assertSame(thread, ranOn.get(10, TimeUnit.SECONDS));
    assertTrue(thread instanceof DefaultWorkerThread);
    assertTrue(((DefaultWorkerThread) thread).getMemoryPool() != null, "with a pool");
  }

  @Test
  void buffersTakenOnAWorkerComeFromItsPoolAndThoseOnAnyOtherThreadAreNew() throws Exception {
    GrizzlyWorkerThreads grizzly = GrizzlyWorkerThreads.find(getClass().getClassLoader()).get();
    assertEquals(
        1,
        onThread(grizzly::newThread, this::arraysBehindBuffersTakenInTurn),
        "a worker takes every buffer from the same memory, its pool's");
    assertEquals(
        TAKEN,
        onThread(Thread::new, this::arraysBehindBuffersTakenInTurn),
        "any other thread gets a new array every time");
  }

  @Test
  void eachWorkerHasAPoolOfItsOwn() throws Exception {
    GrizzlyWorkerThreads grizzly = GrizzlyWorkerThreads.find(getClass().getClassLoader()).get();
    assertNotSame(
        onThread(grizzly::newThread, GrizzlyWorkerThreadsTest::arrayOfABuffer),
        onThread(grizzly::newThread, GrizzlyWorkerThreadsTest::arrayOfABuffer));
  }

  @Test
  void withoutGrizzlyThereAreNone() {
    ClassLoader withoutGrizzly = ClassLoader.getPlatformClassLoader();
    assertTrue(GrizzlyWorkerThreads.find(withoutGrizzly).isEmpty());
    assertEquals(
        DefaultWorkerThread.class,
        GrizzlyWorkerThreads.find(withoutGrizzly, getClass().getClassLoader())
            .get()
            .newThread(() -> {})
            .getClass(),
        "the next loader that has Grizzly is used");
  }

  /**
   * Takes an 8 KB buffer and gives it back, {@value #TAKEN} times, as Grizzly's HTTP output buffer
   * does for each frame written: how many different arrays were behind them.
   */
  private int arraysBehindBuffersTakenInTurn() {
    Set<byte[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < TAKEN; i++) {
      HeapBuffer buffer =
          (HeapBuffer) MemoryManager.DEFAULT_MEMORY_MANAGER.allocate(SERVLET_BUFFER);
      arrays.add(buffer.array());
      buffer.allowBufferDispose(true);
      buffer.tryDispose();
    }
    return arrays.size();
  }

  private static byte[] arrayOfABuffer() {
    return ((HeapBuffer) MemoryManager.DEFAULT_MEMORY_MANAGER.allocate(SERVLET_BUFFER)).array();
  }

  private static <T> T onThread(Function<Runnable, Thread> threads, Supplier<T> work)
      throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        threads.apply(
            () -> {
              try {
                result.complete(work.get());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            });
    thread.start();
    return result.get(10, TimeUnit.SECONDS);
  }
}
