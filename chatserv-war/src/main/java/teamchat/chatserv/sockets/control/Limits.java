package teamchat.chatserv.sockets.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
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
 * <p>With several chatserv instances both per-user limits hold for all of them together
 * (docs/scaling.md). Sockets are counted on the Data Grid ({@link SocketCountGrid}) at sign-in,
 * besides the count of this instance, which holds alone when the grid does not answer in time. The
 * send rate is not asked of the grid on each send (that would add a round trip to the key's owner
 * to every message): each instance grants the user the part of the rate that matches its part of
 * the user's sockets, as the grid last said (a user with 2 of 4 sockets here may send half the rate
 * here), and never less than one send a second.
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

  @Inject SocketCountGrid grid;

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

  @PostConstruct
  void shareCounts() {
    grid.start(this::socketsHere);
  }

  @PreDestroy
  void stopSharing() {
    grid.close();
  }

  /** Milliseconds to wait before this user may send again, or 0 to send now. */
  public long sendDelayMillis(String subject) {
    double rate = Math.max(1, sendsPerSecond * grid.share(subject));
    Bucket bucket = sends.get(subject, s -> new Bucket(rate, clock.getAsLong()));
    synchronized (bucket) {
      long now = clock.getAsLong();
      bucket.tokens = Math.min(rate, bucket.tokens + (now - bucket.refilledAt) / 1e9 * rate);
      bucket.refilledAt = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - bucket.tokens) * 1000 / rate);
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

  /**
   * Counts a signed-in socket of a user; false (and nothing counted) when they hold too many, here
   * or on all instances together. Waits for the Data Grid at most a moment (HazelcastSocketCounts).
   */
  public boolean signIn(String subject) {
    AtomicInteger count = connections.computeIfAbsent(subject, s -> new AtomicInteger());
    int here = count.incrementAndGet();
    if (here > connectionsPerUser
        || grid.admit(subject, here, connectionsPerUser) == SocketCountGrid.Verdict.OVER) {
      release(subject);
      return false;
    }
    return true;
  }

  public void signOut(String subject) {
    grid.count(subject, release(subject));
  }

  /** One socket less of the user here; how many are left. */
  private int release(String subject) {
    AtomicInteger left =
        connections.computeIfPresent(
            subject, (s, count) -> count.decrementAndGet() <= 0 ? null : count);
    return left == null ? 0 : left.get();
  }

  /** User to signed-in sockets on this instance: what this instance says on the Data Grid. */
  private Map<String, Integer> socketsHere() {
    Map<String, Integer> here = new HashMap<>();
    connections.forEach((subject, count) -> here.put(subject, count.get()));
    return here;
  }
}
