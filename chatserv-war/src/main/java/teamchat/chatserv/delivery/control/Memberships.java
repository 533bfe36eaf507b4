package teamchat.chatserv.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.RoomMembership;

/**
 * Which rooms a user belongs to, asked of chatfront and remembered for {@code
 * chatserv.membership-cache} at most: a user who leaves a room stops receiving it within that time.
 * chatfront checks membership again on every store and read, so the cache never lets anyone post
 * where they do not belong.
 */
@ApplicationScoped
public class Memberships {

  @Inject Chatfront chatfront;

  @Inject
  @ConfigProperty(name = "chatserv.membership-cache")
  Duration maxAge;

  private record Known(Set<Long> rooms, Instant at) {}

  private final Map<String, Known> bySubject = new ConcurrentHashMap<>();

  public boolean isMember(String subject, long room) throws Chatfront.Unavailable {
    Known known = bySubject.get(subject);
    if (known == null
        || known.at.plus(maxAge).isBefore(Instant.now())
        || !known.rooms.contains(room)) {
      // A room joined a moment ago must not wait for the cache to expire: a miss asks again.
      Set<Long> rooms =
          chatfront.roomsOf(subject).stream()
              .map(RoomMembership::room)
              .collect(Collectors.toUnmodifiableSet());
      known = new Known(rooms, Instant.now());
      bySubject.put(subject, known);
    }
    return known.rooms.contains(room);
  }

  public void forget(String subject) {
    bySubject.remove(subject);
  }
}
