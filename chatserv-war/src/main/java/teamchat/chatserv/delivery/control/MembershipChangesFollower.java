package teamchat.chatserv.delivery.control;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.presence.control.Presence;
import teamchat.chatserv.protocol.entity.ServerFrame;
import teamchat.chatserv.sockets.control.Connections;
import teamchat.chatserv.sockets.control.Outbound;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.MembershipChange;
import teamchat.contract.messages.MembershipChanges;

/**
 * Follows chatfront's feed of membership changes (joining; leaving, being removed, a room deleted)
 * with a long poll, so that a change reaches every chatserv instance within moments: every socket
 * of the person gets {@code rooms_changed} (an open page then reads its rooms again), and at the
 * end of a membership the person's sockets stop following the room (each gets {@code not_a_member}
 * for it), they leave its presence, and what chatserv remembered of their rooms is forgotten.
 * Before a socket is dropped, chatfront is asked again whether the person is still a member:
 * someone who left and came back before the change arrived keeps the room.
 *
 * <p>At start the feed's history is skipped (no socket follows anything yet; a subscription checks
 * membership anyway). When chatfront cannot be reached the follower waits and asks again; nothing
 * ends the loop but chatserv's shutdown.
 */
@ApplicationScoped
public class MembershipChangesFollower {

  private static final Logger LOG = Logger.getLogger(MembershipChangesFollower.class.getName());
  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  @Inject Chatfront chatfront;
  @Inject Memberships memberships;
  @Inject Subscriptions subscriptions;
  @Inject Presence presence;
  @Inject Connections connections;
  @Inject Workers workers;

  private volatile boolean running = true;
  private Thread follower;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    follower = workers.startCritical("chatserv-membership-changes", this::follow);
  }

  @PreDestroy
  void stop() {
    running = false;
    if (follower != null) {
      follower.interrupt();
    }
  }

  private void follow() {
    long last = -1;
    while (running) {
      try {
        if (last < 0) {
          last = latest();
          continue;
        }
        MembershipChanges answer = chatfront.membershipChanges(last, Chatfront.FEED_WAIT);
        answer
            .changes()
            .forEach(change -> Workers.guarded("a membership change", () -> apply(change)).run());
        last = Math.max(last, answer.last());
      } catch (Chatfront.Unavailable e) {
        pause();
      } catch (Throwable e) {
        Workers.failed("following membership changes", e);
        pause();
      }
    }
  }

  /** The id of the newest change: what happened before chatserv started needs no action. */
  private long latest() throws Chatfront.Unavailable {
    long after = 0;
    while (true) {
      MembershipChanges page = chatfront.membershipChanges(after, Duration.ZERO);
      if (page.changes().isEmpty() || page.last() <= after) {
        return Math.max(after, page.last());
      }
      after = page.last();
    }
  }

  void apply(MembershipChange change) {
    memberships.forget(change.user());
    // Every change, a start too, reaches the person's open pages: their sidebar reads their rooms
    // again (after the drop below, an ended room's stream has stopped when the page hears of it).
    try {
      applyToSubscriptions(change);
    } finally {
      connections.tell(change.user(), new ServerFrame.RoomsChanged(change.room(), change.kind()));
    }
  }

  private void applyToSubscriptions(MembershipChange change) {
    if (MembershipChange.JOINED.equals(change.kind())) {
      return; // a subscription to the room checks membership when the page asks for it
    }
    boolean stillMember;
    try {
      stillMember =
          !MembershipChange.ROOM_DELETED.equals(change.kind())
              && memberships.isMember(change.user(), change.room());
    } catch (Chatfront.Unavailable e) {
      stillMember = false; // when in doubt, a private room stays private
    }
    if (stillMember) {
      return;
    }
    for (Outbound outbound : subscriptions.dropMember(change.user(), change.room())) {
      presence.membershipEnded(change.room(), outbound.session());
      outbound.send(
          ServerFrame.Error.of(
              "not_a_member",
              "You are no longer a member of this room.",
              false,
              null,
              change.room()));
    }
    LOG.log(
        Level.FINE, "membership {0} ended in room {1}", new Object[] {change.id(), change.room()});
  }

  private void pause() {
    try {
      Thread.sleep(RETRY_AFTER.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
