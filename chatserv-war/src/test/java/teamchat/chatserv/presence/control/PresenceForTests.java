package teamchat.chatserv.presence.control;

import java.time.Duration;
import teamchat.chatserv.health.control.Workers;

/** A started {@link Presence} outside the container, for tests of the features that use it. */
public final class PresenceForTests {

  private PresenceForTests() {}

  public static Presence started(Workers workers, Duration presenceInterval) {
    Presence presence = new Presence();
    presence.workers = workers;
    presence.presenceInterval = presenceInterval;
    presence.typingInterval = Duration.ofSeconds(2);
    presence.start();
    return presence;
  }

  public static void stop(Presence presence) {
    presence.stop();
  }
}
