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
 */
@ApplicationScoped
public class ApiRateLimit {

  /** People counted at most; past this the windows that ended are forgotten. */
  static final int MAX_COUNTED = 100_000;

  @Inject
  @ConfigProperty(name = "chatfront.api.requests-per-window")
  int limit;

  @Inject
  @ConfigProperty(name = "chatfront.api.rate-window")
  Duration window;

  Clock clock = Clock.systemUTC();

  private record Window(long number, AtomicInteger used) {}

  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** Counts one request of {@code subject}; how long to wait when it is one too many. */
  public Optional<Duration> spend(String subject) {
    Instant now = clock.instant();
    long number = now.toEpochMilli() / window.toMillis();
    if (windows.size() >= MAX_COUNTED) {
      windows.values().removeIf(held -> held.number != number);
    }
    Window current =
        windows.compute(
            subject,
            (who, held) ->
                held != null && held.number == number
                    ? held
                    : new Window(number, new AtomicInteger()));
    if (current.used.incrementAndGet() <= limit) {
      return Optional.empty();
    }
    // Whole seconds, rounded up, as Retry-After says them: a client that waits that long is in
    // the next window.
    long leftMillis = (number + 1) * window.toMillis() - now.toEpochMilli();
    return Optional.of(Duration.ofSeconds((leftMillis + 999) / 1000));
  }
}
