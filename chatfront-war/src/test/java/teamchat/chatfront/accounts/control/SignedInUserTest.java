package teamchat.chatfront.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import teamchat.chatfront.web.SessionChanges;
import teamchat.contract.problems.Refused;

/** A hung auth costs a session's requests no more than one call to auth each (issue 21). */
class SignedInUserTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final CountDownLatch authAnswers = new CountDownLatch(1);
  private final CountDownLatch authAsked = new CountDownLatch(1);
  private final AtomicInteger refreshes = new AtomicInteger();
  private final SignedInUser cut = new SignedInUser();

  /** How often the session was marked changed (what makes Payara save it to the Data Grid). */
  private final AtomicInteger marked = new AtomicInteger();

  /** auth as chatfront calls it: a refresh hangs until the test lets it answer. */
  private final AuthAccounts hungAuth =
      new AuthAccounts() {
        @Override
        public Tokens refresh(String refreshToken) throws AuthUnavailable {
          refreshes.incrementAndGet();
          authAsked.countDown();
          try {
            authAnswers.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return tokens("access-2", "refresh-2", Duration.ofMinutes(10));
        }
      };

  {
    hungAuth.connectTimeoutMillis = 100;
    hungAuth.readTimeoutMillis = 200;
    cut.auth = hungAuth;
    cut.changes =
        new SessionChanges() {
          @Override
          public void changed() {
            marked.incrementAndGet();
          }
        };
    cut.signIn(tokens("access-1", "refresh-1", Duration.ofSeconds(30))); // due for renewal
  }

  @AfterEach
  void stop() {
    authAnswers.countDown();
    pool.shutdownNow();
  }

  @Test
  void whileOneRequestRenewsAtAHungAuthTheOthersAreNotHeldBeyondOneCall() throws Exception {
    Future<Optional<Tokens>> renewing = pool.submit(cut::freshTokens);
    assertTrue(authAsked.await(5, TimeUnit.SECONDS));

    // The session's pages read who is signed in at once: no lock is held while auth is called.
    assertEquals("ada", assertTimeoutPreemptively(Duration.ofMillis(200), cut::username));
    // A second tab that needs the same renewal waits for it at most one call's time (300 ms).
    long started = System.nanoTime();
    assertTimeoutPreemptively(
        Duration.ofSeconds(2), () -> assertThrows(AuthUnavailable.class, cut::freshTokens));
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(waitedMillis >= 250 && waitedMillis < 1_500, "waited " + waitedMillis + " ms");
    assertEquals(1, refreshes.get(), "the single-use refresh token is used once, not per tab");

    authAnswers.countDown();
    assertEquals("access-2", renewing.get(5, TimeUnit.SECONDS).orElseThrow().accessToken());
    assertEquals("access-2", cut.freshTokens().orElseThrow().accessToken());
    assertEquals(1, refreshes.get());
  }

  /**
   * Every change of the tokens marks the session changed, and nothing else does: with several
   * instances an unmarked change never reaches the grid, and the next request on another instance
   * would use a refresh token that auth already took.
   */
  @Test
  void everyChangeOfTheTokensAndOnlyThatMarksTheSessionChanged() throws Exception {
    assertEquals(1, marked.get(), "signing in");
    authAnswers.countDown();
    cut.freshTokens();
    assertEquals(2, marked.get(), "renewed");
    cut.freshTokens();
    cut.username();
    cut.isSignedIn();
    assertEquals(2, marked.get(), "reading changes nothing");
    cut.ended();
    assertEquals(3, marked.get(), "ended at auth");
  }

  @Test
  void aTabWaitingForTheRenewalGetsItsTokens() throws Exception {
    hungAuth.readTimeoutMillis = 5_000;
    Future<Optional<Tokens>> first = pool.submit(cut::freshTokens);
    assertTrue(authAsked.await(5, TimeUnit.SECONDS));
    Future<Optional<Tokens>> second = pool.submit(cut::freshTokens);
    Thread.sleep(100);
    authAnswers.countDown();
    assertEquals("access-2", second.get(5, TimeUnit.SECONDS).orElseThrow().accessToken());
    assertEquals("access-2", first.get(5, TimeUnit.SECONDS).orElseThrow().accessToken());
    assertEquals(1, refreshes.get());
  }

  /**
   * A profile change uses the same refresh token as a renewal: the two never go to auth at once
   * (auth would take a reused refresh token for theft), and the renewal waits at most one call.
   */
  @Test
  void aRenewalNeverRunsBesideAProfileChangeAndWaitsForItAtMostOneCall() throws Exception {
    CountDownLatch changing = new CountDownLatch(1);
    cut.auth =
        new AuthAccounts() {
          {
            connectTimeoutMillis = 100;
            readTimeoutMillis = 200;
          }

          @Override
          public int changePassword(
              String refreshToken, String current, String next, String forwardedFor) {
            changing.countDown();
            try {
              authAnswers.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return 0;
          }

          @Override
          public Tokens refresh(String refreshToken) {
            refreshes.incrementAndGet();
            return tokens("access-2", "refresh-2", Duration.ofMinutes(10));
          }
        };
    Future<Integer> change = pool.submit(() -> cut.changePassword("old", "new", null));
    assertTrue(changing.await(5, TimeUnit.SECONDS));

    assertEquals("ada", assertTimeoutPreemptively(Duration.ofMillis(200), cut::username));
    assertTimeoutPreemptively(
        Duration.ofSeconds(2), () -> assertThrows(AuthUnavailable.class, cut::freshTokens));
    assertEquals(0, refreshes.get(), "no refresh while the change holds the refresh token");

    authAnswers.countDown();
    assertEquals(0, change.get(5, TimeUnit.SECONDS));
    assertEquals("access-2", cut.freshTokens().orElseThrow().accessToken());
    assertEquals(1, refreshes.get());
  }

  @Test
  void aSessionEndedAtAuthIsSignedOut() throws Exception {
    cut.auth =
        new AuthAccounts() {
          @Override
          public Tokens refresh(String refreshToken) throws Refused {
            throw new Refused(401, "session_ended", "Signed out.", null);
          }
        };
    assertEquals(Optional.empty(), cut.freshTokens());
    assertFalse(cut.isSignedIn());
  }

  private static Tokens tokens(String access, String refresh, Duration valid) {
    return new Tokens(access, Instant.now().plus(valid), refresh, "sub-1", "ada", "Ada", "sid-1");
  }
}
