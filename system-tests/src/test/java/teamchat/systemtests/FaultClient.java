package teamchat.systemtests;

import jakarta.json.Json;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.Frame;

/**
 * One client of {@link FaultIT}: a thread that adds a new entry every {@link #NEW_ENTRY_EVERY_MS}
 * round the rooms until told to stop (mostly messages; a share are edits and deletes of its own
 * messages and reactions added to or taken from anyone's), resends what is not acked (same client
 * id), follows every room, records what it receives and applies it to its own view of each room as
 * a person's page does, and reconnects (subscribing with the last seq of each room) when its socket
 * ends. Every answer is kept with the time it came, so that the test can judge afterwards what was
 * true and how fast each fault was over.
 */
final class FaultClient extends Thread {

  /** A new entry per client every second: 20 a second from 20 clients, for the whole run. */
  static final long NEW_ENTRY_EVERY_MS = 1000;

  /** Every this many new messages is a probe of honesty rather than of durability. */
  static final int PROBE_EVERY = 5;

  /**
   * Of every 100 new entries, about this many are edits of the client's own messages, deletes of
   * them and reactions (the rest are messages): every fault meets each kind in flight.
   */
  static final int EDITS_PER_100 = 20;

  static final int DELETES_PER_100 = 7;
  static final int REACTIONS_PER_100 = 23;

  /** The emoji reacted with: an emoji as typed, one with a variation selector, a shortcode. */
  static final List<String> EMOJI = List.of("\uD83D\uDC4D", "\u2764\uFE0F", ":eyes:");

  /**
   * An unacked entry is sent again (same client id) this long after its last send, once that send
   * was answered (an error with {@code retry: true}) or can no longer be (its socket ended). One
   * that chatserv still holds unanswered (queued while chatfront hangs) is not sent again before
   * {@link #UNANSWERED_RESEND_AFTER_MS}: a client that piles up copies of one id in chatserv's
   * store queue measures its own flood, not how soon the system recovers (as the web app, which
   * resends one after the other, does not).
   */
  static final long RESEND_AFTER_MS = 3000;

  /** A send that chatserv left unanswered this long is sent again all the same (counted). */
  static final long UNANSWERED_RESEND_AFTER_MS = 20_000;

  /** After sending stops, how long everything may take to be acked. */
  static final long SETTLE_SECONDS = 120;

  /** The kinds of entry stored (chatfront's {@code message.kind}), every one of which it sends. */
  static final Set<String> KINDS = Set.of("message", "edit", "delete", "react", "unreact");

  /** The frames that are entries of a room's stream: each has its own seq. */
  static final Set<String> ENTRY_FRAMES =
      Set.of("message", "edited", "deleted", "reaction", "entry");

  /**
   * One entry this client sent; {@code ack} is null until acked. A probe is given up when chatserv
   * answers {@code not_stored} (never sent again), as a person would give up a message they were
   * told does not exist: the database must then not have it. Any other entry is resent until acked;
   * an {@code outcome_unknown} is resolved by a resend with the same id, probe or not. A reaction
   * to someone else's message may be refused for good with {@code message_deleted} (its author
   * deleted it meanwhile): then it must not be stored, and its target must be deleted.
   *
   * @param kind the stored kind: message, edit, delete, react or unreact
   * @param target the message an edit, delete or reaction is about (0 for a message)
   */
  static final class Sent {
    final String clientMsgId;
    final long room;
    final String kind;
    final long target;
    final String body;
    final String emoji;
    final boolean probe;

    /** When it was first sent, and last sent (System.nanoTime). */
    final long firstSentAt;

    long lastSentAt;

    /** Whether its last send still waits for an answer, and on which socket it went. */
    boolean awaitingAnswer;

    int sentOnSocket;

    Frame ack;

    /** When its first ack came (System.nanoTime), 0 before. */
    long ackedAt;

    boolean givenUp;

    /** The code it was refused with for good ({@code message_deleted}), or null. */
    String refused;

    /**
     * What happened to it, in order: each send (with the socket it went on), answer and close of
     * its socket, and when (System.nanoTime). A recovery slower than its bound prints the slowest
     * client's history, which says where the time went.
     */
    final List<Happened> history = new ArrayList<>();

    Sent(
        String clientMsgId,
        long room,
        String kind,
        long target,
        String body,
        String emoji,
        boolean probe,
        long now) {
      this.clientMsgId = clientMsgId;
      this.room = room;
      this.kind = kind;
      this.target = target;
      this.body = body;
      this.emoji = emoji;
      this.probe = probe;
      this.firstSentAt = now;
    }

    /** Still waiting for an answer that settles it: an ack, or not_stored, or a refusal. */
    boolean open() {
      return ack == null && !givenUp && refused == null;
    }

    /** The id of the stored entry (acked), else 0. */
    long id() {
      return ack == null ? 0 : ((Number) ack.get("id")).longValue();
    }
  }

  /**
   * A message as this client shows it: its text, whether it was edited or deleted (a tombstone
   * keeps neither text nor reactions), and who reacted with what.
   */
  record Shown(
      String sender, String body, boolean edited, boolean deleted, Map<String, Set<String>> by) {

    /** A tombstone shows no edit mark: the text it was about is gone. */
    static Shown of(
        String sender, String body, boolean edited, boolean deleted, Map<String, Set<String>> by) {
      Map<String, Set<String>> reactions = new TreeMap<>();
      if (!deleted) {
        by.forEach((emoji, users) -> reactions.put(emoji, new TreeSet<>(users)));
        reactions.values().removeIf(Set::isEmpty);
      }
      return new Shown(sender, deleted ? null : body, edited && !deleted, deleted, reactions);
    }
  }

  /** A message of this client's view, and the room's seq its state is as of. */
  private static final class Held {
    Shown shown;
    final long stateSeq;

    Held(Shown shown, long stateSeq) {
      this.shown = shown;
      this.stateSeq = stateSeq;
    }
  }

  final int index;
  final String subject;
  private final URI webSocket;
  private final String token;
  final List<Long> rooms;
  private final AtomicBoolean sendingDone;
  private final Random random;

  /** Every entry sent, in the order first sent. Read by others only after the thread ended. */
  final Map<String, Sent> sent = new LinkedHashMap<>();

  /** The ids of every entry of each room, in the order received. */
  final Map<Long, List<Long>> transcripts = new ConcurrentHashMap<>();

  final Map<Long, Long> lastSeq = new HashMap<>();

  /** Each room's messages by id, as this client shows them. */
  private final Map<Long, Map<Long, Held>> views = new HashMap<>();

  /** Rooms whose subscription failed (history unavailable), and when to subscribe again. */
  private final Map<Long, Long> resubscribeAt = new HashMap<>();

  /**
   * When the newest entry (by first send) that has an ack was first sent: the test waits for every
   * client to have one sent after a fault ended.
   */
  volatile long newestAckedSentAt = Long.MIN_VALUE;

  /** When the last new ack came (System.nanoTime). */
  volatile long lastAckAt = System.nanoTime();

  volatile Throwable failure;
  private Frame lastError;

  /** How many sockets this client has been welcomed on: a send's answer comes on its own. */
  private int socketsWelcomed;

  int resends;

  /** Resends of an entry whose last send chatserv never answered (on a socket still open). */
  int resendsUnanswered;

  int differentAcks;
  int outOfOrder;
  int notStored;
  int outcomeUnknown;
  int rateLimited;

  /** When each refusal came (System.nanoTime), by its code: the table counts them per fault. */
  final Map<String, List<Long>> refusals = new HashMap<>();

  /**
   * A socket that ended under this client, or a connection that failed: why ({@code 1013 no_pong},
   * {@code 1008 token_invalid}, {@code connect failed: ...}) and when (System.nanoTime).
   */
  record Close(String why, long at) {}

  /** One step of an entry's {@link Sent#history}. */
  record Happened(String what, long at) {}

  /** Every socket that ended under this client, and every failed connection, in order. */
  final List<Close> closes = new ArrayList<>();

  /**
   * Upgrades answered with an HTTP status that does not mean "not ready, come back" (a 404 or 500
   * of a chatserv whose port is open before its endpoint is deployed), by status. A refused
   * connection and a 503 are clean answers of a server that is away or starting.
   */
  final Map<Integer, Integer> upgradesAnsweredFalsely = new TreeMap<>();

  private ChatClient socket;

  FaultClient(
      int index,
      String subject,
      URI webSocket,
      String token,
      List<Long> rooms,
      AtomicBoolean sendingDone) {
    super("fault-client-" + index);
    this.index = index;
    this.subject = subject;
    this.webSocket = webSocket;
    this.token = token;
    this.rooms = rooms;
    this.sendingDone = sendingDone;
    this.random = new Random(index);
    rooms.forEach(
        room -> {
          transcripts.put(room, new ArrayList<>());
          lastSeq.put(room, 0L);
          views.put(room, new HashMap<>());
        });
  }

  /** Each room's messages as this client shows them, by id. Only after the thread ended. */
  Map<Long, Map<Long, Shown>> views() {
    Map<Long, Map<Long, Shown>> shown = new HashMap<>();
    views.forEach(
        (room, held) -> {
          Map<Long, Shown> messages = new TreeMap<>();
          held.forEach((id, h) -> messages.put(id, h.shown));
          shown.put(room, messages);
        });
    return shown;
  }

  /** The entries sent of a kind. */
  long sentOfKind(String kind) {
    return sent.values().stream().filter(s -> s.kind.equals(kind)).count();
  }

  @Override
  public void run() {
    try {
      connect();
      long nextNew = System.currentTimeMillis();
      long deadline = Long.MAX_VALUE;
      while (!sendingDone.get() || sent.values().stream().anyMatch(Sent::open)) {
        if (sendingDone.get() && deadline == Long.MAX_VALUE) {
          deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              sent.values().stream().filter(Sent::open).count()
                  + " entries still unacked "
                  + SETTLE_SECONDS
                  + " s after sending stopped; last error: "
                  + lastError);
        }
        long now = System.currentTimeMillis();
        if (!sendingDone.get() && now >= nextNew) {
          Sent entry = next(rooms.get(sent.size() % rooms.size()));
          sent.put(entry.clientMsgId, entry);
          post(entry);
          nextNew = now + NEW_ENTRY_EVERY_MS;
        }
        // At most one resend per round: within the per-user send rate while an outage lasts.
        for (Sent entry : sent.values()) {
          long since = System.nanoTime() - entry.lastSentAt;
          boolean unanswered = entry.awaitingAnswer && entry.sentOnSocket == socketsWelcomed;
          if (entry.open()
              && since > TimeUnit.MILLISECONDS.toNanos(RESEND_AFTER_MS)
              && (!unanswered
                  || since > TimeUnit.MILLISECONDS.toNanos(UNANSWERED_RESEND_AFTER_MS))) {
            resends++;
            if (unanswered) {
              resendsUnanswered++;
            }
            post(entry);
            break;
          }
        }
        receive(100);
      }
    } catch (Throwable e) {
      failure = e;
    }
  }

  /**
   * The next new entry for a room. An edit or delete is of one of this client's own acked messages
   * that is not deleted and has nothing of this client's about it in flight, and nothing is sent
   * about a message after its delete: so no change of its own can meet its own delete (which would
   * be refused for good). Half the reactions take away one this client shows as its own; the rest
   * are to any message it shows, not deleted, adding the emoji if its view lacks it, else taking it
   * away.
   */
  private Sent next(long room) {
    String id = "c" + index + "-e" + sent.size();
    int roll = random.nextInt(100);
    long now = System.nanoTime();
    if (roll < EDITS_PER_100 + DELETES_PER_100) {
      List<Long> own = ownChangeable(room);
      if (!own.isEmpty()) {
        long target = own.get(random.nextInt(own.size()));
        return roll < EDITS_PER_100
            ? new Sent(
                id, room, "edit", target, "edit " + id + " " + UUID.randomUUID(), null, false, now)
            : new Sent(id, room, "delete", target, null, null, false, now);
      }
    } else if (roll < EDITS_PER_100 + DELETES_PER_100 + REACTIONS_PER_100) {
      // Not about a message of its own that it is deleting (or deleted, its view may lag): that
      // reaction would be refused for good.
      Set<Long> deleting = new TreeSet<>();
      sent.values().stream()
          .filter(s -> s.kind.equals("delete"))
          .forEach(s -> deleting.add(s.target));
      List<Map.Entry<Long, String>> mine = new ArrayList<>();
      views
          .get(room)
          .forEach(
              (message, held) ->
                  held.shown
                      .by()
                      .forEach(
                          (emoji, users) -> {
                            if (users.contains(subject) && !deleting.contains(message)) {
                              mine.add(Map.entry(message, emoji));
                            }
                          }));
      if (!mine.isEmpty() && random.nextBoolean()) {
        Map.Entry<Long, String> taken = mine.get(random.nextInt(mine.size()));
        return new Sent(id, room, "unreact", taken.getKey(), null, taken.getValue(), false, now);
      }
      List<Map.Entry<Long, Held>> shown =
          views.get(room).entrySet().stream()
              .filter(e -> !e.getValue().shown.deleted() && !deleting.contains(e.getKey()))
              .toList();
      if (!shown.isEmpty()) {
        Map.Entry<Long, Held> target = shown.get(random.nextInt(shown.size()));
        String emoji = EMOJI.get(random.nextInt(EMOJI.size()));
        boolean on = !target.getValue().shown.by().getOrDefault(emoji, Set.of()).contains(subject);
        return new Sent(
            id, room, on ? "react" : "unreact", target.getKey(), null, emoji, false, now);
      }
    }
    long messages = sentOfKind("message");
    boolean probe = messages % PROBE_EVERY == PROBE_EVERY - 1;
    return new Sent(
        id,
        room,
        "message",
        0,
        (probe ? "probe " : "set ") + id + " " + UUID.randomUUID(),
        null,
        probe,
        now);
  }

  /**
   * This client's acked messages of a room that it may still edit or delete (see {@link #next}).
   */
  private List<Long> ownChangeable(long room) {
    Set<Long> busy = new TreeSet<>();
    for (Sent s : sent.values()) {
      if (s.target != 0 && (s.open() || s.kind.equals("delete"))) {
        busy.add(s.target);
      }
    }
    List<Long> own = new ArrayList<>();
    for (Sent s : sent.values()) {
      if (s.room == room && s.kind.equals("message") && s.ack != null && !busy.contains(s.id())) {
        own.add(s.id());
      }
    }
    return own;
  }

  private void post(Sent entry) throws Exception {
    entry.lastSentAt = System.nanoTime();
    entry.awaitingAnswer = true;
    entry.sentOnSocket = socketsWelcomed;
    entry.history.add(new Happened("sent on socket " + socketsWelcomed, entry.lastSentAt));
    try {
      switch (entry.kind) {
        case "message" -> socket.sendMessage(entry.room, entry.clientMsgId, entry.body);
        case "edit" -> socket.edit(entry.room, entry.clientMsgId, entry.target, entry.body);
        case "delete" -> socket.delete(entry.room, entry.clientMsgId, entry.target);
        case "react", "unreact" ->
            socket.react(
                entry.room,
                entry.clientMsgId,
                entry.target,
                entry.emoji,
                entry.kind.equals("react"));
        default -> throw new IllegalStateException(entry.kind);
      }
    } catch (Exception e) {
      reconnect(); // the socket ended; the entry is resent later like any unacked one
    }
  }

  /**
   * Connects and signs in, trying again every second until chatserv welcomes the client (its token
   * stays valid for the whole run: every refusal is counted).
   */
  private void connect() throws Exception {
    while (true) {
      try {
        socket = ChatClient.connectUnauthenticated(webSocket);
        socket.send(Json.createObjectBuilder().add("type", "auth").add("token", token).build());
        Optional<Frame> welcome = socket.awaitUnlessClosed(ChatClient.type("welcome"));
        if (welcome.isPresent()) {
          socketsWelcomed++;
          break;
        }
        countClose();
      } catch (Exception | AssertionError e) {
        closes.add(new Close("connect failed: " + why(e), System.nanoTime()));
        upgradeStatus(e)
            .filter(status -> status != 503)
            .ifPresent(status -> upgradesAnsweredFalsely.merge(status, 1, Integer::sum));
        if (socket != null) {
          socket.close();
        }
      }
      Thread.sleep(1000);
    }
    for (long room : rooms) {
      socket.subscribe(room, lastSeq.get(room));
    }
  }

  /** The innermost cause's class and message: how the upgrade was refused (404, 500, 503...). */
  private static String why(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    return cause.getClass().getSimpleName()
        + (message.length() > 60 ? ": " + message.substring(0, 60) : ": " + message);
  }

  /** The HTTP status an upgrade was answered with instead of 101, if it got one. */
  private static Optional<Integer> upgradeStatus(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof WebSocketHandshakeException refused) {
        return Optional.of(refused.getResponse().statusCode());
      }
    }
    return Optional.empty();
  }

  private void countClose() throws Exception {
    closes.add(new Close(socket.closed().get() + " " + socket.closeReason(), System.nanoTime()));
  }

  private void reconnect() throws Exception {
    if (socket.closed().isDone()) {
      countClose();
    } else {
      closes.add(new Close("send failed on an open socket", System.nanoTime()));
    }
    socket.close();
    connect();
  }

  /** Handles frames for up to {@code millis}. */
  private void receive(long millis) throws Exception {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (var due : List.copyOf(resubscribeAt.entrySet())) {
      if (due.getValue() <= System.currentTimeMillis()) {
        resubscribeAt.remove(due.getKey());
        socket.subscribe(due.getKey(), lastSeq.get(due.getKey()));
      }
    }
    while (System.nanoTime() < until) {
      Frame frame = socket.frames().poll(20, TimeUnit.MILLISECONDS);
      if (frame == null) {
        if (socket.closed().isDone() && socket.frames().isEmpty()) {
          reconnect();
        }
        continue;
      }
      handle(frame);
    }
  }

  private void handle(Frame frame) {
    if (ENTRY_FRAMES.contains(frame.type())) {
      entry(frame);
      return;
    }
    switch (frame.type()) {
      case "ack" -> {
        Sent entry = sent.get((String) frame.get("client_msg_id"));
        entry.history.add(new Happened("ack", System.nanoTime()));
        if (entry.ack == null) {
          entry.ack = frame;
          entry.ackedAt = System.nanoTime();
          lastAckAt = entry.ackedAt;
          newestAckedSentAt = Math.max(newestAckedSentAt, entry.firstSentAt);
        } else if (!entry.ack.equals(frame)) {
          differentAcks++; // a resend stored a second time: counted, and reported at the end
        }
      }
      case "error" -> error(frame);
      default -> {
        // hello, welcome, subscribed, presence: nothing to check here
      }
    }
  }

  private void error(Frame frame) {
    lastError = frame;
    String code = String.valueOf(frame.get("code"));
    Sent entry = sent.get((String) frame.get("client_msg_id"));
    if (entry != null) {
      entry.awaitingAnswer = false;
      entry.history.add(new Happened("error " + code, System.nanoTime()));
    }
    if (!Boolean.TRUE.equals(frame.get("retry"))) {
      if (code.equals("message_deleted")
          && entry != null
          && entry.kind.contains("react")
          && entry.ack == null
          && !ownMessage(entry.target)) {
        entry.refused = code; // its author deleted it meanwhile: checked against the database
        return;
      }
      throw new AssertionError(
          "refused for good: "
              + frame
              + (entry == null ? "" : " (a " + entry.kind + " of message " + entry.target + ")"));
    }
    refusals.computeIfAbsent(code, c -> new ArrayList<>()).add(System.nanoTime());
    switch (code) {
      case "not_stored" -> {
        notStored++;
        if (entry != null && entry.probe && entry.ack == null) {
          entry.givenUp = true; // told it does not exist: never sent again
        }
      }
      case "rate_limited" -> rateLimited++; // far below the per-user rate: misleading
      case "outcome_unknown" -> outcomeUnknown++;
      default -> {
        // unavailable and the like: true, and resent like any unacked entry
      }
    }
    if (frame.get("client_msg_id") == null && frame.get("room") != null) {
      // A subscription (or its gap fill) failed while chatfront was away: follow again.
      resubscribeAt.put(
          ((Number) frame.get("room")).longValue(), System.currentTimeMillis() + 1000);
    }
    // Anything with retry: true is resent after RESEND_AFTER_MS, same client id.
  }

  private boolean ownMessage(long id) {
    return sent.values().stream().anyMatch(s -> s.kind.equals("message") && s.id() == id);
  }

  /**
   * An entry of a room's stream: counted in the transcript, then applied to the view as
   * docs/protocol.md says (a change at or before the seq its message's state is as of is in that
   * state already; one about a message this client does not hold only counts).
   */
  private void entry(Frame frame) {
    long room = ((Number) frame.get("room")).longValue();
    long seq = ((Number) frame.get("seq")).longValue();
    if (seq != lastSeq.get(room) + 1) {
      outOfOrder++; // the transcript check at the end reports it
    }
    lastSeq.put(room, Math.max(seq, lastSeq.get(room)));
    transcripts.get(room).add(((Number) frame.get("id")).longValue());
    Map<Long, Held> view = views.get(room);
    if (frame.type().equals("message")) {
      Map<String, Set<String>> by = new TreeMap<>();
      if (frame.get("reactions") instanceof List<?> reactions) {
        for (Object reaction : reactions) {
          Map<?, ?> r = (Map<?, ?>) reaction;
          Set<String> users = new TreeSet<>();
          ((List<?>) r.get("users")).forEach(u -> users.add((String) u));
          by.put((String) r.get("emoji"), users);
        }
      }
      Object stateSeq = frame.get("state_seq");
      view.put(
          ((Number) frame.get("id")).longValue(),
          new Held(
              Shown.of(
                  (String) frame.get("sender"),
                  (String) frame.get("body"),
                  frame.get("edited_at") != null,
                  Boolean.TRUE.equals(frame.get("deleted")),
                  by),
              stateSeq == null ? seq : ((Number) stateSeq).longValue()));
      return;
    }
    if (frame.get("target") == null) {
      return; // an entry of a kind newer than this client: its seq is all it needs
    }
    Held target = view.get(((Number) frame.get("target")).longValue());
    if (target == null || seq <= target.stateSeq) {
      return;
    }
    Shown was = target.shown;
    Map<String, Set<String>> by = new TreeMap<>(was.by());
    switch (frame.type()) {
      case "edited" -> {
        String body = frame.get("body") == null ? was.body() : (String) frame.get("body");
        target.shown = Shown.of(was.sender(), body, true, was.deleted(), by);
      }
      case "deleted" -> target.shown = Shown.of(was.sender(), null, was.edited(), true, by);
      case "reaction" -> {
        String emoji = (String) frame.get("emoji");
        Set<String> users = new TreeSet<>(by.getOrDefault(emoji, Set.of()));
        if (Boolean.TRUE.equals(frame.get("on"))) {
          users.add((String) frame.get("sender"));
        } else {
          users.remove((String) frame.get("sender"));
        }
        by.put(emoji, users);
        target.shown = Shown.of(was.sender(), was.body(), was.edited(), was.deleted(), by);
      }
      default -> {
        // "entry": a kind this client does not know; its seq is counted
      }
    }
  }

  /** Keeps receiving until this client has seen every stored entry of every room. */
  void awaitTranscripts(Map<Long, Integer> storedPerRoom, long deadline) throws Exception {
    while (storedPerRoom.entrySet().stream()
        .anyMatch(room -> lastSeq.get(room.getKey()) < room.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "client " + index + " saw up to " + lastSeq + " of rooms that have " + storedPerRoom);
      }
      receive(100);
    }
    socket.close();
  }
}
