package teamchat.auth.accounts.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * At most {@code auth.registration.per-address} new accounts per client address in each {@code
 * auth.registration.window}: one address once made 40 accounts in 3 s, each a password hash's worth
 * of memory and CPU. Counts live in this instance's memory, like the login throttle's.
 *
 * <p>A fixed window that starts with an address's first registration, not a token bucket: a
 * Caffeine entry that expires one window after it was created is exactly that. Bucket4j (served by
 * the registry) would add a refill schedule and a clock of its own and still need this map of
 * addresses. No size bound: an entry lives one window at most, and a bound would let one sender of
 * many addresses push another address's count out.
 */
@ApplicationScoped
public class RegistrationThrottle {

  @Inject
  @ConfigProperty(name = "auth.registration.per-address")
  int perAddress;

  @Inject
  @ConfigProperty(name = "auth.registration.window")
  Duration window;

  Clock clock = Clock.systemUTC();

  private record Window(Instant start, int count) {}

  private final Cache<String, Window> byAddress =
      Caffeine.newBuilder()
          .expireAfter(Expiry.<String, Window>creating((address, counted) -> window))
          .ticker(() -> nanos(clock.instant()))
          .build();

  /**
   * Counts a registration from {@code address}; when it is one too many, how long to wait, in whole
   * seconds rounded up (as {@code Retry-After} says it).
   */
  public Optional<Duration> attempt(String address) {
    Instant now = clock.instant();
    Window counted =
        byAddress
            .asMap()
            .merge(
                address,
                new Window(now, 1),
                (current, first) -> new Window(current.start, current.count + 1));
    if (counted.count <= perAddress) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, counted.start.plus(window));
    return Optional.of(Duration.ofSeconds((left.toNanos() + 999_999_999L) / 1_000_000_000L));
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
