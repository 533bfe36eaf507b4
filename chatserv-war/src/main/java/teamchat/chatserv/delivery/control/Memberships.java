package teamchat.chatserv.delivery.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.RoomMembership;

/**
 * Which rooms a user belongs to, asked of chatfront and remembered for {@code
 * chatserv.membership-cache} at most, for the checks of subscribe, send and typing. A room joined a
 * moment ago is never refused for the cache's sake: a room not in it is asked for again. The end of
 * a membership is not waited for either: {@link MembershipChangesFollower} forgets the person's
 * rooms and drops their subscriptions as soon as chatfront reports it. chatfront checks membership
 * again on every store and read, so the cache never lets anyone post where they do not belong.
 */
@ApplicationScoped
public class Memberships {

  @Inject Chatfront chatfront;

  @Inject
  @ConfigProperty(name = "chatserv.membership-cache")
  Duration maxAge;

  /** Far more people than one instance holds sockets for; the least used are dropped first. */
  static final int MAX_PEOPLE = 100_000;

  private Cache<String, Set<Long>> bySubject;

  @PostConstruct
  void createCache() {
    bySubject = Caffeine.newBuilder().expireAfterWrite(maxAge).maximumSize(MAX_PEOPLE).build();
  }

  public boolean isMember(String subject, long room) throws Chatfront.Unavailable {
    Set<Long> known = bySubject.getIfPresent(subject);
    if (known != null && known.contains(room)) {
      return true;
    }
    Set<Long> rooms =
        chatfront.roomsOf(subject).stream()
            .map(RoomMembership::room)
            .collect(Collectors.toUnmodifiableSet());
    bySubject.put(subject, rooms);
    return rooms.contains(room);
  }

  /** What was remembered of the person's rooms is out of date: ask chatfront next time. */
  public void forget(String subject) {
    bySubject.invalidate(subject);
  }
}
