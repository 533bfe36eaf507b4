package teamchat.chatserv.health.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkersTest {

  /** A scheduled task that throws is never run again by the JDK; guarded, it goes on. */
  @Test
  void aGuardedScheduledTaskSurvivesAnError() throws Exception {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger runs = new AtomicInteger();
    try {
      timers.scheduleWithFixedDelay(
          Workers.guarded(
              "a test task",
              () -> {
                if (runs.incrementAndGet() == 1) {
                  throw new Error("as Tyrus throws for a lone surrogate");
                }
              }),
          0,
          10,
          TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (runs.get() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(runs.get() >= 3, "ran " + runs.get() + " times");
    } finally {
      timers.shutdownNow();
    }
  }

  @Test
  void aCriticalThreadThatIsGoneIsNamed() throws Exception {
    Workers cut = Workers.withPlainThreads();
    Thread dies =
        cut.startCritical(
            "dies",
            () -> {
              throw new Error("a loop that let an Error through");
            });
    Thread lives =
        cut.startCritical(
            "lives",
            () -> {
              try {
                Thread.sleep(10_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    dies.join();
    assertEquals(List.of("dies"), cut.dead());
    assertTrue(lives.isDaemon(), "a worker never keeps the JVM from stopping");
    assertEquals("lives", lives.getName());
    lives.interrupt();
  }
}
