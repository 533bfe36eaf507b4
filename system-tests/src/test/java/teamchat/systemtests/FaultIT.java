package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.Frame;

/**
 * A Jepsen "set" test of delivery: 20 clients in 4 rooms send messages with unique client ids,
 * resending each until it is acked, while chatfront is frozen for 20 s (SIGSTOP, SIGCONT), then
 * killed with SIGKILL (and started again by {@code ./chat up}), and PostgreSQL's postmaster is
 * killed with SIGKILL and started again on the same data. Afterwards the database and what each
 * client saw must agree: nothing acked is missing, nothing is stored twice or without having been
 * sent, and every client's transcript of every room is the stored seq order without a gap.
 *
 * <p>And every answer was true: every fifth message is a probe that its client gives up when told
 * {@code not_stored}, and none of those may be in the database at the end; {@code outcome_unknown}
 * is resolved by resending; no client (all far below the send rate, on a chatserv that stays up)
 * hears {@code rate_limited} or has its socket closed.
 */
class FaultIT {

  private static final int CLIENTS = 20;
  private static final int ROOMS = 4;
  private static final int MESSAGES_PER_CLIENT = 105; // 2,100 in all

  /** New messages per client per second: slow enough that sending spans both faults. */
  private static final long NEW_MESSAGE_EVERY_MS = 400;

  /** How long chatfront hangs: four times chatserv's 5 s timeout for its calls. */
  private static final Duration CHATFRONT_FREEZE = Duration.ofSeconds(20);

  /** An unacked message is sent again (same client id) after this long. */
  private static final long RESEND_AFTER_MS = 3000;

  @TempDir static Path dataDirectory;

  private RunningSystem system;
  private long start;

  private void log(String what) {
    System.out.printf("[fault test] %5.1f s  %s%n", (System.nanoTime() - start) / 1e9, what);
  }

  private record Person(String subject, String token) {}

  /** Every this many new messages is a probe of honesty rather than of durability. */
  private static final int PROBE_EVERY = 5;

  /**
   * One message the test sent; {@code ack} is null until acked. A probe is given up when chatserv
   * answers {@code not_stored} (never sent again), as a person would give up a message they were
   * told does not exist: the database must then not have it. Any other message is resent until
   * acked; an {@code outcome_unknown} is resolved by a resend with the same id, probe or not.
   */
  private static final class Sent {
    final String clientMsgId;
    final long room;
    final String body;
    final boolean probe;
    long lastSentAt;
    Frame ack;
    boolean givenUp;

    Sent(String clientMsgId, long room, String body, boolean probe) {
      this.clientMsgId = clientMsgId;
      this.room = room;
      this.body = body;
      this.probe = probe;
    }

    /** Still waiting for an answer that settles it: an ack, or (a probe) not_stored. */
    boolean open() {
      return ack == null && !givenUp;
    }
  }

  /** A stored row as the database has it. */
  private record Row(
      long id, long room, long seq, String sender, String clientMsgId, String body) {}

  @Test
  void nothingAckedIsLostNothingIsDoubledEveryTranscriptIsTheStoredOrder() throws Exception {
    long start = System.nanoTime();
    system = RunningSystem.start(dataDirectory);
    try {
      run(start);
    } finally {
      assertTrue(system.stop(), "the system stopped on SIGINT");
    }
  }

  private void run(long start) throws Exception {
    List<Person> people = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      people.add(person());
    }
    List<Long> rooms = new ArrayList<>();
    for (int i = 0; i < ROOMS; i++) {
      rooms.add(room(people));
    }
    this.start = start;
    AtomicBoolean faultsDone = new AtomicBoolean();
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(new Client(i, people.get(i), rooms, faultsDone));
    }
    clients.forEach(Thread::start);
    log(CLIENTS + " clients sending in " + ROOMS + " rooms");

    // The nemesis: chatfront frozen (a hang: stores time out and may still commit later, so
    // nobody may be told "not stored"), then killed, then PostgreSQL killed, each while messages
    // are in flight.
    Thread.sleep(4000);
    long frozen = system.freezeService("chatfront", CHATFRONT_FREEZE);
    log("chatfront frozen for " + CHATFRONT_FREEZE.toSeconds() + " s (pid " + frozen + ")");
    Thread.sleep(4000);
    long pid = system.killService("chatfront");
    log("kill -9 chatfront (pid " + pid + ")");
    system.awaitReady(system.chatfrontPort);
    log("chatfront ready again");
    Thread.sleep(4000);
    List<String> postgres = system.killPostgres();
    log("kill -9 PostgreSQL postmaster");
    Thread.sleep(3000);
    system.restartPostgres(postgres);
    log("PostgreSQL started again");
    faultsDone.set(true);

    for (Client client : clients) {
      client.join(TimeUnit.MINUTES.toMillis(4));
      assertTrue(!client.isAlive(), "client " + client.index + " did not finish");
      if (client.failure != null) {
        throw new AssertionError("client " + client.index + " failed", client.failure);
      }
    }

    log("every message acked");
    // Every message of each room was acked; now every client must see each room up to its end.
    Map<Long, List<Row>> stored = storedRows(rooms);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Client client : clients) {
      client.awaitTranscripts(stored, deadline);
    }
    check(clients, stored, start);
  }

  private void check(List<Client> clients, Map<Long, List<Row>> stored, long start) {
    Map<String, Row> byBody = new HashMap<>();
    int duplicates = 0;
    int storedNeverSent = 0;
    int gaps = 0;
    Map<String, Sent> sentByBody = new HashMap<>();
    clients.forEach(c -> c.sent.values().forEach(s -> sentByBody.put(s.body, s)));
    int storedCount = 0;
    for (List<Row> rows : stored.values()) {
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        storedCount++;
        if (row.seq != i + 1) {
          gaps++;
        }
        if (byBody.put(row.body, row) != null) {
          duplicates++;
        }
        Sent sent = sentByBody.get(row.body);
        if (sent == null || !sent.clientMsgId.equals(row.clientMsgId) || sent.room != row.room) {
          storedNeverSent++;
        }
      }
    }
    int acked = 0;
    int ackedNotStored = 0;
    int givenUp = 0;
    int toldNotStoredButStored = 0;
    for (Sent sent : sentByBody.values()) {
      if (sent.givenUp) {
        if (byBody.containsKey(sent.body)) {
          toldNotStoredButStored++; // told "not stored", yet stored (and perhaps acked later)
        } else if (sent.ack == null) {
          givenUp++;
        }
      }
      if (sent.ack == null) {
        continue;
      }
      acked++;
      Row row = byBody.get(sent.body);
      if (row == null
          || row.id != ((Number) sent.ack.get("id")).longValue()
          || row.seq != ((Number) sent.ack.get("seq")).longValue()) {
        ackedNotStored++;
      }
    }
    int transcriptsWrong = 0;
    for (Client client : clients) {
      for (Map.Entry<Long, List<Row>> room : stored.entrySet()) {
        List<Long> expected = room.getValue().stream().map(Row::id).toList();
        if (!expected.equals(client.transcripts.get(room.getKey()))) {
          transcriptsWrong++;
        }
      }
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    System.out.println(
        "[fault test] sent "
            + sentByBody.size()
            + ", acked "
            + acked
            + ", stored "
            + storedCount
            + "; acked-but-not-stored "
            + ackedNotStored
            + ", duplicates "
            + duplicates
            + ", stored-but-never-sent "
            + storedNeverSent
            + ", seq gaps "
            + gaps
            + ", second different acks "
            + clients.stream().mapToInt(c -> c.differentAcks).sum()
            + ", messages out of seq order "
            + clients.stream().mapToInt(c -> c.outOfOrder).sum()
            + ", transcripts differing from the stored order "
            + transcriptsWrong
            + " of "
            + clients.size() * stored.size()
            + "; resends "
            + clients.stream().mapToInt(c -> c.resends).sum()
            + "; probes given up on not_stored and not stored "
            + givenUp
            + ", given up on not_stored but stored all the same "
            + toldNotStoredButStored
            + ", rate_limited answers "
            + clients.stream().mapToInt(c -> c.rateLimited).sum()
            + ", not_stored / outcome_unknown answers "
            + clients.stream().mapToInt(c -> c.notStored).sum()
            + " / "
            + clients.stream().mapToInt(c -> c.outcomeUnknown).sum()
            + ", reconnects "
            + clients.stream().mapToInt(c -> c.reconnects).sum()
            + "; "
            + seconds
            + " s");
    assertEquals(CLIENTS * MESSAGES_PER_CLIENT, sentByBody.size(), "messages sent");
    assertEquals(
        0, toldNotStoredButStored, "messages answered not_stored that were stored after all");
    assertEquals(sentByBody.size(), acked + givenUp, "every message acked, or a probe given up");
    assertEquals(
        0,
        clients.stream().mapToInt(c -> c.rateLimited).sum(),
        "rate_limited for clients far below the limit");
    assertEquals(
        0,
        clients.stream().mapToInt(c -> c.reconnects).sum(),
        "sockets closed under clients that did nothing wrong (chatserv itself stays up)");
    assertEquals(0, ackedNotStored, "acked but not stored");
    assertEquals(0, duplicates, "duplicates");
    assertEquals(0, storedNeverSent, "stored but never sent");
    assertEquals(0, gaps, "gaps in a room's seq");
    assertEquals(0, clients.stream().mapToInt(c -> c.differentAcks).sum(), "second acks");
    assertEquals(0, clients.stream().mapToInt(c -> c.outOfOrder).sum(), "out of order");
    assertEquals(0, transcriptsWrong, "transcripts that differ from the stored order");
    assertTrue(
        clients.stream().mapToInt(c -> c.notStored + c.outcomeUnknown).sum() > 0,
        "the faults were felt: some sends were answered not_stored or outcome_unknown");
  }

  /**
   * One client: a thread that sends new messages at a steady pace round the rooms, resends what is
   * not acked, follows every room and records what it receives, and reconnects (subscribing with
   * the last seq of each room) when its socket ends.
   */
  private final class Client extends Thread {
    final int index;
    final Person person;
    final List<Long> rooms;
    final AtomicBoolean faultsDone;
    final Map<String, Sent> sent = new LinkedHashMap<>();
    final Map<Long, List<Long>> transcripts = new ConcurrentHashMap<>();
    final Map<Long, Long> lastSeq = new HashMap<>();

    /** Rooms whose subscription failed (history unavailable), and when to subscribe again. */
    final Map<Long, Long> resubscribeAt = new HashMap<>();

    volatile Throwable failure;
    Frame lastError;
    int resends;
    int differentAcks;
    int outOfOrder;
    int notStored;
    int outcomeUnknown;
    int rateLimited;
    int reconnects;
    private ChatClient socket;

    Client(int index, Person person, List<Long> rooms, AtomicBoolean faultsDone) {
      super("fault-client-" + index);
      this.index = index;
      this.person = person;
      this.rooms = rooms;
      this.faultsDone = faultsDone;
      rooms.forEach(
          room -> {
            transcripts.put(room, new ArrayList<>());
            lastSeq.put(room, 0L);
          });
    }

    @Override
    public void run() {
      try {
        connect();
        long nextNew = System.currentTimeMillis();
        long deadline = Long.MAX_VALUE;
        while (sent.size() < MESSAGES_PER_CLIENT
            || !faultsDone.get()
            || sent.values().stream().anyMatch(Sent::open)) {
          if (faultsDone.get() && deadline == Long.MAX_VALUE) {
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
          }
          if (System.nanoTime() > deadline) {
            throw new AssertionError(
                sent.values().stream().filter(Sent::open).count()
                    + " messages still unacked 120 s after the faults; last error: "
                    + lastError);
          }
          long now = System.currentTimeMillis();
          if (sent.size() < MESSAGES_PER_CLIENT && now >= nextNew) {
            String id = "c" + index + "-m" + sent.size();
            long room = rooms.get(sent.size() % rooms.size());
            boolean probe = sent.size() % PROBE_EVERY == PROBE_EVERY - 1;
            Sent message =
                new Sent(
                    id, room, (probe ? "probe " : "set ") + id + " " + UUID.randomUUID(), probe);
            sent.put(id, message);
            post(message);
            nextNew = now + NEW_MESSAGE_EVERY_MS;
          }
          // At most one resend per round: within the per-user send rate while an outage lasts.
          for (Sent message : sent.values()) {
            if (message.open() && now - message.lastSentAt > RESEND_AFTER_MS) {
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
      message.lastSentAt = System.currentTimeMillis();
      try {
        socket.sendMessage(message.room, message.clientMsgId, message.body);
      } catch (Exception e) {
        reconnect(); // the socket ended; the message is resent later like any unacked one
      }
    }

    private void connect() throws Exception {
      socket = ChatClient.connect(system.webSocket(), person.token());
      for (long room : rooms) {
        socket.subscribe(room, lastSeq.get(room));
      }
    }

    private void reconnect() throws Exception {
      reconnects++;
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
      String type = (String) frame.get("type");
      switch (type) {
        case "ack" -> {
          Sent message = sent.get((String) frame.get("client_msg_id"));
          if (message.ack == null) {
            message.ack = frame;
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
          if ("not_stored".equals(frame.get("code"))) {
            notStored++;
            Sent message = sent.get((String) frame.get("client_msg_id"));
            if (message != null && message.probe && message.ack == null) {
              message.givenUp = true; // told it does not exist: never sent again
            }
          }
          if ("rate_limited".equals(frame.get("code"))) {
            rateLimited++; // this client stays far below the per-user rate: misleading
          }
          if ("outcome_unknown".equals(frame.get("code"))) {
            outcomeUnknown++;
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
    void awaitTranscripts(Map<Long, List<Row>> stored, long deadline) throws Exception {
      while (stored.entrySet().stream()
          .anyMatch(room -> lastSeq.get(room.getKey()) < room.getValue().size())) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("client " + index + " saw up to " + lastSeq);
        }
        receive(100);
      }
      socket.close();
    }
  }

  // ---- accounts through auth, rooms in the database (as DeliveryIT)

  private Person person() throws Exception {
    teamchat.systemtestkit.Accounts.Person person = system.person();
    return new Person(person.subject(), person.token());
  }

  private long room(List<Person> members) throws Exception {
    return system.privateRoom("fault", members.stream().map(Person::subject).toList());
  }

  private Map<Long, List<Row>> storedRows(List<Long> rooms) throws Exception {
    Map<Long, List<Row>> stored = new LinkedHashMap<>();
    rooms.forEach(room -> stored.put(room, new ArrayList<>()));
    try (Connection db = system.chatDatabase();
        PreparedStatement select =
            db.prepareStatement(
                "SELECT m.id, m.room_id, m.seq, u.subject, m.client_msg_id, m.body"
                    + " FROM chat.message m JOIN chat.chat_user u ON u.id = m.sender_id"
                    + " WHERE m.room_id = ANY (?) ORDER BY m.room_id, m.seq")) {
      select.setArray(1, db.createArrayOf("bigint", rooms.toArray()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          Row row =
              new Row(
                  rows.getLong(1),
                  rows.getLong(2),
                  rows.getLong(3),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getString(6));
          stored.get(row.room).add(row);
        }
      }
    }
    return stored;
  }
}
