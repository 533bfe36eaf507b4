package teamchat.auth.tokens.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import teamchat.auth.throttling.control.InMemoryThrottleCounts;

class LoginThrottleTest {

  private LoginThrottle cut;
  private Instant now = Instant.parse("2026-01-01T10:00:00Z");

  @BeforeEach
  void wire() {
    cut = new LoginThrottle();
    cut.maxDelay = Duration.ofSeconds(60);
    cut.counts = new InMemoryThrottleCounts();
    cut.clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now;
          }

          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
  }

  @Test
  void theFirstFailuresAreFreeThenTheWaitDoublesUpToTheCap() {
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ACCOUNT - 1; i++) {
      cut.failed("ada", "10.0.0." + i);
      assertEquals(Optional.empty(), cut.waitBefore("ada", "10.0.1.1"));
    }
    cut.failed("ada", "10.0.0.99");
    assertEquals(
        Optional.of(Duration.ofSeconds(1)), cut.waitBefore("ADA", "10.0.1.1"), "case-insensitive");
    cut.failed("ada", "10.0.0.98");
    assertEquals(Optional.of(Duration.ofSeconds(2)), cut.waitBefore("ada", "10.0.1.1"));
    for (int i = 0; i < 20; i++) {
      cut.failed("ada", "10.0.2." + i);
    }
    assertEquals(Optional.of(Duration.ofSeconds(60)), cut.waitBefore("ada", "10.0.1.1"), "capped");
  }

  @Test
  void nobodyIsLockedOutOnceTheAttackStops() {
    for (int i = 0; i < 200; i++) {
      cut.failed("ada", "10.9.9." + (i % 250));
    }
    assertTrue(cut.waitBefore("ada", "192.0.2.7").isPresent());
    now = now.plusSeconds(61);
    assertEquals(Optional.empty(), cut.waitBefore("ada", "192.0.2.7"), "the wait runs out");
  }

  @Test
  void failuresOlderThanTheMemoryAreForgottenAndTheCountStartsAgain() {
    for (int i = 0; i < 10; i++) {
      cut.failed("ada", "10.0.0." + i);
    }
    now = now.plus(LoginThrottle.MEMORY).plusSeconds(1);
    assertEquals(Optional.empty(), cut.waitBefore("ada", "10.0.1.1"));
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ACCOUNT - 1; i++) {
      cut.failed("ada", "10.0.0." + i);
    }
    assertEquals(
        Optional.empty(), cut.waitBefore("ada", "10.0.1.1"), "four fresh failures are still free");
    cut.failed("ada", "10.0.0.99");
    assertEquals(Optional.of(Duration.ofSeconds(1)), cut.waitBefore("ada", "10.0.1.1"));
  }

  @Test
  void oneAddressGuessingManyAccountsIsSlowedToo() {
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
      cut.failed("user" + i, "203.0.113.5");
    }
    assertTrue(cut.waitBefore("someone-new", "203.0.113.5").isPresent());
    assertEquals(Optional.empty(), cut.waitBefore("someone-new", "203.0.113.6"));
  }

  @Test
  void successClearsTheAccountsCount() {
    for (int i = 0; i < 10; i++) {
      cut.failed("ada", "10.0.0." + i);
    }
    cut.succeeded("ada");
    assertEquals(Optional.empty(), cut.waitBefore("ada", "10.0.1.1"));
  }

  @Test
  void everySpellingOfOneAccountSharesItsBucketAndNonNamesShareOne() {
    assertEquals(LoginThrottle.key("vicki"), LoginThrottle.key("VICKI"));
    assertEquals(LoginThrottle.key("vicki"), LoginThrottle.key("Vicki"));
    // İ lower-cases to i + U+0307 in Java; it is no username at all, so no bucket of its own.
    assertEquals(LoginThrottle.key("v\u0130cki"), LoginThrottle.key("v\u0131cki"));
    assertEquals(LoginThrottle.key("v\u0130cki"), LoginThrottle.key("nul\u0000"));
    org.junit.jupiter.api.Assertions.assertNotEquals(
        LoginThrottle.key("vicki"), LoginThrottle.key("v\u0130cki"));
  }
}
