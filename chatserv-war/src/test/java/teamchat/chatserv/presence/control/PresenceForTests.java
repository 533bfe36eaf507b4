package teamchat.chatserv.presence.control;

import java.time.Duration;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame.User;

/** A started {@link Presence} outside the container, for tests of the features that use it. */
public final class PresenceForTests {

  private PresenceForTests() {}

  /** No Data Grid: this instance alone. */
  static final PresenceGrid ALONE =
      new PresenceGrid() {
        @Override
        public boolean listen(Listener listener) {
          return false;
        }

        @Override
        public void here(long room, User user) {}

        @Override
        public void gone(long room, String userId) {}

        @Override
        public void typed(long room, Long thread, User user) {}

        @Override
        public void close() {}
      };

  public static Presence started(Workers workers, Duration presenceInterval) {
    Presence presence = new Presence();
    presence.workers = workers;
    presence.grid = ALONE;
    presence.presenceInterval = presenceInterval;
    presence.typingInterval = Duration.ofSeconds(2);
    presence.start();
    return presence;
  }

  public static void stop(Presence presence) {
    presence.stop();
  }
}
