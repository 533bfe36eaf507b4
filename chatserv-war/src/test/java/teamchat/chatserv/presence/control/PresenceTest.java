package teamchat.chatserv.presence.control;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.Session;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.FakeSocket;
import teamchat.chatserv.delivery.control.Frames.User;
import teamchat.chatserv.delivery.control.Outbound;

/** Presence without a container, on fake sockets that record what they are sent. */
class PresenceTest {

  private final Presence presence = new Presence();

  @BeforeEach
  void start() {
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
}
