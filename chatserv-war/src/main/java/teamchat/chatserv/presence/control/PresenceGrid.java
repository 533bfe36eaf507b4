package teamchat.chatserv.presence.control;

import teamchat.chatserv.protocol.entity.ServerFrame.User;

/**
 * Who is in which room on the other chatserv instances. Each instance says which of its users
 * follow which room; what it says lasts only while it keeps saying it, so an instance that dies
 * takes its users with it within seconds.
 */
public interface PresenceGrid {

  /** Hears the other instances' users coming and going, room by room. */
  interface Listener {

    /** {@code user} follows {@code room} on instance {@code instance}. */
    void elsewhereOnline(long room, User user, String instance);

    /** The user of id {@code userId} no longer follows {@code room} on {@code instance}. */
    void elsewhereOffline(long room, String userId, String instance);

    /**
     * {@code user} typed in {@code room} (in the thread of message {@code thread}, or null) on
     * another instance. A hint: one may be lost, none is repeated.
     */
    void elsewhereTyping(long room, Long thread, User user);
  }

  /**
   * Starts hearing the other instances (and learns who is there already); false when this instance
   * is alone: then nothing is shared.
   */
  boolean listen(Listener listener);

  /** Some socket of this instance follows {@code room} as {@code user}; never blocks. */
  void here(long room, User user);

  /** No socket of this instance follows {@code room} as this user any more; never blocks. */
  void gone(long room, String userId);

  /**
   * A socket of this instance typed in {@code room} as {@code user} (already checked: it follows
   * the room); the other instances relay it to their followers. Never blocks.
   */
  void typed(long room, Long thread, User user);

  void close();
}
