package teamchat.chatserv.presence.control;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.query.Predicates;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.cluster.control.GridWriter;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.FrameJson;
import teamchat.chatserv.protocol.entity.ServerFrame.User;

/**
 * Presence on Payara's Data Grid: one Hazelcast map, {@code chatserv.presence}, with an entry per
 * room, instance and user ({@code room|instance|userId} to {@code memberUuid|name}), written with a
 * time to live of {@link #TIME_TO_LIVE} and written again every {@link #REFRESH_EVERY} while the
 * user is there. Every instance listens to the map's entries coming and going (an expired one too).
 * When a member leaves the cluster, the others delete its entries at once (found by the member id
 * in the value), so the people of an instance that dies go offline within seconds; the time to live
 * is the bound for whatever that misses (a frozen member, a lost event).
 *
 * <p>Typing crosses on a plain Hazelcast topic, {@code chatserv.typing}: one small JSON String per
 * relayed typing frame (already rate-limited by the instance it was typed on), published without
 * waiting. A plain topic keeps no backlog, so a member that was frozen or cut off hears none of the
 * typing it missed, which is right for a hint that is stale a few seconds later.
 *
 * <p>Every write goes through a {@link GridWriter}, in order: {@link #here}, {@link #gone} and
 * {@link #typed} are called on the threads that handle frames, which must never wait for the grid.
 *
 * <p>The instance is named by a random id of this start, not by its Hazelcast member id, which
 * changes when a member merges after a split. Only Strings cross the grid (HazelcastEntryGrid says
 * why).
 */
@ApplicationScoped
public class HazelcastPresenceGrid implements PresenceGrid {

  private static final Logger LOG = Logger.getLogger(HazelcastPresenceGrid.class.getName());

  static final String MAP = "chatserv.presence";
  static final String TYPING_TOPIC = "chatserv.typing";
  static final Duration TIME_TO_LIVE = Duration.ofSeconds(15);
  static final Duration REFRESH_EVERY = Duration.ofSeconds(5);

  /** Payara's Data Grid member; null under {@code --nohazelcast}. */
  @Inject HazelcastInstance hazelcast;

  @Inject Workers workers;

  private final String instance = UUID.randomUUID().toString();

  /** This instance's entries, key to name: what the refresh writes again. */
  private final Map<String, String> mine = new ConcurrentHashMap<>();

  private volatile IMap<String, String> map;
  private volatile ITopic<String> typing;
  private UUID registration;
  private UUID typingRegistration;
  private UUID membershipRegistration;
  private ScheduledExecutorService refresher;
  private volatile GridWriter writer;

  @Override
  public synchronized boolean listen(Listener listener) {
    if (hazelcast == null) {
      return false;
    }
    IMap<String, String> presence = hazelcast.getMap(MAP);
    registration = presence.addEntryListener(new Changes(listener), true);
    presence.forEach(
        (key, value) -> {
          Key parsed = Key.of(key);
          if (parsed != null && !parsed.instance.equals(instance)) {
            listener.elsewhereOnline(
                parsed.room, new User(parsed.userId, nameIn(value)), parsed.instance);
          }
        });
    ITopic<String> typingTopic = hazelcast.getTopic(TYPING_TOPIC);
    typingRegistration = typingTopic.addMessageListener(message -> heardTyping(message, listener));
    typing = typingTopic;
    writer = new GridWriter(workers, "chatserv-presence-grid-writes", "presence");
    refresher = workers.timers("chatserv-presence-grid");
    membershipRegistration =
        hazelcast
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {}

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    String member = event.getMember().getUuid().toString();
                    try {
                      refresher.execute(
                          Workers.guarded(
                              "deleting the presence of a member that left",
                              () -> presence.removeAll(Predicates.like("this", member + "|%"))));
                    } catch (RejectedExecutionException e) {
                      // Closing: this instance's people leave with it.
                    }
                  }
                });
    refresher.scheduleWithFixedDelay(
        () -> writer.write(this::refresh),
        REFRESH_EVERY.toMillis(),
        REFRESH_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    map = presence;
    return true;
  }

  @Override
  public void here(long room, User user) {
    String key = Key.of(room, instance, user.id());
    mine.put(key, user.name());
    IMap<String, String> to = map;
    if (to != null) {
      writer.write(() -> write(to, key, user.name()));
    }
  }

  @Override
  public void gone(long room, String userId) {
    String key = Key.of(room, instance, userId);
    mine.remove(key);
    IMap<String, String> to = map;
    if (to != null) {
      writer.write(() -> to.removeAsync(key));
    }
  }

  @Override
  public void typed(long room, Long thread, User user) {
    ITopic<String> to = typing;
    if (to == null) {
      return;
    }
    JsonObjectBuilder json =
        FrameJson.PROVIDER
            .createObjectBuilder()
            .add("instance", instance)
            .add("room", room)
            .add("id", user.id())
            .add("name", user.name());
    if (thread != null) {
      json.add("thread", thread);
    }
    String hint = json.build().toString();
    writer.write(() -> to.publishAsync(hint));
  }

  /**
   * Typing of another instance. Runs on a Hazelcast event thread; the listener only queues frames.
   * What cannot be read (never written by this code) is dropped: it is a hint.
   */
  private void heardTyping(Message<String> message, Listener listener) {
    long room;
    Long thread;
    User user;
    try (var reader =
        FrameJson.PROVIDER.createReader(new StringReader(message.getMessageObject()))) {
      JsonObject json = reader.readObject();
      if (instance.equals(json.getString("instance"))) {
        return; // this instance relayed it to its own followers already
      }
      JsonNumber threadNumber = json.getJsonNumber("thread");
      room = json.getJsonNumber("room").longValueExact();
      thread = threadNumber == null ? null : threadNumber.longValueExact();
      user = new User(json.getString("id"), json.getString("name"));
    } catch (JsonException | ClassCastException | NullPointerException | ArithmeticException e) {
      LOG.log(Level.FINE, "unreadable typing hint on the Data Grid: {0}", String.valueOf(e));
      return;
    }
    listener.elsewhereTyping(room, thread, user);
  }

  private void refresh() {
    IMap<String, String> to = map;
    if (to != null) {
      mine.forEach((key, name) -> write(to, key, name));
    }
  }

  /**
   * Writes an entry of this instance with the member id it has now (a new one after a merge), so
   * that the others can delete it when this member leaves.
   */
  private void write(IMap<String, String> to, String key, String name) {
    String member = hazelcast.getCluster().getLocalMember().getUuid().toString();
    to.setAsync(key, member + "|" + name, TIME_TO_LIVE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The name in an entry's value ({@code memberUuid|name}; a name may hold anything). */
  private static String nameIn(String value) {
    int bar = value.indexOf('|');
    return bar < 0 ? value : value.substring(bar + 1);
  }

  @Override
  public synchronized void close() {
    if (refresher != null) {
      refresher.shutdownNow();
      writer.close();
    }
    IMap<String, String> presence = map;
    ITopic<String> typingTopic = typing;
    map = null;
    typing = null;
    if (presence == null) {
      return;
    }
    try {
      typingTopic.removeMessageListener(typingRegistration);
      presence.removeEntryListener(registration);
      hazelcast.getCluster().removeMembershipListener(membershipRegistration);
      mine.keySet().forEach(presence::removeAsync); // the others need not wait for the expiry
    } catch (RuntimeException e) {
      // Hazelcast may be shutting down first (the JVM runs every shutdown hook at once).
      LOG.log(Level.FINE, "leaving presence on the Data Grid: {0}", String.valueOf(e));
    }
  }

  /** A map key: room, instance, user id (which may hold anything, so it comes last). */
  record Key(long room, String instance, String userId) {

    static String of(long room, String instance, String userId) {
      return room + "|" + instance + "|" + userId;
    }

    static Key of(String key) {
      String[] parts = key.split("\\|", 3);
      if (parts.length != 3) {
        return null;
      }
      try {
        return new Key(Long.parseLong(parts[0]), parts[1], parts[2]);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** The other instances' entries coming (written) and going (deleted, expired, evicted). */
  private final class Changes
      implements EntryAddedListener<String, String>,
          EntryRemovedListener<String, String>,
          EntryExpiredListener<String, String>,
          EntryEvictedListener<String, String> {

    private final Listener listener;

    Changes(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      Key key = Key.of(event.getKey());
      if (key != null && !key.instance.equals(instance) && event.getValue() != null) {
        listener.elsewhereOnline(
            key.room, new User(key.userId, nameIn(event.getValue())), key.instance);
      }
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      left(event);
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      left(event);
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      left(event);
    }

    private void left(EntryEvent<String, String> event) {
      Key key = Key.of(event.getKey());
      if (key != null && !key.instance.equals(instance)) {
        listener.elsewhereOffline(key.room, key.userId, key.instance);
      }
    }
  }
}
