package teamchat.auth.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * At most {@code auth.registration.per-address} new accounts per client address in each {@code
 * auth.registration.window}: one address once made 40 accounts in 3 s, each a password hash's worth
 * of memory and CPU. Counts live in this instance's memory, like the login throttle's.
 */
@ApplicationScoped
public class RegistrationThrottle {

  private static final int MAX_TRACKED = 100_000;

  @Inject
  @ConfigProperty(name = "auth.registration.per-address")
  int perAddress;

  @Inject
  @ConfigProperty(name = "auth.registration.window")
  Duration window;

  Clock clock = Clock.systemUTC();

  private record Window(Instant start, int count) {}

  private final Map<String, Window> byAddress = new ConcurrentHashMap<>();

  /**
   * Counts a registration from {@code address}; when it is one too many, how long to wait, in whole
   * seconds rounded up (as {@code Retry-After} says it).
   */
  public Optional<Duration> attempt(String address) {
    Instant now = clock.instant();
    if (byAddress.size() > MAX_TRACKED) {
      byAddress.values().removeIf(w -> !w.start.plus(window).isAfter(now));
    }
    Window counted =
        byAddress.merge(
            address,
            new Window(now, 1),
            (old, one) ->
                old.start.plus(window).isAfter(now)
                    ? new Window(old.start, old.count + 1)
                    : new Window(now, 1));
    if (counted.count <= perAddress) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, counted.start.plus(window));
    return Optional.of(Duration.ofSeconds((left.toNanos() + 999_999_999L) / 1_000_000_000L));
  }
}
