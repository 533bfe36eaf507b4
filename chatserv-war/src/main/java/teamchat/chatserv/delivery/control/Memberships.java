package teamchat.chatserv.delivery.control;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.RoomMembership;

/**
 * Which rooms a user belongs to, asked of chatfront and trusted for {@code
 * chatserv.membership-cache}, for the checks of subscribe, send and typing. After that a list is
 * asked for again in the background while the caller gets the list in hand, so that a slow or
 * absent chatfront never holds up the threads that handle frames (a stalled frame thread once
 * turned into a burst of misleading {@code rate_limited} answers); if chatfront does not answer,
 * the last list keeps serving, for {@link #LONGEST_STALE} at most. A room joined a moment ago is
 * never refused for the cache's sake: a room not in it is asked for again. The end of a membership
 * is not waited for either: {@link MembershipChangesFollower} forgets the person's rooms and drops
 * their subscriptions as soon as chatfront reports it. chatfront checks membership again on every
 * store and read, so the cache never lets anyone post where they do not belong.
 */
@ApplicationScoped
public class Memberships {

  @Inject Chatfront chatfront;

  @Inject
  @ConfigProperty(name = "chatserv.membership-cache")
  Duration maxAge;

  /** Where lists are asked for again in the background. */
  @Resource ManagedExecutorService refreshes;

  /** Far more people than one instance holds sockets for; the least used are dropped first. */
  static final int MAX_PEOPLE = 100_000;

  /**
   * How long a list may serve while chatfront cannot be asked: chatfront still checks every store
   * and read itself, so a stale list lets nobody post or read where they do not belong.
   */
  static final Duration LONGEST_STALE = Duration.ofMinutes(10);

  private LoadingCache<String, Set<Long>> bySubject;

  @PostConstruct
  void createCache() {
    createCache(refreshes);
  }

  void createCache(Executor executor) {
    bySubject =
        Caffeine.newBuilder()
            .refreshAfterWrite(maxAge)
            .expireAfterWrite(LONGEST_STALE)
            .maximumSize(MAX_PEOPLE)
            .executor(executor)
            .build(
                new CacheLoader<String, Set<Long>>() {
                  @Override
                  public Set<Long> load(String subject) throws Chatfront.Unavailable {
                    return roomsOf(subject);
                  }

                  @Override
                  public Set<Long> reload(String subject, Set<Long> inHand) {
                    try {
                      return roomsOf(subject);
                    } catch (Chatfront.Unavailable e) {
                      return inHand; // logged by Chatfront, once per outage
                    }
                  }
                });
  }

  public boolean isMember(String subject, long room) throws Chatfront.Unavailable {
    Set<Long> known = bySubject.getIfPresent(subject); // a list past maxAge is asked for again
    if (known != null && known.contains(room)) {
      return true;
    }
    // A room joined a moment ago is not refused for the cache's sake: asked for now.
    Set<Long> rooms = roomsOf(subject);
    bySubject.put(subject, rooms);
    return rooms.contains(room);
  }

  private Set<Long> roomsOf(String subject) throws Chatfront.Unavailable {
    return chatfront.roomsOf(subject).stream()
        .map(RoomMembership::room)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** What was remembered of the person's rooms is out of date: ask chatfront next time. */
  public void forget(String subject) {
    bySubject.invalidate(subject);
  }
}
