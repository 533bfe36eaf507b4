package teamchat.systemtests;

import jakarta.json.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.Frame;

/**
 * One client of {@link FaultIT}: a thread that sends a new message every {@link
 * #NEW_MESSAGE_EVERY_MS} round the rooms until told to stop, resends what is not acked (same client
 * id), follows every room and records what it receives, and reconnects (subscribing with the last
 * seq of each room) when its socket ends. Every answer is kept with the time it came, so that the
 * test can judge afterwards what was true and how fast each fault was over.
 */
final class FaultClient extends Thread {

  /** A new message per client every second: 20 a second from 20 clients, for the whole run. */
  static final long NEW_MESSAGE_EVERY_MS = 1000;

  /** Every this many new messages is a probe of honesty rather than of durability. */
  static final int PROBE_EVERY = 5;

  /** An unacked message is sent again (same client id) after this long. */
  static final long RESEND_AFTER_MS = 3000;

  /** After sending stops, how long everything may take to be acked. */
  static final long SETTLE_SECONDS = 120;

  /**
   * One message this client sent; {@code ack} is null until acked. A probe is given up when
   * chatserv answers {@code not_stored} (never sent again), as a person would give up a message
   * they were told does not exist: the database must then not have it. Any other message is resent
   * until acked; an {@code outcome_unknown} is resolved by a resend with the same id, probe or not.
   */
  static final class Sent {
    final String clientMsgId;
    final long room;
    final String body;
    final boolean probe;

    /** When it was first sent, and last sent (System.nanoTime). */
    final long firstSentAt;

    long lastSentAt;
    Frame ack;

    /** When its first ack came (System.nanoTime), 0 before. */
    long ackedAt;

    boolean givenUp;

    Sent(String clientMsgId, long room, String body, boolean probe, long now) {
      this.clientMsgId = clientMsgId;
      this.room = room;
      this.body = body;
      this.probe = probe;
      this.firstSentAt = now;
    }

    /** Still waiting for an answer that settles it: an ack, or (a probe) not_stored. */
    boolean open() {
      return ack == null && !givenUp;
    }
  }

  final int index;
  private final URI webSocket;
  private final String token;
  final List<Long> rooms;
  private final AtomicBoolean sendingDone;

  /** Every message sent, in the order first sent. Read by others only after the thread ended. */
  final Map<String, Sent> sent = new LinkedHashMap<>();

  final Map<Long, List<Long>> transcripts = new ConcurrentHashMap<>();
  final Map<Long, Long> lastSeq = new HashMap<>();

  /** Rooms whose subscription failed (history unavailable), and when to subscribe again. */
  private final Map<Long, Long> resubscribeAt = new HashMap<>();

  /**
   * When the newest message (by first send) that has an ack was first sent: the test waits for
   * every client to have one sent after a fault ended.
   */
  volatile long newestAckedSentAt = Long.MIN_VALUE;

  /** When the last new ack came (System.nanoTime). */
  volatile long lastAckAt = System.nanoTime();

  volatile Throwable failure;
  private Frame lastError;
  int resends;
  int differentAcks;
  int outOfOrder;
  int notStored;
  int outcomeUnknown;
  int rateLimited;

  /** When each refusal came (System.nanoTime), by its code: the table counts them per fault. */
  final Map<String, List<Long>> refusals = new HashMap<>();

  /**
   * Sockets that ended under this client, by close code and reason ({@code 1013 no_pong}, {@code
   * 1008 token_invalid}, {@code connect failed: ...}). chatserv stays up through every fault, so
   * each one is a misleading answer to a client that did nothing wrong.
   */
  final Map<String, Integer> closes = new TreeMap<>();

  private ChatClient socket;

  FaultClient(int index, URI webSocket, String token, List<Long> rooms, AtomicBoolean sendingDone) {
    super("fault-client-" + index);
    this.index = index;
    this.webSocket = webSocket;
    this.token = token;
    this.rooms = rooms;
    this.sendingDone = sendingDone;
    rooms.forEach(
        room -> {
          transcripts.put(room, new ArrayList<>());
          lastSeq.put(room, 0L);
        });
  }

  int closeCount() {
    return closes.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Closes whose reason is this one ({@code no_pong}, {@code token_invalid}). */
  int closes(String reason) {
    return closes.entrySet().stream()
        .filter(e -> e.getKey().endsWith(" " + reason))
        .mapToInt(Map.Entry::getValue)
        .sum();
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
                  + " messages still unacked "
                  + SETTLE_SECONDS
                  + " s after sending stopped; last error: "
                  + lastError);
        }
        long now = System.currentTimeMillis();
        if (!sendingDone.get() && now >= nextNew) {
          String id = "c" + index + "-m" + sent.size();
          long room = rooms.get(sent.size() % rooms.size());
          boolean probe = sent.size() % PROBE_EVERY == PROBE_EVERY - 1;
          Sent message =
              new Sent(
                  id,
                  room,
                  (probe ? "probe " : "set ") + id + " " + UUID.randomUUID(),
                  probe,
                  System.nanoTime());
          sent.put(id, message);
          post(message);
          nextNew = now + NEW_MESSAGE_EVERY_MS;
        }
        // At most one resend per round: within the per-user send rate while an outage lasts.
        for (Sent message : sent.values()) {
          if (message.open()
              && System.nanoTime() - message.lastSentAt
                  > TimeUnit.MILLISECONDS.toNanos(RESEND_AFTER_MS)) {
            resends++;
            post(message);
            break;
          }
        }
        receive(100);
      }
    } catch (Throwable e) {
      failure = e;
    }
  }

  private void post(Sent message) throws Exception {
    message.lastSentAt = System.nanoTime();
    try {
      socket.sendMessage(message.room, message.clientMsgId, message.body);
    } catch (Exception e) {
      reconnect(); // the socket ended; the message is resent later like any unacked one
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
          break;
        }
        countClose();
      } catch (Exception | AssertionError e) {
        closes.merge("connect failed: " + e.getClass().getSimpleName(), 1, Integer::sum);
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

  private void countClose() throws Exception {
    closes.merge(socket.closed().get() + " " + socket.closeReason(), 1, Integer::sum);
  }

  private void reconnect() throws Exception {
    if (socket.closed().isDone()) {
      countClose();
    } else {
      closes.merge("send failed on an open socket", 1, Integer::sum);
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
    switch (frame.type()) {
      case "ack" -> {
        Sent message = sent.get((String) frame.get("client_msg_id"));
        if (message.ack == null) {
          message.ack = frame;
          message.ackedAt = System.nanoTime();
          lastAckAt = message.ackedAt;
          newestAckedSentAt = Math.max(newestAckedSentAt, message.firstSentAt);
        } else if (!message.ack.equals(frame)) {
          differentAcks++; // a resend stored a second time: counted, and reported at the end
        }
      }
      case "message" -> {
        long room = ((Number) frame.get("room")).longValue();
        long seq = ((Number) frame.get("seq")).longValue();
        if (seq != lastSeq.get(room) + 1) {
          outOfOrder++; // the transcript check at the end reports it
        }
        lastSeq.put(room, Math.max(seq, lastSeq.get(room)));
        transcripts.get(room).add(((Number) frame.get("id")).longValue());
      }
      case "error" -> {
        lastError = frame;
        if (!Boolean.TRUE.equals(frame.get("retry"))) {
          throw new AssertionError("refused for good: " + frame);
        }
        refusals
            .computeIfAbsent(String.valueOf(frame.get("code")), code -> new ArrayList<>())
            .add(System.nanoTime());
        switch (String.valueOf(frame.get("code"))) {
          case "not_stored" -> {
            notStored++;
            Sent message = sent.get((String) frame.get("client_msg_id"));
            if (message != null && message.probe && message.ack == null) {
              message.givenUp = true; // told it does not exist: never sent again
            }
          }
          case "rate_limited" -> rateLimited++; // far below the per-user rate: misleading
          case "outcome_unknown" -> outcomeUnknown++;
          default -> {
            // unavailable and the like: true, and resent like any unacked message
          }
        }
        if (frame.get("client_msg_id") == null && frame.get("room") != null) {
          // A subscription (or its gap fill) failed while chatfront was away: follow again.
          resubscribeAt.put(
              ((Number) frame.get("room")).longValue(), System.currentTimeMillis() + 1000);
        }
        // Anything with retry: true is resent after RESEND_AFTER_MS, same client id.
      }
      default -> {
        // hello, welcome, subscribed, presence: nothing to check here
      }
    }
  }

  /** Keeps receiving until this client has seen every stored message of every room. */
  void awaitTranscripts(Map<Long, Integer> storedPerRoom, long deadline) throws Exception {
    while (storedPerRoom.entrySet().stream()
        .anyMatch(room -> lastSeq.get(room.getKey()) < room.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("client " + index + " saw up to " + lastSeq);
      }
      receive(100);
    }
    socket.close();
  }
}
