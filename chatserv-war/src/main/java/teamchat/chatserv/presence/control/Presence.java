package teamchat.chatserv.presence.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame;
import teamchat.chatserv.protocol.entity.ServerFrame.User;
import teamchat.chatserv.sockets.control.Outbound;

/**
 * Who is online in each room, and typing indicators. A user is online in a room while at least one
 * of their sockets follows it (subscribed); a new follower gets the list at once ({@code
 * presence}), and every follower hears when a user comes ({@code online}) or goes ({@code
 * offline}).
 *
 * <p>Rate limits, so that a flapping connection or a fast typist cannot flood a room: a user's
 * presence in a room is announced at most once per {@code chatserv.presence-interval}; changes in
 * between are coalesced and the last state wins. Going offline always waits one interval after the
 * last socket left, so that a reload or a quick reconnect shows nothing at all; only the end of a
 * membership is announced at once. A user's typing frames are relayed at most once per {@code
 * chatserv.typing-interval} per room; the excess is dropped silently, as typing is only a hint that
 * clients repeat anyway.
 *
 * <p>With several chatserv instances a user is online in a room while a socket follows it on any of
 * them: each instance shares its users through the Data Grid ({@link PresenceGrid}) and announces
 * the others' as its own, within the same rate limits. Typing crosses too: each instance relays
 * what its sockets type to its own followers and hands it to the grid, and relays the others'
 * typing to its followers, within the same per user and room interval (a hint: one lost on the grid
 * is harmless; docs/scaling.md).
 */
@ApplicationScoped
public class Presence implements PresenceGrid.Listener {

  @Inject
  @ConfigProperty(name = "chatserv.presence-interval")
  Duration presenceInterval;

  @Inject
  @ConfigProperty(name = "chatserv.typing-interval")
  Duration typingInterval;

  @Inject Workers workers;
  @Inject PresenceGrid grid;

  private record Watcher(Outbound outbound, User user) {}

  /** One user in one room. Guarded by the room. */
  private static final class UserState {
    final User user;
    int sockets;

    /** The other chatserv instances on which the user follows the room (PresenceGrid). */
    final Set<String> elsewhere = new HashSet<>();

    boolean announcedOnline;
    long announcedAt;
    boolean pending;
    long typedAt;

    /** When the user's last socket stopped following the room (System.nanoTime). */
    long leftAt;

    UserState(User user, long now, Duration interval) {
      this.user = user;
      // Never announced: the first change goes out at once.
      this.announcedAt = now - interval.toNanos();
      this.typedAt = now - Long.MAX_VALUE / 2;
    }
  }

  /** One room's followers and users; every change holds its lock, so frames keep their order. */
  private static final class Room {
    final Map<String, Watcher> watchers = new HashMap<>();
    final Map<String, UserState> users = new HashMap<>();
  }

  private final Map<Long, Room> rooms = new ConcurrentHashMap<>();
  private ScheduledExecutorService timers;

  @PostConstruct
  void start() {
    timers = workers.timers("chatserv-presence");
    grid.listen(this);
    timers.scheduleWithFixedDelay(
        Workers.guarded("forgetting idle users", this::forgetIdleUsers), 1, 1, TimeUnit.MINUTES);
  }

  @PreDestroy
  void stop() {
    grid.close();
    timers.shutdownNow();
  }

  /** A socket follows a room: it gets who is online, the others may hear of a new user. */
  public void enter(long roomId, Outbound outbound, User user) {
    Room room = rooms.computeIfAbsent(roomId, r -> new Room());
    synchronized (room) {
      String socket = outbound.session().getId();
      if (room.watchers.containsKey(socket)) {
        return; // subscribed again: already counted
      }
      long now = System.nanoTime();
      UserState state =
          room.users.computeIfAbsent(user.id(), id -> new UserState(user, now, presenceInterval));
      if (state.sockets++ == 0) {
        grid.here(roomId, user);
      }
      changed(roomId, room, state, now, false);
      room.watchers.put(socket, new Watcher(outbound, user));
      List<User> online = new ArrayList<>();
      room.users.values().stream().filter(s -> s.announcedOnline).forEach(s -> online.add(s.user));
      outbound.send(new ServerFrame.Presence(roomId, online));
    }
  }

  /** The socket stopped following the room; offline follows one interval later, if still so. */
  public void leave(long roomId, Session session) {
    leave(roomId, session, false);
  }

  /**
   * The socket's person is no longer a member of the room: it stops following it, and if none of
   * their sockets follows it any more, the room hears {@code offline} now, not an interval later.
   */
  public void membershipEnded(long roomId, Session session) {
    leave(roomId, session, true);
  }

  private void leave(long roomId, Session session, boolean now) {
    Room room = rooms.get(roomId);
    if (room == null) {
      return;
    }
    synchronized (room) {
      Watcher watcher = room.watchers.remove(session.getId());
      if (watcher != null) {
        UserState state = room.users.get(watcher.user.id());
        long time = System.nanoTime();
        if (--state.sockets == 0) {
          grid.gone(roomId, watcher.user.id());
          if (state.elsewhere.isEmpty()) {
            state.leftAt = time;
          }
        }
        changed(roomId, room, state, time, now);
      }
    }
  }

  /**
   * The socket is gone: it leaves every room it followed, on the presence thread, not the caller's.
   * Tyrus closes a socket (and calls this) on whichever thread wrote to it when the write failed,
   * and that thread may be announcing a change in another room, holding that room's lock: two
   * sockets closing at once then took each other's room locks in opposite order (a deadlock that
   * stopped chatserv in the benchmark, when 2,000 sockets closed together).
   */
  public void leaveAll(Session session) {
    try {
      timers.execute(
          Workers.guarded(
              "leaving the rooms of a closed socket",
              () -> rooms.keySet().forEach(room -> leave(room, session))));
    } catch (RejectedExecutionException e) {
      // Shutting down: there is nobody left to tell.
    }
  }

  /**
   * Relays "typing" to the room's other users, at most once per interval per user and room (more is
   * dropped); false when this socket does not follow the room. {@code thread} (or null) names the
   * thread typed in, as the client said.
   */
  public boolean typing(long roomId, Long thread, Session session) {
    Room room = rooms.get(roomId);
    if (room == null) {
      return false;
    }
    User typist;
    synchronized (room) {
      Watcher watcher = room.watchers.get(session.getId());
      if (watcher == null) {
        return false;
      }
      typist = watcher.user;
      if (!relayTyping(roomId, thread, room, typist)) {
        return true;
      }
    }
    grid.typed(roomId, thread, typist); // outside the room's lock: the grid never waits on it
    return true;
  }

  /**
   * A user typed in the room on another instance (which checked that their socket follows it):
   * relayed to this instance's followers, within the same interval per user and room, so that
   * typing on two instances at once is not relayed twice as often. Only sockets that follow the
   * room here hear it, and a socket stops following a room when its membership ends.
   */
  @Override
  public void elsewhereTyping(long roomId, Long thread, User user) {
    Room room = rooms.get(roomId);
    if (room == null) {
      return; // nobody follows the room here
    }
    synchronized (room) {
      relayTyping(roomId, thread, room, user);
    }
  }

  /**
   * Sends "typing" to the room's followers other than the typist, unless the typist's last typing
   * in the room was relayed less than one interval ago; false when it was dropped. Holds the room.
   */
  private boolean relayTyping(long roomId, Long thread, Room room, User typist) {
    long now = System.nanoTime();
    UserState state =
        room.users.computeIfAbsent(typist.id(), id -> new UserState(typist, now, presenceInterval));
    if (now - state.typedAt < typingInterval.toNanos()) {
      return false;
    }
    state.typedAt = now;
    ServerFrame.Encoded frame = new ServerFrame.Typing(roomId, thread, typist).encode();
    for (Watcher watcher : room.watchers.values()) {
      if (!watcher.user.id().equals(typist.id())) {
        watcher.outbound.send(frame);
      }
    }
    return true;
  }

  /**
   * Announces the user's state now, or when it is due: once the interval since the last
   * announcement is over, and for offline not before one interval after the last socket left (a
   * quick reconnect is then never seen). {@code immediately} announces now, whatever is due.
   */
  private void changed(long roomId, Room room, UserState state, long now, boolean immediately) {
    boolean online = state.sockets > 0 || !state.elsewhere.isEmpty();
    if (online == state.announcedOnline || (state.pending && !immediately)) {
      return; // nothing new, or an announcement is due anyway and will say the latest state
    }
    long interval = presenceInterval.toNanos();
    long wait = immediately ? 0 : state.announcedAt + interval - now;
    if (!online && !immediately) {
      wait = Math.max(wait, state.leftAt + interval - now);
    }
    if (wait <= 0) {
      state.announcedOnline = online;
      state.announcedAt = now;
      ServerFrame.Encoded frame =
          new ServerFrame.PresenceChange(online, roomId, state.user).encode();
      room.watchers.values().forEach(watcher -> watcher.outbound.send(frame));
      return;
    }
    state.pending = true;
    timers.schedule(
        Workers.guarded(
            "a presence announcement",
            () -> {
              synchronized (room) {
                state.pending = false;
                changed(roomId, room, state, System.nanoTime(), false);
              }
            }),
        wait,
        TimeUnit.NANOSECONDS);
  }

  /**
   * The user follows the room on another instance: online here too (announced as for a socket of
   * this instance, within the same rate limit).
   */
  @Override
  public void elsewhereOnline(long roomId, User user, String instance) {
    Room room = rooms.computeIfAbsent(roomId, r -> new Room());
    synchronized (room) {
      long now = System.nanoTime();
      UserState state =
          room.users.computeIfAbsent(user.id(), id -> new UserState(user, now, presenceInterval));
      if (state.elsewhere.add(instance)) {
        changed(roomId, room, state, now, false);
      }
    }
  }

  /**
   * The user no longer follows the room on that instance (or the instance is gone): offline once no
   * instance has them, one interval later, as for a socket of this instance.
   */
  @Override
  public void elsewhereOffline(long roomId, String userId, String instance) {
    Room room = rooms.get(roomId);
    if (room == null) {
      return;
    }
    synchronized (room) {
      UserState state = room.users.get(userId);
      if (state == null || !state.elsewhere.remove(instance)) {
        return;
      }
      long now = System.nanoTime();
      if (state.sockets == 0 && state.elsewhere.isEmpty()) {
        state.leftAt = now;
      }
      changed(roomId, room, state, now, false);
    }
  }

  /** Offline users whose limits have run out need no memory. */
  private void forgetIdleUsers() {
    long now = System.nanoTime();
    long keep = Math.max(presenceInterval.toNanos(), typingInterval.toNanos());
    for (Room room : rooms.values()) {
      synchronized (room) {
        room.users
            .values()
            .removeIf(
                s ->
                    s.sockets == 0
                        && s.elsewhere.isEmpty()
                        && !s.announcedOnline
                        && !s.pending
                        && now - s.announcedAt > keep
                        && now - s.typedAt > keep);
      }
    }
  }
}
