package teamchat.chatserv.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.RoomMembership;

class MembershipsTest {

  private final AtomicInteger asked = new AtomicInteger();
  private final Set<Long> adasRooms = new CopyOnWriteArraySet<>(Set.of(1L));
  private final Memberships cut = new Memberships();

  {
    cut.chatfront =
        new Chatfront() {
          @Override
          public List<RoomMembership> roomsOf(String member) {
            asked.incrementAndGet();
            return adasRooms.stream()
                .map(room -> new RoomMembership(room, "room " + room, "member", 0, 0))
                .toList();
          }
        };
    cut.maxAge = Duration.ofMillis(300);
    cut.createCache();
  }

  @Test
  void whatIsKnownIsNotAskedAgainWithinTheCacheTime() throws Exception {
    assertTrue(cut.isMember("ada", 1));
    assertTrue(cut.isMember("ada", 1));
    assertEquals(1, asked.get());

    Thread.sleep(400);
    assertTrue(cut.isMember("ada", 1));
    assertEquals(2, asked.get(), "asked again once the cache time was over");
  }

  @Test
  void aRoomJoinedAMomentAgoIsNeverRefusedForTheCachesSake() throws Exception {
    assertFalse(cut.isMember("ada", 2));
    adasRooms.add(2L);
    assertTrue(cut.isMember("ada", 2), "a room not in the cache is asked for again");
  }

  @Test
  void aForgottenPersonIsAskedForAgain() throws Exception {
    assertTrue(cut.isMember("ada", 1));
    adasRooms.remove(1L);
    cut.forget("ada");
    assertFalse(cut.isMember("ada", 1), "the end of the membership counts at once");
  }
}
