package teamchat.auth.tokens.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.auth.throttling.control.ThrottleCounts;
import teamchat.auth.throttling.control.ThrottleCounts.Count;
import teamchat.contract.accounts.Usernames;

/**
 * Slows down password guessing, per account and per client address. After a few free failures each
 * further failure doubles the wait, up to {@code auth.login.max-delay}. Nobody is ever locked out
 * for good: once an attack stops, the wait runs out and the real owner logs in. A success clears
 * the account's count.
 *
 * <p>The counts are shared by every auth instance ({@link ThrottleCounts}, in auth's schema):
 * spreading guesses over instances gains nothing. A count is forgotten {@link #MEMORY} after its
 * last failure. There is no bound on how many are kept: a bound would let a guesser who tries many
 * names push the target's count out.
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

  @Inject ThrottleCounts counts;

  Clock clock = Clock.systemUTC();

  /**
   * How long this login attempt must wait, in whole seconds rounded up (as {@code Retry-After} says
   * it), or empty if it may go ahead now.
   */
  public Optional<Duration> waitBefore(String username, String address) {
    Instant now = clock.instant();
    Duration account =
        wait(counts.current(accountBucket(username), now), FREE_FAILURES_PER_ACCOUNT, now);
    Duration client =
        wait(counts.current(addressBucket(address), now), FREE_FAILURES_PER_ADDRESS, now);
    Duration longer = account.compareTo(client) >= 0 ? account : client;
    return longer.isZero() ? Optional.empty() : Optional.of(longer);
  }

  public void failed(String username, String address) {
    Instant now = clock.instant();
    // A count older than MEMORY has expired: it starts again at 1.
    counts.addSinceLast(accountBucket(username), now, MEMORY);
    counts.addSinceLast(addressBucket(address), now, MEMORY);
  }

  public void succeeded(String username) {
    counts.clear(accountBucket(username));
  }

  private Duration wait(Optional<Count> counted, int free, Instant now) {
    if (counted.isEmpty() || counted.get().count() < free) {
      return Duration.ZERO;
    }
    Count failures = counted.get();
    int doublings = Math.min(failures.count() - free, 30);
    Duration delay = Duration.ofSeconds(1L << doublings);
    if (delay.compareTo(maxDelay) > 0) {
      delay = maxDelay;
    }
    Duration left = Duration.between(now, failures.last().plus(delay));
    return left.isNegative() ? Duration.ZERO : Duration.ofSeconds(ceilSeconds(left));
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
  private static String accountBucket(String username) {
    return "login-account:" + key(username);
  }

  private static String addressBucket(String address) {
    return "login-address:" + address;
  }

  static String key(String username) {
    return Usernames.canonical(username).orElse(NOT_A_USERNAME);
  }

  private static final String NOT_A_USERNAME = "(not a username)";
}
