package teamchat.chatserv.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    cut.createCache(Runnable::run); // refreshes on the caller's thread: what it asked is counted
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

  /**
   * A list past its cache time is asked for again in the background: a stalled chatfront never
   * holds up the caller (a frame thread), and the list in hand keeps serving meanwhile.
   */
  @Test
  void aStalledChatfrontNeverHoldsUpACheckOfAKnownMembership() throws Exception {
    Memberships stalled = new Memberships();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    stalled.chatfront =
        new Chatfront() {
          @Override
          public List<RoomMembership> roomsOf(String member) throws Unavailable {
            if (reads.incrementAndGet() > 1) {
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new Unavailable("reading memberships failed", new IllegalStateException());
            }
            return List.of(new RoomMembership(1, "room 1", "member", 0, 0));
          }
        };
    stalled.maxAge = Duration.ofMillis(100);
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      stalled.createCache(background);
      assertTrue(stalled.isMember("ada", 1));
      Thread.sleep(200); // past the cache time

      for (int i = 0; i < 20; i++) {
        assertTrue(
            assertTimeoutPreemptively(Duration.ofMillis(200), () -> stalled.isMember("ada", 1)),
            "the list in hand serves while chatfront is asked again");
      }
      release.countDown(); // chatfront fails: the list in hand still serves
      Thread.sleep(100);
      assertTrue(stalled.isMember("ada", 1));
    } finally {
      release.countDown();
      background.shutdownNow();
    }
  }
}
