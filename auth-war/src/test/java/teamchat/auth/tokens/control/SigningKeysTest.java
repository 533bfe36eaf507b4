package teamchat.auth.tokens.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.jwk.RSAKey;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import teamchat.auth.tokens.control.SigningKeys.StoredKey;

/**
 * The start-up half of the keys, and that signing never waits on a database call another request is
 * making; making and publishing the keys is AuthServiceIT's, on PostgreSQL.
 */
class SigningKeysTest {

  private final Logger log = Logger.getLogger(SigningKeys.class.getName());
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler recorder =
      new Handler() {
        @Override
        public void publish(LogRecord entry) {
          logged.add(entry);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private final SigningKeys cut = new SigningKeys();

  @BeforeEach
  void wire() {
    log.addHandler(recorder);
    cut.cipher = new SigningKeyCipher();
    cut.rotateAfter = Duration.ofDays(30);
    cut.publishAhead = Duration.ofMinutes(10);
    cut.accessTokenLifetime = Duration.ofMinutes(10);
    cut.jdbi =
        Jdbi.create(
            () -> {
              throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
            });
    cut.loaded = cut.cache(Runnable::run, Ticker.systemTicker());
  }

  @AfterEach
  void unwire() {
    log.removeHandler(recorder);
  }

  @Test
  void aDatabaseOutOfReachAtStartIsOneLogLineAndNoFailedDeployment() {
    cut.readyAtStart(new Object());

    assertEquals(1, logged.size(), "one line");
    assertEquals(Level.WARNING, logged.get(0).getLevel());
    String line = logged.get(0).getMessage();
    assertTrue(line.startsWith("No signing key at start"), line);
    assertTrue(line.contains("refused"), "says why: " + line);
    assertEquals(null, logged.get(0).getThrown(), "no stack trace");
    // Later requests try again, and fail rather than publish an empty set that verifiers cache.
    assertThrows(RuntimeException.class, cut::publicKeys);
  }

  @Test
  void whileOneRequestStoresTheNextKeyTheOthersSignWithTheCurrentOne() throws Exception {
    StoredKey current =
        new StoredKey(SigningKeys.generate(), Instant.now().minus(Duration.ofDays(31)));
    CountDownLatch insertStarted = new CountDownLatch(1);
    CountDownLatch databaseAnswers = new CountDownLatch(1);
    SigningKeys keys =
        new SigningKeys() {
          @Override
          List<StoredKey> keysOldestFirst() {
            return List.of(current); // rotation is due: the newest key is 31 days old
          }

          @Override
          Instant insert(String kid, byte[] sealedPrivateKey, byte[] publicKey) {
            insertStarted.countDown();
            await(databaseAnswers); // a slow database
            return Instant.now();
          }
        };
    keys.cipher = new SigningKeyCipher();
    keys.rotateAfter = Duration.ofDays(30);
    keys.publishAhead = Duration.ofMinutes(10);
    keys.loaded = keys.cache(Runnable::run, Ticker.systemTicker());
    ExecutorService requests = Executors.newFixedThreadPool(2);
    try {
      Future<RSAKey> rotating = requests.submit(keys::signingKey);
      await(insertStarted);

      Future<RSAKey> meanwhile = requests.submit(keys::signingKey);
      assertEquals(
          current.jwk().getKeyID(),
          meanwhile.get(5, TimeUnit.SECONDS).getKeyID(),
          "signed at once with the current key");
      assertFalse(rotating.isDone(), "the new key is still being stored");

      databaseAnswers.countDown();
      assertEquals(
          current.jwk().getKeyID(),
          rotating.get(5, TimeUnit.SECONDS).getKeyID(),
          "the new key signs only after publish-ahead");
    } finally {
      databaseAnswers.countDown();
      requests.shutdownNow();
    }
  }

  @Test
  void keysAreReadAgainInTheBackgroundAndTheLastOnesReadSignWhileTheDatabaseIsAway()
      throws Exception {
    StoredKey first = new StoredKey(SigningKeys.generate(), Instant.now());
    AtomicLong nanos = new AtomicLong();
    AtomicInteger reads = new AtomicInteger();
    CountDownLatch databaseAnswers = new CountDownLatch(1);
    SigningKeys keys =
        new SigningKeys() {
          @Override
          List<StoredKey> keysOldestFirst() {
            if (reads.incrementAndGet() == 1) {
              return List.of(first);
            }
            await(databaseAnswers); // the database hangs, then fails
            throw new IllegalStateException("Connection to 127.0.0.1:5432 refused");
          }
        };
    keys.rotateAfter = Duration.ofDays(30);
    keys.publishAhead = Duration.ofMinutes(10);
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      keys.loaded = keys.cache(background, nanos::get);
      assertEquals(first.jwk().getKeyID(), keys.signingKey().getKeyID());

      nanos.addAndGet(SigningKeys.RELOAD_EVERY.plusSeconds(1).toNanos());
      long started = System.nanoTime();
      assertEquals(first.jwk().getKeyID(), keys.signingKey().getKeyID());
      assertEquals(first.jwk().getKeyID(), keys.signingKey().getKeyID());
      assertTrue(
          System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2),
          "signed without waiting for the hanging read");
      // The read again starts on the background thread, maybe only after these calls returned.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (reads.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(2, reads.get(), "read again once, in the background");

      databaseAnswers.countDown(); // the read fails: the keys read before are kept
      background.submit(() -> {}).get(5, TimeUnit.SECONDS);
      assertEquals(first.jwk().getKeyID(), keys.signingKey().getKeyID());
      assertTrue(
          logged.stream().anyMatch(line -> line.getMessage().contains("last ones read still sign")),
          "says so in the log");
    } finally {
      databaseAnswers.countDown();
      background.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
