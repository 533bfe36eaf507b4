package teamchat.chatserv.cluster.control;

import java.util.List;

/**
 * The channel that carries stored entries between chatserv instances. It may reorder, repeat or
 * lose what it carries (a member that fails, a split and merge); it says when it may have lost
 * something, and delivery makes up for the rest by the room's seq.
 */
public interface EntryGrid {

  /** Hears what every instance publishes, this one's own included. */
  interface Listener {

    /** An entry's frame, as followers receive it. */
    void heard(String frame);

    /** Something published may never be heard here (a member left or merged, a loss seen). */
    void mayHaveMissed(String why);
  }

  /**
   * Starts hearing every instance's entries; false when this instance is alone (no Data Grid, as
   * under {@code --nohazelcast}): then nothing is published either.
   */
  boolean listen(Listener listener);

  /** Publishes entries' frames to every instance, without waiting for them to arrive. */
  void publish(List<String> frames);

  /** Stops hearing; publishes nothing more. */
  void close();
}
