package teamchat.chatserv.presence.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame.User;
import teamchat.chatserv.sockets.control.Outbound;

/** Presence without a container, on fake sockets that record what they are sent. */
class PresenceTest {

  private final Presence presence = new Presence();

  @BeforeEach
  void start() {
    presence.workers = Workers.withPlainThreads();
    presence.grid = PresenceForTests.ALONE;
    presence.presenceInterval = Duration.ofMillis(10);
    presence.typingInterval = Duration.ofSeconds(2);
    presence.start();
  }

  @AfterEach
  void stop() {
    presence.stop();
  }

  @Test
  void aClosingSocketLeavesItsRoomsWithoutWaitingForARoomLockAnotherThreadHolds() throws Exception {
    FakeSocket ada = new FakeSocket("ada-socket");
    FakeSocket bob = new FakeSocket("bob-socket");
    Session bobSession = bob.session();
    presence.enter(1, new Outbound(bobSession, 100, 100_000), new User("bob", "Bob"));

    // Another thread holds room 1's lock: it is writing to Ada's socket (her presence list), as
    // the thread that runs a socket's close may be writing in another room.
    ada.blockWrites();
    Outbound adaOutbound = new Outbound(ada.session(), 100, 100_000);
    Thread announcing =
        new Thread(() -> presence.enter(1, adaOutbound, new User("ada", "Ada")), "announcing");
    announcing.start();
    assertTrue(ada.awaitBlockedWriter(5), "the writer holds the room");

    // Bob's socket closes meanwhile: that must not wait for room 1.
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> presence.leaveAll(bobSession));

    ada.openGate();
    announcing.join(5_000);
    // Bob's leaving is still announced, once the room is free.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ada.written().stream().noneMatch(f -> f.contains("\"offline\""))
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(
        ada.written().stream().anyMatch(f -> f.contains("\"offline\"") && f.contains("\"bob\"")),
        "Ada heard that Bob left: " + ada.written());
  }

  /** docs/protocol.md: a page reload or a quick reconnect shows nothing at all to the others. */
  @Test
  void aQuickReconnectIsNotSeenByTheOthers() throws Exception {
    restartWithInterval(Duration.ofMillis(400));
    FakeSocket ada = new FakeSocket("ada-socket");
    presence.enter(1, new Outbound(ada.session(), 100, 100_000), new User("ada", "Ada"));
    FakeSocket bob = new FakeSocket("bob-socket");
    presence.enter(1, new Outbound(bob.session(), 100, 100_000), new User("bob", "Bob"));
    awaitFrame(ada, "\"online\"", "bob");
    Thread.sleep(500); // Bob has been online for longer than an interval: no rate limit applies

    presence.leave(1, bob.session()); // Bob reloads the page
    FakeSocket bobAgain = new FakeSocket("bob-socket-2");
    presence.enter(1, new Outbound(bobAgain.session(), 100, 100_000), new User("bob", "Bob"));
    Thread.sleep(1_200); // three intervals: any announcement would have gone out by now

    assertEquals(1, count(ada, "\"online\"", "bob"), "Bob came online once: " + ada.written());
    assertEquals(0, count(ada, "\"offline\"", "bob"), "Bob never went offline: " + ada.written());
  }

  @Test
  void someoneWhoStaysAwayGoesOfflineOneIntervalAfterTheirLastSocketLeft() throws Exception {
    restartWithInterval(Duration.ofMillis(300));
    FakeSocket ada = new FakeSocket("ada-socket");
    presence.enter(1, new Outbound(ada.session(), 100, 100_000), new User("ada", "Ada"));
    FakeSocket bob = new FakeSocket("bob-socket");
    presence.enter(1, new Outbound(bob.session(), 100, 100_000), new User("bob", "Bob"));
    awaitFrame(ada, "\"online\"", "bob");
    Thread.sleep(400); // Bob's online is older than an interval: only the grace delays offline

    long left = System.nanoTime();
    presence.leave(1, bob.session());
    awaitFrame(ada, "\"offline\"", "bob");
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left);

    assertTrue(waited >= 300, "offline came after the grace of one interval, not " + waited);
    Thread.sleep(700);
    assertEquals(1, count(ada, "\"offline\"", "bob"), "announced once: " + ada.written());
  }

  @Test
  void theEndOfAMembershipIsAnnouncedAtOnce() throws Exception {
    restartWithInterval(Duration.ofSeconds(30));
    FakeSocket ada = new FakeSocket("ada-socket");
    presence.enter(1, new Outbound(ada.session(), 100, 100_000), new User("ada", "Ada"));
    FakeSocket bob = new FakeSocket("bob-socket");
    presence.enter(1, new Outbound(bob.session(), 100, 100_000), new User("bob", "Bob"));
    awaitFrame(ada, "\"online\"", "bob");

    presence.membershipEnded(1, bob.session());

    // Well within the 30 s interval that a mere leave would wait.
    awaitFrame(ada, "\"offline\"", "bob");
  }

  /**
   * Leaving the rooms of closed sockets and announcing changes run as tasks on presence's one timer
   * thread: a task that throws an Error must not stop the next ones.
   */
  @Test
  void anErrorInOnePresenceTaskLeavesTheNextTasksRunning() throws Exception {
    restartWithInterval(Duration.ofMillis(50));
    FakeSocket ada = new FakeSocket("ada-socket");
    presence.enter(1, new Outbound(ada.session(), 100, 100_000), new User("ada", "Ada"));
    FakeSocket bob = new FakeSocket("bob-socket");
    presence.enter(1, new Outbound(bob.session(), 100, 100_000), new User("bob", "Bob"));
    awaitFrame(ada, "\"online\"", "bob");
    Session broken =
        (Session)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                  throw new Error("as an Error from deep inside a socket");
                });

    presence.leaveAll(broken); // throws on the presence thread
    presence.leaveAll(bob.session()); // the next task, and the offline it schedules

    awaitFrame(ada, "\"offline\"", "bob");
  }

  private void restartWithInterval(Duration interval) {
    presence.stop();
    presence.presenceInterval = interval;
    presence.start();
  }

  private static long count(FakeSocket socket, String type, String user) {
    return socket.written().stream()
        .filter(f -> f.contains(type) && f.contains("\"" + user + "\""))
        .count();
  }

  private static void awaitFrame(FakeSocket socket, String type, String user) throws Exception {
    awaitFrame(socket, type, user, 1);
  }

  private static void awaitFrame(FakeSocket socket, String type, String user, int times)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (count(socket, type, user) < times && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(times, count(socket, type, user), type + " " + user + ": " + socket.written());
  }
}
