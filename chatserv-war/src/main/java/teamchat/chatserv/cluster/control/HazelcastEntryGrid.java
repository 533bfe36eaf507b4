package teamchat.chatserv.cluster.control;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.ReliableMessageListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.health.control.Workers;

/**
 * The entry channel on Payara's Data Grid: one Hazelcast {@code ReliableTopic} for the cluster.
 *
 * <p>Why this one (docs/scaling.md; measured on two Payara Micro 6.2025.10 instances): clustered
 * CDI events reach their observers on pool threads, out of order, and lose what a frozen member
 * misses; a plain topic loses it too. A reliable topic is one ring buffer, read in one order by
 * every listener, and a member that was frozen reads on from where it stopped. It can still lose
 * entries (the ring buffer wrapped, both copies of a partition died), and a listener sees that as a
 * jump in the ring buffer's sequence.
 *
 * <p>Only Strings cross: Payara serialises any other object with the class loader of the
 * application that wrote it, and reads null where that application is not deployed.
 *
 * <p>Publishing is handed to a {@link GridWriter}: it is called on the store threads, which must
 * never wait for the grid.
 */
@ApplicationScoped
public class HazelcastEntryGrid implements EntryGrid {

  private static final Logger LOG = Logger.getLogger(HazelcastEntryGrid.class.getName());

  /** The topic's name, shared by every chatserv instance of the cluster. */
  static final String TOPIC = "chatserv.entries";

  /** Payara's Data Grid member; null under {@code --nohazelcast}. */
  @Inject HazelcastInstance hazelcast;

  @Inject Workers workers;

  private ITopic<String> topic;
  private GridWriter writer;
  private UUID topicRegistration;
  private UUID membershipRegistration;
  private UUID lifecycleRegistration;

  @Override
  public synchronized boolean listen(Listener listener) {
    if (hazelcast == null) {
      return false;
    }
    topic = hazelcast.getReliableTopic(TOPIC);
    writer = new GridWriter(workers, "chatserv-entry-grid-writes", "entries");
    topicRegistration = topic.addMessageListener(new Reader(listener));
    membershipRegistration =
        hazelcast
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {
                    // A member that comes back after a split may bring entries this side missed.
                    listener.mayHaveMissed("member " + event.getMember() + " joined");
                  }

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    listener.mayHaveMissed("member " + event.getMember() + " left");
                  }
                });
    lifecycleRegistration =
        hazelcast
            .getLifecycleService()
            .addLifecycleListener(
                event -> {
                  if (event.getState() == LifecycleState.MERGED) {
                    listener.mayHaveMissed("this member merged into the cluster again");
                  }
                });
    LOG.log(
        Level.INFO,
        "stored entries cross the Data Grid on topic {0}; cluster members: {1}",
        new Object[] {TOPIC, hazelcast.getCluster().getMembers()});
    return true;
  }

  @Override
  public void publish(List<String> frames) {
    ITopic<String> to;
    GridWriter on;
    synchronized (this) {
      to = topic;
      on = writer;
    }
    if (to == null || frames.isEmpty()) {
      return;
    }
    on.write(
        () ->
            to.publishAllAsync(frames)
                .whenComplete(
                    (done, failure) -> {
                      if (failure != null) {
                        // The other instances' followers read these entries from chatfront at the
                        // next entry of the room, or at the backstop: late, never lost.
                        LOG.log(
                            Level.WARNING,
                            "publishing {0} entries on the Data Grid failed: {1}",
                            new Object[] {frames.size(), String.valueOf(failure)});
                      }
                    }));
  }

  @Override
  public synchronized void close() {
    if (topic == null) {
      return;
    }
    writer.close();
    try {
      topic.removeMessageListener(topicRegistration);
      hazelcast.getCluster().removeMembershipListener(membershipRegistration);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
    } catch (RuntimeException e) {
      // Hazelcast may be shutting down first (the JVM runs every shutdown hook at once).
      LOG.log(Level.FINE, "leaving the Data Grid: {0}", String.valueOf(e));
    }
    topic = null;
  }

  /**
   * Reads the topic from the next entry published on; a jump in the ring buffer's sequence means
   * entries were lost (overwritten before they were read), which it reports and reads on.
   */
  private static final class Reader implements ReliableMessageListener<String> {
    private final Listener listener;
    private long lastSequence = -1;

    Reader(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void onMessage(Message<String> message) {
      listener.heard(message.getMessageObject());
    }

    @Override
    public long retrieveInitialSequence() {
      return -1; // only what is published from now on: a new follower reads the past anyway
    }

    @Override
    public void storeSequence(long sequence) {
      if (lastSequence >= 0 && sequence > lastSequence + 1) {
        listener.mayHaveMissed(
            "the Data Grid lost " + (sequence - lastSequence - 1) + " entries before this member");
      }
      lastSequence = sequence;
    }

    @Override
    public boolean isLossTolerant() {
      return true; // read on after a loss: the seq of each room finds and fills what is missing
    }

    @Override
    public boolean isTerminal(Throwable failure) {
      return false; // one entry that fails must not end this instance's hearing
    }
  }
}
