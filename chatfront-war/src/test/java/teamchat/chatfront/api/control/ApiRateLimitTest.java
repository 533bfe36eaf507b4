package teamchat.chatfront.api.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiRateLimitTest {

  private Instant now = Instant.parse("2026-12-06T12:00:00.250Z");

  private ApiRateLimit cut() {
    ApiRateLimit cut = new ApiRateLimit();
    cut.limit = 3;
    cut.failedTokensLimit = 2;
    cut.window = Duration.ofMinutes(1);
    cut.clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    return cut;
  }

  @Test
  void theRequestAfterTheLimitWaitsForTheNextWindowRoundedUpToWholeSeconds() {
    ApiRateLimit cut = cut();
    for (int i = 0; i < 3; i++) {
      assertTrue(cut.spend("ada").isEmpty(), "request " + (i + 1));
    }
    assertEquals(Optional.of(Duration.ofSeconds(60)), cut.spend("ada"), "59.75 s left, said 60");
    assertTrue(cut.spend("bob").isEmpty(), "each person has their own count");
    now = now.plusSeconds(60);
    assertTrue(cut.spend("ada").isEmpty(), "a new window, a new count");
  }

  @Test
  void anAddressWithTooManyUnknownTokensWaitsForTheNextWindowAndOnlyFailuresCount() {
    ApiRateLimit cut = cut();
    assertTrue(cut.failedTokensWait("203.0.113.7").isEmpty(), "asking counts nothing");
    assertTrue(cut.failedTokensWait("203.0.113.7").isEmpty());
    cut.tokenFailed("203.0.113.7");
    assertTrue(cut.failedTokensWait("203.0.113.7").isEmpty(), "one of two");
    cut.tokenFailed("203.0.113.7");
    assertEquals(
        Optional.of(Duration.ofSeconds(60)),
        cut.failedTokensWait("203.0.113.7"),
        "at the bound: the next token waits for the next window");
    assertTrue(cut.failedTokensWait("198.51.100.9").isEmpty(), "each address its own count");
    assertTrue(cut.spend("203.0.113.7").isEmpty(), "apart from the people's counts");
    now = now.plusSeconds(60);
    assertTrue(cut.failedTokensWait("203.0.113.7").isEmpty(), "a new window, a new count");
  }
}
