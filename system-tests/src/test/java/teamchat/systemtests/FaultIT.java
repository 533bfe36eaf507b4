package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import teamchat.systemtestkit.Accounts.Person;

/**
 * A Jepsen "set" test of delivery under faults, one after the other in one run of the load: 20
 * clients ({@link FaultClient}) in 4 rooms send a message a second each with unique client ids,
 * resending each until it is acked, while
 *
 * <ol>
 *   <li>chatfront is frozen for 20 s (SIGSTOP, SIGCONT; issue 21's F3),
 *   <li>chatfront is killed with SIGKILL and started again by {@code ./chat up},
 *   <li>PostgreSQL's postmaster is killed with SIGKILL and started again on the same data,
 *   <li>PostgreSQL is frozen for 20 s, the postmaster and every process it started (F3c),
 *   <li>auth is killed with SIGKILL and started again by {@code ./chat up} (F7),
 *   <li>auth is frozen for 5 minutes (F7b).
 * </ol>
 *
 * Afterwards the database and what each client saw must agree: nothing acked is missing, nothing is
 * stored twice or without having been sent, and every client's transcript of every room is the
 * stored seq order without a gap.
 *
 * <p>Every answer was true: every fifth message is a probe that its client gives up when told
 * {@code not_stored}, and none of those may be in the database at the end; {@code outcome_unknown}
 * is resolved by resending. And none misled: chatserv stays up throughout, so no client (all far
 * below the send rate, every one answering pings and sending every second) may hear {@code
 * rate_limited} or have its socket closed ({@code no_pong}, {@code token_invalid}, anything).
 *
 * <p>Auth is not in the message path: while it is dead or frozen every client keeps being acked
 * (never 30 s without an ack), and chatfront's sign-in page and readiness answer within 5 s. No
 * client needs auth during the run: the access tokens are made to live 15 minutes (auth's most) and
 * the load ends before the first one expires (checked), so no refusal can be put down to an expired
 * token. After each fault every client is acked again, for a message sent after the fault ended,
 * within 10 s; a table at the end says how long each took.
 */
class FaultIT {

  private static final int CLIENTS = 20;
  private static final int ROOMS = 4;

  /** How long chatfront hangs: four times chatserv's 5 s timeout for its calls. */
  private static final Duration CHATFRONT_FREEZE = Duration.ofSeconds(20);

  private static final Duration POSTGRES_DOWN = Duration.ofSeconds(3);
  private static final Duration POSTGRES_FREEZE = Duration.ofSeconds(20);
  private static final Duration AUTH_FREEZE = Duration.ofMinutes(5);

  /** After each fault ends, every client is acked again (a new message) within this. */
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);

  /** While auth is away, no client goes longer than this without an ack. */
  private static final Duration ACK_GAP_BOUND_WITHOUT_AUTH = Duration.ofSeconds(30);

  /** auth's longest access-token lifetime: no client needs a new token during the run. */
  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);

  /** Steady sending between one fault's recovery and the next fault. */
  private static final Duration STEADY = Duration.ofSeconds(3);

  @TempDir static Path dataDirectory;

  private RunningSystem system;
  private long start;

  private void log(String what) {
    System.out.printf("[fault test] %5.1f s  %s%n", (System.nanoTime() - start) / 1e9, what);
  }

  /** A stored row as the database has it. */
  private record Row(
      long id, long room, long seq, String sender, String clientMsgId, String body) {}

  @Test
  void nothingAckedIsLostOrDoubledEveryAnswerIsTrueAndEveryFaultIsOverSoon() throws Exception {
    start = System.nanoTime();
    try (var previous = Files.list(keptLogs())) {
      for (Path file : previous.toList()) {
        Files.delete(file); // an earlier run's: never mixed with this one's
      }
    }
    system =
        RunningSystem.start(
            dataDirectory,
            RunningSystem.Ports.free(),
            Map.of("AUTH_ACCESS_TOKEN_LIFETIME", TOKEN_LIFETIME.toString()));
    try {
      run();
    } finally {
      boolean stopped = system.stop();
      keepLogs();
      assertTrue(stopped, "the system stopped on SIGINT");
    }
  }

  private void run() throws Exception {
    long tokensIssued = System.nanoTime();
    List<Person> people = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      people.add(system.person());
    }
    List<Long> rooms = new ArrayList<>();
    for (int i = 0; i < ROOMS; i++) {
      rooms.add(system.privateRoom("fault", people.stream().map(Person::subject).toList()));
    }
    AtomicBoolean sendingDone = new AtomicBoolean();
    List<FaultClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(
          new FaultClient(i, system.webSocket(), people.get(i).token(), rooms, sendingDone));
    }
    clients.forEach(Thread::start);
    log(CLIENTS + " clients sending in " + ROOMS + " rooms");
    FaultTimeline timeline = new FaultTimeline(start);
    PageProbes probes = new PageProbes(system.chatfrontPort);
    try {
      Thread.sleep(5000);
      nemesis(timeline, clients, probes);
    } finally {
      sendingDone.set(true);
      probes.finish();
    }
    long loadEnded = System.nanoTime();

    for (FaultClient client : clients) {
      client.join(TimeUnit.SECONDS.toMillis(FaultClient.SETTLE_SECONDS + 30));
      assertTrue(!client.isAlive(), "client " + client.index + " did not finish");
      if (client.failure != null) {
        throw new AssertionError("client " + client.index + " failed", client.failure);
      }
    }
    log("every message acked (or a probe given up on not_stored)");
    Map<Long, List<Row>> stored = storedRows(rooms);
    Map<Long, Integer> storedPerRoom = new HashMap<>();
    stored.forEach((room, rows) -> storedPerRoom.put(room, rows.size()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (FaultClient client : clients) {
      client.awaitTranscripts(storedPerRoom, deadline);
    }
    check(clients, stored, timeline, probes, Duration.ofNanos(loadEnded - tokensIssued));
  }

  /** The faults, one after the other, each followed by steady sending once it is over. */
  private void nemesis(FaultTimeline timeline, List<FaultClient> clients, PageProbes probes)
      throws Exception {
    // chatfront hangs: stores time out and may still commit later, so nobody may be told "not
    // stored".
    long began = System.nanoTime();
    long pid = system.freezeService("chatfront");
    log("chatfront frozen (pid " + pid + ")");
    try {
      Thread.sleep(CHATFRONT_FREEZE.toMillis());
    } finally {
      system.thaw(pid);
    }
    after(timeline.add("chatfront frozen 20 s (F3)", began, System.nanoTime(), false), clients);

    began = System.nanoTime();
    pid = system.killService("chatfront");
    log("kill -9 chatfront (pid " + pid + ")");
    system.awaitReady(system.chatfrontPort);
    after(timeline.add("chatfront killed", began, System.nanoTime(), false), clients);

    began = System.nanoTime();
    List<String> postgres = system.killPostgres();
    log("kill -9 PostgreSQL postmaster");
    Thread.sleep(POSTGRES_DOWN.toMillis());
    system.restartPostgres(postgres);
    after(timeline.add("PostgreSQL killed", began, System.nanoTime(), false), clients);

    began = System.nanoTime();
    List<Long> frozen = system.freezePostgres();
    log("PostgreSQL frozen (" + frozen.size() + " processes)");
    try {
      Thread.sleep(POSTGRES_FREEZE.toMillis());
    } finally {
      system.thaw(frozen);
    }
    after(timeline.add("PostgreSQL frozen 20 s (F3c)", began, System.nanoTime(), false), clients);

    // From here on auth is away: chatfront's own pages and health must keep answering.
    probes.start();
    began = System.nanoTime();
    pid = system.killService("auth");
    log("kill -9 auth (pid " + pid + ")");
    system.awaitReady(system.authPort);
    after(timeline.add("auth killed (F7)", began, System.nanoTime(), true), clients);

    began = System.nanoTime();
    pid = system.freezeService("auth");
    log("auth frozen (pid " + pid + ") for " + AUTH_FREEZE.toMinutes() + " minutes");
    try {
      dumpThreadsIfSendingStalls(clients, began + AUTH_FREEZE.toNanos());
    } finally {
      system.thaw(pid);
    }
    after(timeline.add("auth frozen 5 min (F7b)", began, System.nanoTime(), true), clients);
  }

  /**
   * Waits until {@code until}; meanwhile, the first time some client has gone 20 s without an ack
   * (messaging should not notice auth at all), saves a thread dump of chatfront and chatserv into
   * {@code target/fault-logs/}: where they wait is what a reader of a failed run needs first.
   */
  private void dumpThreadsIfSendingStalls(List<FaultClient> clients, long until) throws Exception {
    boolean dumped = false;
    while (System.nanoTime() < until) {
      long stalled = clients.stream().mapToLong(c -> c.lastAckAt).min().orElseThrow();
      if (!dumped && System.nanoTime() - stalled > TimeUnit.SECONDS.toNanos(20)) {
        dumped = true;
        for (String service : List.of("chatfront", "chatserv")) {
          Path dump = system.dumpThreads(service, keptLogs());
          log("a client had no ack for 20 s: threads of " + service + " in " + dump);
        }
      }
      Thread.sleep(Math.min(1000, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
    }
  }

  /**
   * Once a fault is over: waits (at most a minute; the check at the end judges) until every client
   * has been acked a message sent after it ended, then lets the load run steadily a moment.
   */
  private void after(FaultTimeline.Fault fault, List<FaultClient> clients) throws Exception {
    log(fault.name() + ": over after " + fault.lasted().toSeconds() + " s");
    long deadline = fault.ended() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline
        && clients.stream().anyMatch(c -> c.newestAckedSentAt < fault.ended())) {
      for (FaultClient client : clients) {
        if (client.failure != null) {
          throw new AssertionError("client " + client.index + " failed", client.failure);
        }
      }
      Thread.sleep(100);
    }
    log(fault.name() + ": every client acked again");
    Thread.sleep(STEADY.toMillis());
  }

  private void check(
      List<FaultClient> clients,
      Map<Long, List<Row>> stored,
      FaultTimeline timeline,
      PageProbes probes,
      Duration tokensUsedFor) {
    Map<String, Row> byBody = new HashMap<>();
    int duplicates = 0;
    int storedNeverSent = 0;
    int gaps = 0;
    Map<String, FaultClient.Sent> sentByBody = new HashMap<>();
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
        FaultClient.Sent sent = sentByBody.get(row.body);
        if (sent == null || !sent.clientMsgId.equals(row.clientMsgId) || sent.room != row.room) {
          storedNeverSent++;
        }
      }
    }
    int acked = 0;
    int ackedNotStored = 0;
    int givenUp = 0;
    int toldNotStoredButStored = 0;
    for (FaultClient.Sent sent : sentByBody.values()) {
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
    for (FaultClient client : clients) {
      for (Map.Entry<Long, List<Row>> room : stored.entrySet()) {
        List<Long> expected = room.getValue().stream().map(Row::id).toList();
        if (!expected.equals(client.transcripts.get(room.getKey()))) {
          transcriptsWrong++;
        }
      }
    }
    Map<String, Integer> closes = new TreeMap<>();
    clients.forEach(c -> c.closes.forEach((why, n) -> closes.merge(why, n, Integer::sum)));
    int rateLimited = sum(clients, c -> c.rateLimited);
    int noPong = sum(clients, c -> c.closes("no_pong"));
    int tokenInvalid = sum(clients, c -> c.closes("token_invalid"));
    int allCloses = sum(clients, FaultClient::closeCount);
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
            + sum(clients, c -> c.differentAcks)
            + ", messages out of seq order "
            + sum(clients, c -> c.outOfOrder)
            + ", transcripts differing from the stored order "
            + transcriptsWrong
            + " of "
            + clients.size() * stored.size()
            + "; resends "
            + sum(clients, c -> c.resends)
            + "; probes given up on not_stored and not stored "
            + givenUp
            + ", given up on not_stored but stored all the same "
            + toldNotStoredButStored
            + ", not_stored / outcome_unknown answers "
            + sum(clients, c -> c.notStored)
            + " / "
            + sum(clients, c -> c.outcomeUnknown)
            + "; misleading answers: rate_limited "
            + rateLimited
            + ", no_pong closes "
            + noPong
            + ", token_invalid refusals "
            + tokenInvalid
            + ", sockets ended in all "
            + allCloses
            + " "
            + closes
            + "; "
            + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)
            + " s");
    System.out.print(timeline.table(clients));
    System.out.println(
        "[fault test] chatfront's pages while auth was away: "
            + probes.probes.size()
            + " probes, "
            + probes.failures.size()
            + " without a 200 within "
            + PageProbes.ANSWER_WITHIN.toSeconds()
            + " s "
            + probes.failures);

    List<Executable> checks = new ArrayList<>();
    int ackedOrGivenUp = acked + givenUp;
    int ackedNotStoredCount = ackedNotStored;
    int duplicateCount = duplicates;
    int neverSent = storedNeverSent;
    int gapCount = gaps;
    int wrongTranscripts = transcriptsWrong;
    int lies = toldNotStoredButStored;
    checks.add(() -> assertEquals(0, ackedNotStoredCount, "acked but not stored"));
    checks.add(() -> assertEquals(0, duplicateCount, "duplicates"));
    checks.add(() -> assertEquals(0, neverSent, "stored but never sent"));
    checks.add(() -> assertEquals(0, gapCount, "gaps in a room's seq"));
    checks.add(() -> assertEquals(0, sum(clients, c -> c.differentAcks), "second acks"));
    checks.add(() -> assertEquals(0, sum(clients, c -> c.outOfOrder), "out of order"));
    checks.add(
        () -> assertEquals(0, wrongTranscripts, "transcripts that differ from the stored order"));
    checks.add(
        () -> assertEquals(0, lies, "messages answered not_stored that were stored after all"));
    checks.add(
        () ->
            assertEquals(
                sentByBody.size(), ackedOrGivenUp, "every message acked, or a probe given up"));
    checks.add(() -> assertEquals(0, rateLimited, "rate_limited for clients far below the limit"));
    checks.add(() -> assertEquals(0, noPong, "no_pong closes of clients that answer every ping"));
    checks.add(() -> assertEquals(0, tokenInvalid, "token_invalid for tokens that are valid"));
    checks.add(
        () ->
            assertEquals(
                Map.of(),
                closes,
                "sockets ended under clients that did nothing wrong (chatserv itself stays up)"));
    checks.add(
        () ->
            assertTrue(
                sum(clients, c -> c.notStored + c.outcomeUnknown) > 0,
                "the faults were felt: some sends were answered not_stored or outcome_unknown"));
    checks.add(
        () ->
            assertTrue(
                tokensUsedFor.compareTo(TOKEN_LIFETIME.minusSeconds(30)) < 0,
                "every access token outlived the load (so no refusal is an expired token's): "
                    + tokensUsedFor.toSeconds()
                    + " s"));
    checks.add(
        () ->
            assertEquals(
                List.of(),
                probes.failures,
                "chatfront's sign-in page and readiness answer while auth is away"));
    for (FaultTimeline.Fault fault : timeline.faults) {
      Optional<Duration> recovery = FaultTimeline.recovery(fault, clients);
      checks.add(
          () ->
              assertTrue(
                  recovery.isPresent() && recovery.get().compareTo(RECOVERY_BOUND) <= 0,
                  fault.name()
                      + ": every client acked again within "
                      + RECOVERY_BOUND.toSeconds()
                      + " s of its end, took "
                      + recovery.map(Duration::toString).orElse("forever")));
      if (fault.servedThroughout()) {
        Duration gap = FaultTimeline.longestAckGap(fault, clients).length();
        checks.add(
            () ->
                assertTrue(
                    gap.compareTo(ACK_GAP_BOUND_WITHOUT_AUTH) <= 0,
                    fault.name()
                        + ": no client without an ack for "
                        + ACK_GAP_BOUND_WITHOUT_AUTH.toSeconds()
                        + " s while it lasted, longest "
                        + gap));
      }
    }
    assertAll("what the fault test holds the system to", checks);
  }

  /**
   * The services' logs, copied to {@code system-tests/target/fault-logs/} (the data folder is
   * deleted with the test): what each service said during the faults is the first thing to read
   * when a count is not 0.
   */
  private void keepLogs() throws Exception {
    Path kept = keptLogs();
    try (var logs = Files.list(system.logs())) {
      for (Path log : logs.toList()) {
        Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    System.out.println("[fault test] the services' logs are kept in " + kept);
  }

  private static Path keptLogs() throws java.io.IOException {
    return Files.createDirectories(RunningSystem.ROOT.resolve("system-tests/target/fault-logs"));
  }

  private static int sum(List<FaultClient> clients, ToIntFunction<FaultClient> count) {
    return clients.stream().mapToInt(count).sum();
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
