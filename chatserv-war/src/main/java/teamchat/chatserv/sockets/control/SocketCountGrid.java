package teamchat.chatserv.sockets.control;

import java.util.Map;
import java.util.function.Supplier;

/**
 * How many sockets each user holds on all chatserv instances together. Each instance says how many
 * it holds per user; what it says lasts only while it keeps saying it, so the sockets of an
 * instance that dies stop counting within seconds.
 */
public interface SocketCountGrid {

  /** What the grid said about one more socket of a user. */
  enum Verdict {
    /** Within the limit on all instances together: counted. */
    WITHIN,
    /** The other instances hold so many that this one would be over the limit: not counted. */
    OVER,
    /** No answer in time (or this instance is alone): only the bound of this instance holds. */
    UNANSWERED
  }

  /**
   * Starts sharing this instance's counts, read from {@code here} (user to sockets on this
   * instance) and written again regularly; false when this instance is alone.
   */
  boolean start(Supplier<Map<String, Integer>> here);

  /**
   * The user now holds {@code here} sockets on this instance, one of them new: counted, unless the
   * other instances hold more than {@code limit - here}. Waits for the grid, but not for long.
   */
  Verdict admit(String subject, int here, int limit);

  /** The user now holds {@code here} sockets on this instance (after a close); never blocks. */
  void count(String subject, int here);

  /**
   * The part of the user's sockets that this instance holds, as last heard from the grid (between 0
   * and 1); 1 when this instance is alone or has not heard.
   */
  double share(String subject);

  void close();
}
