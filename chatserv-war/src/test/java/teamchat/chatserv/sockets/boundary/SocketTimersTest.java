package teamchat.chatserv.sockets.boundary;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executor goes where Tyrus's container keeps its scheduled executor: a private final field of
 * a class the container extends (Tyrus's {@code BaseContainer}). That the shipped Tyrus has it is
 * checked on the real server by DeliveryIT (the timer thread exists once a socket opened).
 */
class SocketTimersTest {

  /** Shaped like Tyrus's {@code BaseContainer}. */
  static class BaseContainer {
    private final ScheduledExecutorService managedScheduledExecutorService;

    BaseContainer(ScheduledExecutorService managed) {
      this.managedScheduledExecutorService = managed;
    }

    ScheduledExecutorService getScheduledExecutorService() {
      return managedScheduledExecutorService;
    }
  }

  /** Shaped like the container Payara's servlet initializer makes: a subclass. */
  static class ServerContainer extends BaseContainer {
    ServerContainer(ScheduledExecutorService managed) {
      super(managed);
    }
  }

  /** A container of another make. */
  static class OtherContainer {
    private final Object managedScheduledExecutorService = new Object();
  }

  private final ScheduledExecutorService managed = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService own = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void shutdown() {
    managed.shutdownNow();
    own.shutdownNow();
  }

  @Test
  void theContainersScheduledExecutorBecomesChatservsOwn() {
    ServerContainer container = new ServerContainer(managed);
    assertTrue(SocketTimers.replaceExecutor(container, own));
    assertSame(own, container.getScheduledExecutorService());
  }

  @Test
  void aContainerWithoutSuchAFieldIsLeftAlone() {
    assertFalse(SocketTimers.replaceExecutor(new Object(), own));
    OtherContainer other = new OtherContainer();
    Object before = other.managedScheduledExecutorService;
    assertFalse(SocketTimers.replaceExecutor(other, own), "a field of another type");
    assertSame(before, other.managedScheduledExecutorService);
  }
}
