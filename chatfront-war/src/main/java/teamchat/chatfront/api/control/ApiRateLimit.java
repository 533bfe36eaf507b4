package teamchat.chatfront.api.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many public API requests one person may make: {@code chatfront.api.requests-per-window} in
 * each fixed window of {@code chatfront.api.rate-window}, counted per person (all their tokens
 * together) on each chatfront instance. One script in a loop must not slow chat for everyone (the
 * brief's guarantee 7); a fixed window is enough for that and tells the caller exactly when to come
 * back ({@code Retry-After}).
 *
 * <p>A token that is no one's is counted too, by client address ({@code
 * chatfront.api.failed-tokens-per-window} refusals per window): a stranger sending random
 * well-formed tokens costs auth an introspection each, and the per-person count never sees them.
 * Past the bound the address is answered 429 before any token it sends is checked, until the window
 * ends.
 */
@ApplicationScoped
public class ApiRateLimit {

  /** People (or addresses) counted at most; past this the windows that ended are forgotten. */
  static final int MAX_COUNTED = 100_000;

  @Inject
  @ConfigProperty(name = "chatfront.api.requests-per-window")
  int limit;

  @Inject
  @ConfigProperty(name = "chatfront.api.failed-tokens-per-window")
  int failedTokensLimit;

  @Inject
  @ConfigProperty(name = "chatfront.api.rate-window")
  Duration window;

  Clock clock = Clock.systemUTC();

  private record Window(long number, AtomicInteger used) {}

  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** Refused tokens by client address. */
  private final Map<String, Window> failures = new ConcurrentHashMap<>();

  /** Counts one request of {@code subject}; how long to wait when it is one too many. */
  public Optional<Duration> spend(String subject) {
    return count(windows, subject, limit, 1);
  }

  /**
   * How long {@code address} must wait before a token it sends is checked again, when its refused
   * tokens of this window are at the bound; counts nothing.
   */
  public Optional<Duration> failedTokensWait(String address) {
    return count(failures, address, failedTokensLimit, 0);
  }

  /** Counts a token from {@code address} that turned out to be no one's. */
  public void tokenFailed(String address) {
    count(failures, address, failedTokensLimit, 1);
  }

  /**
   * Adds {@code spent} to the key's count in the current window; how long until the next window
   * when the count is then over {@code bound} (with nothing spent: when one more would be).
   */
  private Optional<Duration> count(Map<String, Window> counts, String key, int bound, int spent) {
    Instant now = clock.instant();
    long number = now.toEpochMilli() / window.toMillis();
    if (counts.size() >= MAX_COUNTED) {
      counts.values().removeIf(held -> held.number != number);
    }
    Window current =
        counts.compute(
            key,
            (who, held) ->
                held != null && held.number == number
                    ? held
                    : new Window(number, new AtomicInteger()));
    int used = current.used.addAndGet(spent);
    if (spent == 0 ? used < bound : used <= bound) {
      return Optional.empty();
    }
    // Whole seconds, rounded up, as Retry-After says them: a client that waits that long is in
    // the next window.
    long leftMillis = (number + 1) * window.toMillis() - now.toEpochMilli();
    return Optional.of(Duration.ofSeconds((leftMillis + 999) / 1000));
  }
}
