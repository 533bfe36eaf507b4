package teamchat.auth.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.auth.throttling.control.ThrottleCounts;
import teamchat.auth.throttling.control.ThrottleCounts.Count;

/**
 * At most {@code auth.registration.per-address} new accounts per client address in each {@code
 * auth.registration.window}: one address once made 40 accounts in 3 s, each a password hash's worth
 * of memory and CPU. The counts are shared by every auth instance ({@link ThrottleCounts}, in
 * auth's schema), like the login throttle's: registering through several instances gains nothing.
 *
 * <p>A fixed window that starts with an address's first registration, not a token bucket: a count
 * that expires one window after its first event is exactly that. Bucket4j (served by the registry)
 * would add a refill schedule and a clock of its own and still need a count per address.
 */
@ApplicationScoped
public class RegistrationThrottle {

  @Inject
  @ConfigProperty(name = "auth.registration.per-address")
  int perAddress;

  @Inject
  @ConfigProperty(name = "auth.registration.window")
  Duration window;

  @Inject ThrottleCounts counts;

  Clock clock = Clock.systemUTC();

  /**
   * Counts a registration from {@code address}; when it is one too many, how long to wait, in whole
   * seconds rounded up (as {@code Retry-After} says it).
   */
  public Optional<Duration> attempt(String address) {
    Instant now = clock.instant();
    Count counted = counts.addInWindow("registration-address:" + address, now, window);
    if (counted.count() <= perAddress) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, counted.expires());
    return Optional.of(Duration.ofSeconds((left.toNanos() + 999_999_999L) / 1_000_000_000L));
  }
}
