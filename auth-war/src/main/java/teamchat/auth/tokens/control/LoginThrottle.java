package teamchat.auth.tokens.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.accounts.Usernames;

/**
 * Slows down password guessing, per account and per client address. After a few free failures each
 * further failure doubles the wait, up to {@code auth.login.max-delay}. Nobody is ever locked out
 * for good: once an attack stops, the wait runs out and the real owner logs in. A success clears
 * the account's count.
 *
 * <p>Counts live in this instance's memory; with several auth instances each slows down what it
 * sees. They are Caffeine entries forgotten {@link #MEMORY} after their last failure, with no size
 * bound: a bound would let a guesser who tries many names push the target's count out.
 */
@ApplicationScoped
public class LoginThrottle {

  static final int FREE_FAILURES_PER_ACCOUNT = 5;

  /** Addresses get more: a whole office may sit behind one. */
  static final int FREE_FAILURES_PER_ADDRESS = 20;

  /** A failure older than this is forgotten. */
  static final Duration MEMORY = Duration.ofMinutes(15);

  @Inject
  @ConfigProperty(name = "auth.login.max-delay")
  Duration maxDelay;

  Clock clock = Clock.systemUTC();

  private record Failures(int count, Instant last) {
    Failures next(Instant now) {
      return new Failures(count + 1, now);
    }
  }

  private final Cache<String, Failures> byAccount = failures();
  private final Cache<String, Failures> byAddress = failures();

  private Cache<String, Failures> failures() {
    return Caffeine.newBuilder()
        .expireAfterWrite(MEMORY)
        .ticker(() -> nanos(clock.instant()))
        .build();
  }

  /**
   * How long this login attempt must wait, in whole seconds rounded up (as {@code Retry-After} says
   * it), or empty if it may go ahead now.
   */
  public Optional<Duration> waitBefore(String username, String address) {
    Duration account = wait(byAccount.getIfPresent(key(username)), FREE_FAILURES_PER_ACCOUNT);
    Duration client = wait(byAddress.getIfPresent(address), FREE_FAILURES_PER_ADDRESS);
    Duration longer = account.compareTo(client) >= 0 ? account : client;
    return longer.isZero() ? Optional.empty() : Optional.of(longer);
  }

  public void failed(String username, String address) {
    Instant now = clock.instant();
    // An entry older than MEMORY has expired and counts as absent: the count starts again at 1.
    byAccount.asMap().merge(key(username), new Failures(1, now), (old, one) -> old.next(now));
    byAddress.asMap().merge(address, new Failures(1, now), (old, one) -> old.next(now));
  }

  public void succeeded(String username) {
    byAccount.invalidate(key(username));
  }

  private Duration wait(Failures failures, int free) {
    if (failures == null || failures.count < free) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    int doublings = Math.min(failures.count - free, 30);
    Duration delay = Duration.ofSeconds(1L << doublings);
    if (delay.compareTo(maxDelay) > 0) {
      delay = maxDelay;
    }
    Duration left = Duration.between(now, failures.last.plus(delay));
    return left.isNegative() ? Duration.ZERO : Duration.ofSeconds(ceilSeconds(left));
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private static long ceilSeconds(Duration wait) {
    return (wait.toNanos() + 999_999_999L) / 1_000_000_000L;
  }

  /**
   * The account's bucket: the username's one canonical form, the same that registration and the
   * lookup use, so no spelling ({@code İ} for {@code i}, case) opens a fresh bucket for the same
   * account. Text that cannot be a username shares one bucket: it matches no account, and must not
   * let a guesser create buckets without bound.
   */
  static String key(String username) {
    return Usernames.canonical(username).orElse(NOT_A_USERNAME);
  }

  private static final String NOT_A_USERNAME = "(not a username)";
}
