package teamchat.chatserv.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.presence.control.Presence;
import teamchat.chatserv.presence.control.PresenceForTests;
import teamchat.chatserv.protocol.entity.ServerFrame.User;
import teamchat.chatserv.sockets.control.Connections;
import teamchat.chatserv.sockets.control.ConnectionsForTests;
import teamchat.chatserv.sockets.control.Outbound;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.MembershipChange;
import teamchat.contract.messages.MembershipChanges;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.RoomMembership;

/**
 * The follower of chatfront's membership feed is the one thread through which the end of a
 * membership reaches the sockets: an Error in one round must not end it, and a change must stop
 * delivery and presence for that person at once.
 */
class MembershipChangesFollowerTest {

  private static final long ROOM = 7;
  private static final long INVITED_TO = 8;

  private final AtomicInteger feedCalls = new AtomicInteger();
  private final Workers workers = Workers.withPlainThreads();
  private final Chatfront chatfront =
      new Chatfront() {
        @Override
        public MembershipChanges membershipChanges(long after, Duration wait) {
          int call = feedCalls.incrementAndGet();
          if (call == 1) {
            return new MembershipChanges(List.of(), 5); // history at start: skipped
          }
          if (call == 2) {
            throw new Error("as an Error from deep inside a read");
          }
          if (call == 3) {
            return new MembershipChanges(
                List.of(
                    new MembershipChange(6, ROOM, "ada", MembershipChange.LEFT),
                    new MembershipChange(7, INVITED_TO, "bob", MembershipChange.JOINED)),
                7);
          }
          try {
            Thread.sleep(50); // a long poll with nothing new
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new MembershipChanges(List.of(), 7);
        }

        @Override
        public List<RoomMembership> roomsOf(String member) {
          return List.of(); // Ada left: she belongs to no room now
        }

        @Override
        public MessagePage after(long room, String member, long after, int limit) {
          return new MessagePage(room, List.of(), 0);
        }
      };

  private final Subscriptions subscriptions = new Subscriptions();
  private final Presence presence =
      PresenceForTests.started(workers, Duration.ofSeconds(30)); // a mere leave would wait 30 s
  private final Connections connections = ConnectionsForTests.started(workers);
  private final MembershipChangesFollower cut = new MembershipChangesFollower();

  {
    subscriptions.chatfront = chatfront;
    subscriptions.workers = workers;
    subscriptions.start();
    Memberships memberships = new Memberships();
    memberships.chatfront = chatfront;
    memberships.maxAge = Duration.ofSeconds(10);
    memberships.createCache(Runnable::run);
    cut.chatfront = chatfront;
    cut.memberships = memberships;
    cut.subscriptions = subscriptions;
    cut.presence = presence;
    cut.workers = workers;
    cut.connections = connections;
  }

  @AfterEach
  void stop() {
    cut.stop();
    subscriptions.stop();
    PresenceForTests.stop(presence);
    ConnectionsForTests.stop(connections);
  }

  @Test
  void afterAnErrorTheFollowerGoesOnAndALeavingMemberStopsFollowingAndGoesOfflineAtOnce()
      throws Exception {
    FakeSocket ada = new FakeSocket("ada-socket");
    Outbound adaOutbound = new Outbound(ada.session(), 100, 1_000_000);
    subscriptions.subscribe(adaOutbound, "ada", ROOM, 0);
    presence.enter(ROOM, adaOutbound, new User("ada", "Ada"));
    FakeSocket bob = new FakeSocket("bob-socket");
    Outbound bobOutbound = new Outbound(bob.session(), 100, 1_000_000);
    subscriptions.subscribe(bobOutbound, "bob", ROOM, 0);
    presence.enter(ROOM, bobOutbound, new User("bob", "Bob"));

    cut.start(new Object());

    awaitWritten(ada, "\"not_a_member\"");
    awaitWritten(bob, "\"offline\"");
    assertTrue(feedCalls.get() >= 3, "the feed was read again after the Error");
    assertEquals(List.of(), workers.dead(), "the follower is alive");
    assertTrue(
        bob.written().stream().anyMatch(f -> f.contains("\"offline\"") && f.contains("\"ada\"")),
        "Bob heard that Ada is gone: " + bob.written());
    assertTrue(
        ada.written().stream()
            .anyMatch(f -> f.contains("\"not_a_member\"") && f.contains("\"room\":" + ROOM)),
        "Ada's socket was told: " + ada.written());
  }

  /**
   * Every socket of a person whose rooms changed hears of it, whatever it follows: the page of
   * someone invited learns of the room (and a joined room costs no subscription a drop), the page
   * of someone who left learns that the room is gone; nobody else hears a word.
   */
  @Test
  void everySocketOfThePersonIsToldThatTheirRoomsChangedAndNoOneElse() throws Exception {
    FakeSocket bobElsewhere = new FakeSocket("bob-other-tab");
    ConnectionsForTests.signedIn(connections, bobElsewhere.session(), "bob");
    FakeSocket bobFollowing = new FakeSocket("bob-following");
    Outbound bobOutbound =
        ConnectionsForTests.signedIn(connections, bobFollowing.session(), "bob").outbound;
    subscriptions.subscribe(bobOutbound, "bob", ROOM, 0);
    FakeSocket adaElsewhere = new FakeSocket("ada-other-tab");
    ConnectionsForTests.signedIn(connections, adaElsewhere.session(), "ada");
    FakeSocket carol = new FakeSocket("carol");
    ConnectionsForTests.signedIn(connections, carol.session(), "carol");

    cut.start(new Object());

    String joined = "{\"type\":\"rooms_changed\",\"room\":8,\"change\":\"joined\"}";
    awaitWritten(bobElsewhere, joined);
    awaitWritten(bobFollowing, joined);
    awaitWritten(adaElsewhere, "{\"type\":\"rooms_changed\",\"room\":7,\"change\":\"left\"}");
    assertTrue(
        bobFollowing.written().stream().noneMatch(f -> f.contains("not_a_member")),
        "Bob is still in room 7: " + bobFollowing.written());
    subscriptions.subscribe(bobOutbound, "bob", INVITED_TO, 0); // what his page does next
    assertTrue(
        carol.written().stream().noneMatch(f -> f.contains("rooms_changed")),
        "Carol's rooms did not change: " + carol.written());
  }

  private static void awaitWritten(FakeSocket socket, String part) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (socket.written().stream().noneMatch(f -> f.contains(part))
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(
        socket.written().stream().anyMatch(f -> f.contains(part)),
        part + " in " + socket.written());
  }
}
