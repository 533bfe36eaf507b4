package teamchat.chatserv.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame;
import teamchat.chatserv.sockets.control.Connections;
import teamchat.chatserv.sockets.control.Outbound;
import teamchat.chatserv.storage.control.Batcher;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoredMessage;

/**
 * Who follows which room, and what each of them has been sent. Every subscriber receives each entry
 * of a room's seq stream (messages, edits, deletes, reactions: each has its own seq) exactly once
 * and in seq order: a subscription first replays what the client missed (read from chatfront, never
 * from this instance's memory), holding live entries back meanwhile, then continues live; an entry
 * already sent is dropped, and a gap is filled from chatfront.
 */
@ApplicationScoped
public class Subscriptions {

  private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());
  private static final int PAGE = 200;

  /**
   * How long a replayed frame is taken to be when a page is sized: a long message, its html about
   * as long, and the other fields. Frames can be longer (html of many links or mentions, many
   * reactions), so each round also sends no more than its share of the queue ({@link #catchUp}).
   */
  private static final long PLANNED_FRAME_CHARS = 4L * NewMessage.MAX_BODY_CHARACTERS + 400;

  /** How long a replay waits for a socket's queue to make room before the client counts as slow. */
  private static final long REPLAY_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(30);

  @Inject Chatfront chatfront;
  @Inject Workers workers;

  /** What one socket has been sent of one room. Guarded by itself. */
  private static final class Follow {
    final Outbound outbound;
    final String subject;
    long lastSent;
    boolean replaying = true;
    final TreeMap<Long, ServerFrame.Encoded> heldBack = new TreeMap<>();

    /**
     * The newest seq a notice of a store made outside chatserv named while this follower was
     * replaying ({@link #catchUpTo}): the replay may have read the room before that store.
     */
    long announcedWhileReplaying;

    Follow(Outbound outbound, String subject, long after) {
      this.outbound = outbound;
      this.subject = subject;
      this.lastSent = after;
    }
  }

  private final Map<Long, Map<String, Follow>> byRoom = new ConcurrentHashMap<>();
  private ExecutorService replays;

  /** Replays running at once: each holds one call to chatfront at a time. */
  static final int REPLAY_THREADS = 2;

  @PostConstruct
  void start() {
    replays = workers.pool("chatserv-replay", REPLAY_THREADS);
  }

  @PreDestroy
  void stop() {
    replays.shutdownNow();
  }

  /** Starts following a room after {@code after}; replays what is missing, then goes live. */
  public void subscribe(Outbound outbound, String subject, long room, long after) {
    Follow follow = new Follow(outbound, subject, after);
    byRoom
        .computeIfAbsent(room, r -> new ConcurrentHashMap<>())
        .put(outbound.session().getId(), follow);
    replays.execute(Workers.guarded("a replay", () -> catchUp(room, follow, true)));
  }

  public void unsubscribe(Session session, long room) {
    Map<String, Follow> followers = byRoom.get(room);
    if (followers != null) {
      followers.remove(session.getId());
    }
  }

  /**
   * Stops every socket of {@code subject} from following {@code room} (their membership ended);
   * returns the sockets that followed it, so that presence can let them go too.
   */
  public List<Outbound> dropMember(String subject, long room) {
    Map<String, Follow> followers = byRoom.get(room);
    if (followers == null) {
      return List.of();
    }
    List<Outbound> dropped = new ArrayList<>();
    followers
        .values()
        .removeIf(
            follow -> {
              if (follow.subject.equals(subject)) {
                dropped.add(follow.outbound);
                return true;
              }
              return false;
            });
    return dropped;
  }

  /** The socket is gone: it follows nothing any more. */
  public void forget(Session session) {
    byRoom.values().forEach(followers -> followers.remove(session.getId()));
  }

  /**
   * An entry of a room's seq stream as it goes out live: its frame, encoded once for every follower
   * on every instance (the Data Grid carries exactly this text).
   */
  public record LiveEntry(long room, long seq, ServerFrame.Encoded frame) {

    /** The live frames of entries just stored. */
    public static List<LiveEntry> of(List<StoredMessage> entries) {
      List<LiveEntry> live = new ArrayList<>(entries.size());
      entries.forEach(
          entry ->
              live.add(
                  new LiveEntry(entry.room(), entry.seq(), ServerFrame.entry(entry).encode())));
      return live;
    }
  }

  /**
   * Hands live entries (stored by this instance or heard from another one through the Data Grid) to
   * the rooms' followers, on the caller's thread. In any order, any number of times: an entry
   * already sent is dropped, one that comes after a gap is held back until the gap is read from
   * chatfront.
   */
  public void deliver(List<LiveEntry> entries) {
    Map<Long, List<LiveEntry>> perRoom = new HashMap<>();
    entries.forEach(
        entry -> perRoom.computeIfAbsent(entry.room(), r -> new ArrayList<>()).add(entry));
    perRoom.forEach(
        (room, frames) -> {
          Map<String, Follow> followers = byRoom.get(room);
          if (followers == null || followers.isEmpty()) {
            return;
          }
          frames.sort((a, b) -> Long.compare(a.seq(), b.seq()));
          for (Follow follow : followers.values()) {
            boolean gap = false;
            synchronized (follow) {
              for (LiveEntry frame : frames) {
                if (follow.replaying) {
                  follow.heldBack.put(frame.seq(), frame.frame());
                } else if (frame.seq() == follow.lastSent + 1) {
                  send(follow, frame.frame());
                  follow.lastSent = frame.seq();
                } else if (frame.seq() > follow.lastSent + 1) {
                  // Missed something (lost or late on the grid): fetch the gap, hold this back.
                  follow.replaying = true;
                  follow.heldBack.put(frame.seq(), frame.frame());
                  gap = true;
                }
                // seq <= lastSent: already sent, dropped.
              }
            }
            if (gap) {
              replays.execute(Workers.guarded("a gap fill", () -> catchUp(room, follow, false)));
            }
          }
        });
  }

  /** The rooms some socket of this instance follows. */
  public Set<Long> followedRooms() {
    Set<Long> rooms = new HashSet<>();
    byRoom.forEach(
        (room, followers) -> {
          if (!followers.isEmpty()) {
            rooms.add(room);
          }
        });
    return rooms;
  }

  /**
   * Makes every follower of these rooms catch up with what chatfront has, for entries that may
   * never arrive live (lost on the Data Grid while a member failed, the last of a room included: no
   * later entry would show that gap). Asks chatfront once per room for its last seq, and only
   * followers behind it read the rest, as for any gap.
   */
  public void catchUpWith(Collection<Long> rooms) {
    rooms.forEach(
        room -> replays.execute(Workers.guarded("a catch-up", () -> catchUpWithRoom(room))));
  }

  private void catchUpWithRoom(long room) {
    Map<String, Follow> followers = byRoom.get(room);
    if (followers == null) {
      return;
    }
    for (Follow asked : followers.values()) {
      long from;
      synchronized (asked) {
        from = asked.lastSent;
      }
      long last;
      try {
        last = chatfront.after(room, asked.subject, from, 1).lastSeq();
      } catch (Chatfront.NotAMember e) {
        continue; // that one left: ask as another follower
      } catch (Chatfront.Unavailable e) {
        LOG.log(
            Level.FINE, "catch-up of room {0} failed: {1}", new Object[] {room, e.getMessage()});
        return; // the next trigger or the backstop asks again
      }
      for (Follow follow : followers.values()) {
        synchronized (follow) {
          if (follow.replaying || follow.lastSent >= last) {
            continue;
          }
          follow.replaying = true;
        }
        replays.execute(Workers.guarded("a gap fill", () -> catchUp(room, follow, false)));
      }
      return;
    }
  }

  /**
   * Entries up to {@code seq} of {@code room} were stored outside chatserv (chatfront's feed of
   * such stores: the public API, webhooks, bots), so no live frame of theirs will come: the room's
   * live followers that are behind read them from chatfront. When few are missing (the usual case:
   * one post), the room is read once, as one of its followers, and the entries go to every follower
   * as live ones do ({@link #deliver}: what a follower was sent already is dropped, a gap waits for
   * its fill); a follower still behind after that (a read that failed, many entries missing) reads
   * its own gap, as for any gap. A follower replaying now looks again when its replay is done.
   */
  public void catchUpTo(long room, long seq) {
    replays.execute(Workers.guarded("a catch-up", () -> catchUpToNow(room, seq)));
  }

  /** The most entries read once for all of a room's followers; more are read per follower. */
  static final int SHARED_READ = 20;

  private void catchUpToNow(long room, long seq) {
    Map<String, Follow> followers = byRoom.get(room);
    if (followers == null) {
      return;
    }
    Follow furthestBehind = null;
    long from = seq;
    for (Follow follow : followers.values()) {
      synchronized (follow) {
        if (follow.replaying) {
          follow.announcedWhileReplaying = Math.max(follow.announcedWhileReplaying, seq);
        } else if (follow.lastSent < from) {
          from = follow.lastSent;
          furthestBehind = follow;
        }
      }
    }
    if (furthestBehind == null) {
      return; // every follower has it, or is replaying (and looks again when done)
    }
    if (seq - from <= SHARED_READ) {
      try {
        MessagePage page = chatfront.after(room, furthestBehind.subject, from, SHARED_READ);
        List<LiveEntry> entries = new ArrayList<>(page.messages().size());
        page.messages()
            .forEach(
                entry ->
                    entries.add(
                        new LiveEntry(
                            room, entry.seq(), ServerFrame.entry(entry, page.lastSeq()).encode())));
        deliver(entries);
      } catch (Chatfront.NotAMember | Chatfront.Unavailable e) {
        LOG.log(
            Level.FINE,
            "room {0} read for its followers failed: {1}",
            new Object[] {room, e.toString()});
      }
    }
    for (Follow follow : followers.values()) {
      synchronized (follow) {
        if (follow.replaying || follow.lastSent >= seq) {
          continue;
        }
        follow.replaying = true;
      }
      replays.execute(Workers.guarded("a gap fill", () -> catchUp(room, follow, false)));
    }
  }

  /**
   * Entries a resend found stored: a follower that has not been sent one yet (its first store was
   * abandoned by chatserv and committed anyway, so no live frame ever went out) reads the room from
   * chatfront after its last seq, in its current state, as for any gap. Without this a room whose
   * last message was such a one would not show it until another message came.
   */
  void catchUpWithFound(@Observes Batcher.FoundStored found) {
    Map<Long, Long> newestPerRoom = new HashMap<>();
    found.entries().forEach(entry -> newestPerRoom.merge(entry.room(), entry.seq(), Math::max));
    newestPerRoom.forEach(
        (room, newest) -> {
          Map<String, Follow> followers = byRoom.get(room);
          if (followers == null) {
            return;
          }
          for (Follow follow : followers.values()) {
            synchronized (follow) {
              if (follow.replaying || follow.lastSent >= newest) {
                continue;
              }
              follow.replaying = true;
            }
            replays.execute(Workers.guarded("a gap fill", () -> catchUp(room, follow, false)));
          }
        });
  }

  /**
   * Sends what chatfront has after the last sent seq, then what was held back; "subscribed" once.
   */
  private void catchUp(long room, Follow follow, boolean initial) {
    try {
      while (true) {
        Outbound outbound = follow.outbound;
        int pageSize = roomInQueue(outbound);
        if (pageSize == 0) {
          return; // too slow: closed, the client resumes with the last seq it saw
        }
        long from;
        synchronized (follow) {
          from = follow.lastSent;
        }
        MessagePage page = chatfront.after(room, follow.subject, from, pageSize);
        List<StoredMessage> entries = page.messages();
        List<ServerFrame.Encoded> frames = new ArrayList<>(entries.size());
        entries.forEach(entry -> frames.add(ServerFrame.entry(entry, page.lastSeq()).encode()));
        // Frames can be far longer than planned: the first one waits until it fits, the others
        // go only within this round's share of the queue; the rest is read again next round.
        if (!frames.isEmpty() && !roomFor(outbound, frames.get(0).text().length())) {
          return;
        }
        long budget = outbound.freeChars() / 4;
        synchronized (follow) {
          boolean wholePageSent = true;
          long sentChars = 0;
          for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).seq() == follow.lastSent + 1) {
              int length = frames.get(i).text().length();
              sentChars += length;
              if (sentChars > budget && sentChars > length) {
                wholePageSent = false;
                break; // at least one frame per round, so a replay always moves on
              }
              send(follow, frames.get(i));
              follow.lastSent = entries.get(i).seq();
            }
          }
          if (wholePageSent && page.messages().size() < pageSize) {
            // Caught up with what chatfront had; now what arrived live meanwhile, in order.
            for (Map.Entry<Long, ServerFrame.Encoded> held : follow.heldBack.entrySet()) {
              if (held.getKey() == follow.lastSent + 1) {
                send(follow, held.getValue());
                follow.lastSent = held.getKey();
              } else if (held.getKey() > follow.lastSent + 1) {
                break; // still a gap: another round
              }
            }
            follow.heldBack.headMap(follow.lastSent + 1).clear();
            if (follow.heldBack.isEmpty()) {
              follow.replaying = false;
              if (initial) {
                send(follow, new ServerFrame.Subscribed(room, follow.lastSent).encode());
              }
              if (follow.lastSent < follow.announcedWhileReplaying) {
                // A store made outside chatserv was announced while this replay read: it may
                // have read the room before that store. Once more, now live (once per notice).
                catchUpTo(room, follow.announcedWhileReplaying);
              }
              follow.announcedWhileReplaying = 0;
              return;
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Chatfront.NotAMember e) {
      unsubscribe(follow.outbound.session(), room);
      follow.outbound.send(
          ServerFrame.Error.of(
              "not_a_member", "You are not a member of this room.", false, null, room));
    } catch (Chatfront.Unavailable e) {
      // Chatfront logged the outage once; each replay it costs is a detail.
      LOG.log(Level.FINE, "replay of room {0} failed: {1}", new Object[] {room, e.getMessage()});
      unsubscribe(follow.outbound.session(), room);
      follow.outbound.send(
          ServerFrame.Error.of(
              "unavailable", "History is unavailable; subscribe again.", true, null, room));
    } catch (RuntimeException | Error e) {
      // A replay that fails unexpectedly must not leave the room held back for this socket
      // forever: it stops following, and the client subscribes again with its last seq.
      Workers.failed("the replay of room " + room, e);
      unsubscribe(follow.outbound.session(), room);
      follow.outbound.send(
          ServerFrame.Error.of(
              "internal", "Something went wrong; subscribe again.", true, null, room));
    }
  }

  /**
   * How many messages the next replay page may have, so that it fits into a quarter of the socket's
   * free queue (two replays run at once, and live frames need room too). Waits while the client
   * reads what it has; a client that makes no room within the patience is too slow and closed: 0.
   */
  private static int roomInQueue(Outbound outbound) throws InterruptedException {
    long[] fitting = new long[1];
    boolean room =
        awaitRoom(
            outbound,
            () -> {
              fitting[0] =
                  Math.min(
                      outbound.freeFrames() / 4, outbound.freeChars() / 4 / PLANNED_FRAME_CHARS);
              return fitting[0] >= 1;
            });
    return room ? (int) Math.min(PAGE, fitting[0]) : 0;
  }

  /**
   * Waits until a frame of {@code chars} characters takes at most half of the socket's free queue,
   * or the queue is empty (a frame longer than that goes alone); false when the client is too slow.
   */
  private static boolean roomFor(Outbound outbound, int chars) throws InterruptedException {
    return awaitRoom(outbound, () -> outbound.freeChars() >= 2L * chars || outbound.drained());
  }

  /**
   * Waits while the client reads what it has until {@code enough}; a client that makes no room
   * within the patience is too slow and closed: false, as for a socket that is closing.
   */
  private static boolean awaitRoom(Outbound outbound, BooleanSupplier enough)
      throws InterruptedException {
    long deadline = System.nanoTime() + REPLAY_PATIENCE_NANOS;
    while (true) {
      if (outbound.finished()) {
        return false;
      }
      if (enough.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        Connections.close(
            outbound.session(),
            Outbound.TOO_SLOW.getCloseCode(),
            Outbound.TOO_SLOW.getReasonPhrase());
        return false;
      }
      Thread.sleep(20);
    }
  }

  private static void send(Follow follow, ServerFrame.Encoded frame) {
    follow.outbound.send(frame);
  }
}
