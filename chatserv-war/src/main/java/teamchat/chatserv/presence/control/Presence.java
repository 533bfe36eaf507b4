package teamchat.chatserv.presence.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.chatserv.delivery.control.Frames;
import teamchat.chatserv.delivery.control.Frames.User;
import teamchat.chatserv.delivery.control.Outbound;
import teamchat.chatserv.health.control.Workers;

/**
 * Who is online in each room, and typing indicators. A user is online in a room while at least one
 * of their sockets follows it (subscribed); a new follower gets the list at once ({@code
 * presence}), and every follower hears when a user comes ({@code online}) or goes ({@code
 * offline}).
 *
 * <p>Rate limits, so that a flapping connection or a fast typist cannot flood a room: a user's
 * presence in a room is announced at most once per {@code chatserv.presence-interval}; changes in
 * between are coalesced and the last state wins (a reload within the interval shows nothing at
 * all). A user's typing frames are relayed at most once per {@code chatserv.typing-interval} per
 * room; the excess is dropped silently, as typing is only a hint that clients repeat anyway.
 *
 * <p>This is one instance's view: with several chatserv instances, a room's presence would have to
 * be shared through the Data Grid (as clustered events), which no part of this class precludes.
 */
@ApplicationScoped
public class Presence {

  @Inject
  @ConfigProperty(name = "chatserv.presence-interval")
  Duration presenceInterval;

  @Inject
  @ConfigProperty(name = "chatserv.typing-interval")
  Duration typingInterval;

  /** What a typing frame came to. */
  public enum Typing {
    RELAYED,
    DROPPED,
    NOT_FOLLOWING
  }

  private record Watcher(Outbound outbound, User user) {}

  /** One user in one room. Guarded by the room. */
  private static final class UserState {
    final User user;
    int sockets;
    boolean announcedOnline;
    long announcedAt;
    boolean pending;
    long typedAt;

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
    timers =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "chatserv-presence");
              thread.setDaemon(true);
              return thread;
            });
    timers.scheduleWithFixedDelay(
        Workers.guarded("forgetting idle users", this::forgetIdleUsers), 1, 1, TimeUnit.MINUTES);
  }

  @PreDestroy
  void stop() {
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
      state.sockets++;
      changed(roomId, room, state, now);
      room.watchers.put(socket, new Watcher(outbound, user));
      List<User> online = new ArrayList<>();
      room.users.values().stream().filter(s -> s.announcedOnline).forEach(s -> online.add(s.user));
      outbound.send(Frames.presence(roomId, online));
    }
  }

  /** The socket stopped following the room. */
  public void leave(long roomId, Session session) {
    Room room = rooms.get(roomId);
    if (room == null) {
      return;
    }
    synchronized (room) {
      Watcher watcher = room.watchers.remove(session.getId());
      if (watcher != null) {
        UserState state = room.users.get(watcher.user.id());
        state.sockets--;
        changed(roomId, room, state, System.nanoTime());
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

  /** Relays "typing" to the room's other users, at most once per interval per user and room. */
  public Typing typing(long roomId, Session session) {
    Room room = rooms.get(roomId);
    if (room == null) {
      return Typing.NOT_FOLLOWING;
    }
    synchronized (room) {
      Watcher typist = room.watchers.get(session.getId());
      if (typist == null) {
        return Typing.NOT_FOLLOWING;
      }
      UserState state = room.users.get(typist.user.id());
      long now = System.nanoTime();
      if (now - state.typedAt < typingInterval.toNanos()) {
        return Typing.DROPPED;
      }
      state.typedAt = now;
      String frame = Frames.typing(roomId, typist.user);
      for (Watcher watcher : room.watchers.values()) {
        if (!watcher.user.id().equals(typist.user.id())) {
          watcher.outbound.send(frame);
        }
      }
      return Typing.RELAYED;
    }
  }

  /** Announces the user's state now, or once the interval since the last announcement is over. */
  private void changed(long roomId, Room room, UserState state, long now) {
    boolean online = state.sockets > 0;
    if (online == state.announcedOnline || state.pending) {
      return; // nothing new, or an announcement is due anyway and will say the latest state
    }
    long wait = state.announcedAt + presenceInterval.toNanos() - now;
    if (wait <= 0) {
      state.announcedOnline = online;
      state.announcedAt = now;
      String frame = Frames.presenceChange(online ? "online" : "offline", roomId, state.user);
      room.watchers.values().forEach(watcher -> watcher.outbound.send(frame));
      return;
    }
    state.pending = true;
    timers.schedule(
        () -> {
          synchronized (room) {
            state.pending = false;
            changed(roomId, room, state, System.nanoTime());
          }
        },
        wait,
        TimeUnit.NANOSECONDS);
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
                        && !s.announcedOnline
                        && !s.pending
                        && now - s.announcedAt > keep
                        && now - s.typedAt > keep);
      }
    }
  }
}
