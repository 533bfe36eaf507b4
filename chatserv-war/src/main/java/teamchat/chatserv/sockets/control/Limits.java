package teamchat.chatserv.sockets.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What one user may do at once: send at most {@code chatserv.sends-per-second} messages (a token
 * bucket holding one second's worth, so short bursts pass) and hold at most {@code
 * chatserv.connections-per-user} sockets, and how many sockets the server holds in all ({@code
 * chatserv.max-connections}).
 *
 * <p>The bucket is these few lines rather than a rate-limiting library: Bucket4j, the well-kept
 * one, is not served by the registries this project builds from, and a bucket per user needs
 * nothing but a refill on use. Buckets of users who stopped sending are dropped by Caffeine after
 * {@link #IDLE_BUCKET}: by then they would be full again anyway.
 */
@ApplicationScoped
public class Limits {

  @Inject
  @ConfigProperty(name = "chatserv.sends-per-second")
  int sendsPerSecond;

  @Inject
  @ConfigProperty(name = "chatserv.connections-per-user")
  int connectionsPerUser;

  @Inject
  @ConfigProperty(name = "chatserv.max-connections")
  int maxConnections;

  /** Nanoseconds, as {@link System#nanoTime()} counts them; a test's own clock in unit tests. */
  LongSupplier clock = System::nanoTime;

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }
  }

  /** A bucket unused this long has refilled completely: forgetting it changes nothing. */
  static final Duration IDLE_BUCKET = Duration.ofMinutes(1);

  private final Cache<String, Bucket> sends =
      Caffeine.newBuilder().expireAfterAccess(IDLE_BUCKET).build();
  private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  /** Milliseconds to wait before this user may send again, or 0 to send now. */
  public long sendDelayMillis(String subject) {
    Bucket bucket = sends.get(subject, s -> new Bucket(sendsPerSecond, clock.getAsLong()));
    synchronized (bucket) {
      long now = clock.getAsLong();
      bucket.tokens =
          Math.min(
              sendsPerSecond, bucket.tokens + (now - bucket.refilledAt) / 1e9 * sendsPerSecond);
      bucket.refilledAt = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - bucket.tokens) * 1000 / sendsPerSecond);
    }
  }

  /** Counts a new socket; false (and nothing counted) when the server is full. */
  public boolean openSocket() {
    if (total.incrementAndGet() > maxConnections) {
      total.decrementAndGet();
      return false;
    }
    return true;
  }

  public void closeSocket() {
    total.decrementAndGet();
  }

  /** Counts a signed-in socket of a user; false (and nothing counted) when they hold too many. */
  public boolean signIn(String subject) {
    AtomicInteger count = connections.computeIfAbsent(subject, s -> new AtomicInteger());
    if (count.incrementAndGet() > connectionsPerUser) {
      count.decrementAndGet();
      return false;
    }
    return true;
  }

  public void signOut(String subject) {
    connections.computeIfPresent(
        subject, (s, count) -> count.decrementAndGet() <= 0 ? null : count);
  }
}
