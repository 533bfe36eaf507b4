package teamchat.auth.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import teamchat.auth.throttling.control.InMemoryThrottleCounts;

class RegistrationThrottleTest {

  @Test
  void anAddressGetsItsShareInEachWindowAndOthersTheirs() {
    RegistrationThrottle cut = new RegistrationThrottle();
    cut.perAddress = 3;
    cut.counts = new InMemoryThrottleCounts();
    cut.window = Duration.ofMinutes(10);
    Instant start = Instant.parse("2026-12-05T12:00:00Z");
    cut.clock = Clock.fixed(start, ZoneOffset.UTC);
    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.empty(), cut.attempt("10.0.0.1"));
    }
    assertEquals(Optional.of(Duration.ofMinutes(10)), cut.attempt("10.0.0.1"));
    assertEquals(Optional.empty(), cut.attempt("10.0.0.2"));
    cut.clock = Clock.fixed(start.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
    assertTrue(cut.attempt("10.0.0.1").isEmpty(), "a new window");
  }
}
