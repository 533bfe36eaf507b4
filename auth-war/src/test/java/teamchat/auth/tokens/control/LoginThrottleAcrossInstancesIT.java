package teamchat.auth.tokens.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import teamchat.auth.throttling.control.AuthInstances;

/**
 * Issue 17: spreading guesses over auth instances gains nothing. Two throttles, each over the
 * counts of its own instance (own store, own connections to PostgreSQL), slow down the guesses that
 * reach either of them as one throttle slows down those that reach it alone.
 */
class LoginThrottleAcrossInstancesIT {

  private final LoginThrottle a = throttle();
  private final LoginThrottle b = throttle();

  private final String name = "ada" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void guessesSpreadOverTwoInstancesAreSlowedDownAsOnOne() {
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ACCOUNT - 1; i++) {
      (i % 2 == 0 ? a : b).failed(name, "198.51.100." + i);
    }
    assertEquals(Optional.empty(), a.waitBefore(name, "198.51.100.200"), "four are free");
    assertEquals(Optional.empty(), b.waitBefore(name, "198.51.100.200"));

    b.failed(name, "198.51.100.99");
    // Each instance saw at most three failures; alone, neither would slow anyone down.
    assertTrue(a.waitBefore(name, "198.51.100.200").isPresent(), "the fifth counts everywhere");
    assertTrue(b.waitBefore(name, "198.51.100.200").isPresent());

    a.succeeded(name);
    assertEquals(Optional.empty(), b.waitBefore(name, "198.51.100.200"), "a success clears both");
  }

  @Test
  void oneAddressGuessingManyAccountsThroughTwoInstancesIsSlowedToo() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String address = "address-" + tag;
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
      (i % 2 == 0 ? a : b).failed("user" + tag + i, address);
    }
    assertTrue(a.waitBefore("someone" + tag, address).isPresent());
    assertTrue(b.waitBefore("someone" + tag, address).isPresent());
  }

  private static LoginThrottle throttle() {
    LoginThrottle throttle = new LoginThrottle();
    throttle.maxDelay = Duration.ofSeconds(60);
    throttle.counts = AuthInstances.counts();
    return throttle;
  }
}
