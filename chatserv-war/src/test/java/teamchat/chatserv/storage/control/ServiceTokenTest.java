package teamchat.chatserv.storage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.health.control.Workers;

/** A hung auth must not stall the callers of chatserv's service token (issue 21). */
class ServiceTokenTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final CountDownLatch authAnswers = new CountDownLatch(1);
  private final AtomicInteger fetches = new AtomicInteger();
  private final ServiceToken cut = new ServiceToken();

  {
    cut.clientId = "chatserv";
    cut.clientSecret = Optional.of("secret");
    cut.renewals =
        (ManagedExecutorService)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class},
                (proxy, method, args) -> method.invoke(pool, args));
    cut.auth =
        basic -> {
          int fetch = fetches.incrementAndGet();
          try {
            authAnswers.await(10, TimeUnit.SECONDS); // auth hangs until told
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return grant("token-" + fetch);
        };
  }

  @AfterEach
  void stop() {
    authAnswers.countDown();
    pool.shutdownNow();
  }

  @Test
  void aTokenDueForRenewalIsStillHandedOutAtOnceWhileAuthHangs() throws Exception {
    cut.grant =
        new ServiceToken.Grant(
            "token-in-hand", Instant.now().minusSeconds(1), Instant.now().plusSeconds(60));

    for (int i = 0; i < 50; i++) {
      String token = assertTimeoutPreemptively(Duration.ofMillis(500), cut::current);
      assertEquals("token-in-hand", token);
    }
    assertEquals(1, fetches.get(), "one renewal in the background, not one per caller");

    authAnswers.countDown(); // auth is back
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (cut.current().equals("token-in-hand") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals("token-1", cut.current(), "the renewed token is used once it came");
  }

  @Test
  void withoutAValidTokenTheCallerWaitsForOneFetch() {
    authAnswers.countDown();
    assertEquals("token-1", cut.current());
    assertEquals("token-1", cut.current());
    assertEquals(1, fetches.get());
  }

  @Test
  void aRefusedTokenIsReplacedInTheBackgroundAndServesUntilThen() throws Exception {
    authAnswers.countDown();
    assertEquals("token-1", cut.current());
    cut.refused();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (cut.current().equals("token-1") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals("token-2", cut.current(), "a new token is fetched after a refusal");
    assertEquals(2, fetches.get());
  }

  /**
   * The renewal runs on a container thread: an Error there is logged as the worker's failure (not
   * left to the executor's thread), the token in hand still serves, and the next renewal works.
   */
  @Test
  void anErrorWhileRenewingIsLoggedAndTheNextRenewalWorks() throws Exception {
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger workersLog = Logger.getLogger(Workers.class.getName());
    workersLog.addHandler(handler);
    try {
      cut.auth =
          basic -> {
            if (fetches.incrementAndGet() == 1) {
              throw new Error("as an Error from deep inside the client");
            }
            return grant("token-" + fetches.get());
          };
      cut.grant =
          new ServiceToken.Grant(
              "token-in-hand", Instant.now().minusSeconds(1), Instant.now().plusSeconds(60));

      assertEquals("token-in-hand", cut.current()); // starts the renewal that fails
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!cut.current().equals("token-2") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals("token-2", cut.current(), "a later renewal brought a new token");
      assertTrue(
          logged.stream()
              .anyMatch(
                  r ->
                      r.getLevel() == Level.WARNING
                          && String.valueOf(r.getParameters()[0])
                              .equals("renewing the service token")),
          "the Error was logged as the renewal's failure");
    } finally {
      workersLog.removeHandler(handler);
    }
  }

  private static JsonObject grant(String token) {
    return Json.createObjectBuilder().add("access_token", token).add("expires_in", 300).build();
  }
}
