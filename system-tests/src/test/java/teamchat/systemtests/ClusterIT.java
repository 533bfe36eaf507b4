package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import teamchat.launcher.ReadyFile;
import teamchat.systemtestkit.Accounts.Person;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.FreePorts;

/**
 * Issue 17's cluster as {@code ./chat up} runs it: two instances each of chatserv, chatfront and
 * auth, every kind one Data Grid cluster, behind the local nginx ({@code nginx/render local}); one
 * boot shared by the tests, in order.
 *
 * <ol>
 *   <li>Clients on both chatserv instances (on each instance's own port, and through nginx) add
 *       entries to three rooms: each reaches every follower exactly once and in order.
 *   <li>Two people in browsers-and-sockets: a page (through nginx) sees the presence of people on
 *       either chatserv and chats live with both; then its chatfront instance is killed and the
 *       page goes on (its session lives in the Data Grid).
 *   <li>The fault test of the cluster: 20 clients through nginx in 4 rooms, 2,000 entries or more
 *       resent until acked, while one chatserv is killed (SIGKILL), one chatfront is killed, and
 *       one chatserv is frozen 15 s (SIGSTOP, SIGCONT: cut off from the grid). The database and the
 *       clients must agree as in {@link FaultIT}, and every client is acked again soon after each
 *       fault.
 * </ol>
 *
 * <p>A killed instance is started again by {@code ./chat up}, as a single one is (its start limit);
 * meanwhile nginx sends its traffic to the other. Before a fault the test makes sure the other
 * instance of that kind runs, so that a fault never meets a kind with no instance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final int FAULT_CLIENTS = 20;
  private static final int FAULT_ROOMS = 4;
  private static final int FAULT_ENTRIES_AT_LEAST = 2000;

  /** One chatserv frozen this long: past Hazelcast's 10 s heartbeat timeout, so the grid splits. */
  private static final Duration CHATSERV_FREEZE = Duration.ofSeconds(15);

  /**
   * After an instance is killed, every client is acked again within this: its sockets reconnect
   * through nginx to the other instance (retrying every second) and resend after 3 s.
   */
  private static final Duration KILL_RECOVERY_BOUND = Duration.ofSeconds(15);

  /**
   * After the frozen chatserv continues: it answers at once, though the grid needs its merge (about
   * 10 s) before frames cross again; chatfront's gap fill covers that.
   */
  private static final Duration FREEZE_RECOVERY_BOUND = Duration.ofSeconds(20);

  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
  private static final Duration STEADY = Duration.ofSeconds(3);

  @TempDir static Path dataDirectory;

  private static RunningSystem system;
  private static int proxyPort;
  private static long start;

  @BeforeAll
  static void startTheCluster() throws Exception {
    start = System.nanoTime();
    // chatfront, auth, chatserv, nginx, the first Data Grid port: each with room for the ports
    // after it (second instances +10, nginx's internal port, the grid's blocks).
    List<Integer> ports = FreePorts.distinct(5);
    proxyPort = ports.get(3);
    try {
      system =
          RunningSystem.start(
              dataDirectory,
              new RunningSystem.Ports(ports.get(0), ports.get(1), ports.get(2)),
              Map.of(
                  "CHATSERV_INSTANCES",
                  "2",
                  "CHATFRONT_INSTANCES",
                  "2",
                  "AUTH_INSTANCES",
                  "2",
                  "CHAT_PROXY_PORT",
                  Integer.toString(proxyPort),
                  "CHAT_GRID_PORT",
                  Integer.toString(ports.get(4)),
                  "AUTH_ACCESS_TOKEN_LIFETIME",
                  TOKEN_LIFETIME.toString()));
    } finally {
      if (system == null) {
        try {
          keepLogs(dataDirectory.resolve("logs"));
        } catch (IOException e) {
          // The start's own failure is what the report must show.
          System.out.println("[cluster test] the logs could not be kept: " + e);
        }
      }
    }
    log("cluster ready: " + system.ready.services());
  }

  @AfterAll
  static void stopTheCluster() throws Exception {
    if (system != null) {
      boolean stopped = system.stop();
      keepLogs(system.logs());
      assertTrue(stopped, "the cluster stopped on SIGINT");
    }
  }

  private static void log(String what) {
    System.out.printf("[cluster test] %6.1f s  %s%n", (System.nanoTime() - start) / 1e9, what);
  }

  // ---- 1. delivery across instances

  @Test
  @Order(1)
  void everyEntryReachesEveryFollowerOnEitherInstanceExactlyOnceAndInOrder() throws Exception {
    assertEquals(
        List.of("auth", "auth-2", "chatfront", "chatfront-2", "chatserv", "chatserv-2", "nginx"),
        system.ready.services().stream().map(ReadyFile.RunningService::name).sorted().toList(),
        "every instance and nginx in ready.json");
    assertEquals(
        "ws://localhost:" + proxyPort + "/ws",
        system.ready.webSocketUrl(),
        "pages connect through nginx");
    assertEquals("http://localhost:" + proxyPort + "/", system.ready.pageUrl());

    List<URI> ways = List.of(instance("chatserv"), instance("chatserv-2"), throughNginx());
    int clientsPerWay = 3;
    List<Person> people = people(ways.size() * clientsPerWay);
    List<Long> rooms = rooms("across", people, 3);
    AtomicBoolean done = new AtomicBoolean();
    List<FaultClient> clients = new ArrayList<>();
    for (int i = 0; i < people.size(); i++) {
      Person person = people.get(i);
      clients.add(
          new FaultClient(
              i, person.subject(), ways.get(i / clientsPerWay), person.token(), rooms, done));
    }
    clients.forEach(Thread::start);
    Thread.sleep(20_000);
    done.set(true);
    Counts counts = settle(clients, rooms);
    log("across instances: " + counts);
    assertTrue(counts.stored >= 100, "entries were stored: " + counts.stored);
    assertAll("delivery across instances", counts.checks());
  }

  // ---- 2. a browser on the cluster

  @Test
  @Order(2)
  void aPageSeesPeopleOnTheOtherInstanceChatsLiveAndOutlivesItsChatfront() throws Exception {
    String site = "http://localhost:" + proxyPort + "/";
    Person ada = system.person();
    Person bob = system.person();
    Person cy = system.person();
    long room = system.privateRoom("cluster", List.of(ada.subject(), bob.subject(), cy.subject()));
    // Bob on the first chatserv, Cy on the second: whichever Ada's page lands on, one of them is
    // on the other instance.
    try (ChatClient onFirst = ChatClient.connect(instance("chatserv"), bob.token());
        ChatClient onSecond = ChatClient.connect(instance("chatserv-2"), cy.token());
        Browser browser = new Browser(1280, 900)) {
      onFirst.subscribe(room, 0);
      onSecond.subscribe(room, 0);
      WebAppSteps steps = new WebAppSteps(site);
      steps.signIn(browser, ada.username(), ada.password());
      browser.open(site + "room.xhtml?id=" + room);
      WebAppSteps.awaitConnected(browser);
      for (Person other : List.of(bob, cy)) {
        browser.await(
            "online in the members panel: " + other.username(),
            ExpectedConditions.attributeContains(
                By.cssSelector("#members li[data-subject='" + other.subject() + "']"),
                "class",
                "online"));
      }
      onFirst.sendMessage(room, "b1", "from the first chatserv");
      onSecond.sendMessage(room, "c1", "from the second chatserv");
      WebAppSteps.awaitStored(browser, "from the first chatserv");
      WebAppSteps.awaitStored(browser, "from the second chatserv");
      WebAppSteps.send(browser, "hello to both instances");
      awaitBody(onFirst, "hello to both instances");
      awaitBody(onSecond, "hello to both instances");
      browser.screenshot("cluster-presence");

      // Its chatfront dies: whichever instance made the session, one of the two is killed, and
      // nginx sends everything to the other, which must know the session (Data Grid).
      long killed = signal("-9", system.ready.service("chatfront").pid());
      log("kill -9 chatfront (pid " + killed + ") under a signed-in page");
      browser.driver.navigate().refresh();
      assertTrue(
          browser.driver.getCurrentUrl().contains("room.xhtml"),
          "still signed in after its chatfront was killed: " + browser.driver.getCurrentUrl());
      WebAppSteps.awaitConnected(browser);
      WebAppSteps.send(browser, "after chatfront was killed");
      awaitBody(onFirst, "after chatfront was killed");
      awaitBody(onSecond, "after chatfront was killed");
      onSecond.sendMessage(room, "c2", "still live?");
      WebAppSteps.awaitStored(browser, "still live?");
      browser.open(site + "rooms.xhtml");
      assertTrue(
          browser.driver.getCurrentUrl().contains("rooms.xhtml"),
          "pages of the other chatfront serve the same session");
      // ./chat up starts it again meanwhile; the fault test waits for it before it kills the other.
    }
  }

  private static void awaitBody(ChatClient client, String body) throws Exception {
    client.await(f -> f.type().equals("message") && body.equals(f.get("body")));
  }

  // ---- 3. the fault test of the cluster

  @Test
  @Order(3)
  void nothingAckedIsLostOrDoubledWhileInstancesAreKilledAndFrozen() throws Exception {
    // The first chatfront may still be starting again after the browser test killed it: a fault
    // below must not meet chatfront without an instance, and the load waits for nothing.
    system.awaitReady(system.ready.service("chatfront").port());
    List<Person> people = people(FAULT_CLIENTS);
    List<Long> rooms = rooms("cluster-fault", people, FAULT_ROOMS);
    AtomicBoolean done = new AtomicBoolean();
    List<FaultClient> clients = new ArrayList<>();
    for (int i = 0; i < FAULT_CLIENTS; i++) {
      Person person = people.get(i);
      clients.add(
          new FaultClient(i, person.subject(), throughNginx(), person.token(), rooms, done));
    }
    long loadStarted = System.nanoTime();
    clients.forEach(Thread::start);
    log(FAULT_CLIENTS + " clients through nginx in " + FAULT_ROOMS + " rooms");
    FaultTimeline timeline = new FaultTimeline(start);
    try {
      Thread.sleep(5000);
      // Frozen: its sockets stay open and nothing answers; the other drops it from the grid after
      // 10 s, and they merge again after it continues.
      long pid = system.ready.service("chatserv-2").pid();
      long began = System.nanoTime();
      signal("-STOP", pid);
      log("chatserv-2 frozen (pid " + pid + ")");
      try {
        Thread.sleep(CHATSERV_FREEZE.toMillis());
      } finally {
        signal("-CONT", pid);
      }
      after(
          timeline.add("chatserv-2 frozen 15 s", began, System.nanoTime(), false, false), clients);

      // The first chatfront serves when this one dies: chatserv's calls reach it through nginx's
      // internal port.
      pid = system.ready.service("chatfront-2").pid();
      began = System.nanoTime();
      signal("-9", pid);
      log("kill -9 chatfront-2 (pid " + pid + ")");
      after(timeline.add("chatfront-2 killed", began, began, false, false), clients);

      // Its sockets end; they reconnect through nginx, which finds the other instance, and resume
      // every room after their last seq. The fault is over for them at once: the other serves.
      pid = system.ready.service("chatserv").pid();
      began = System.nanoTime();
      signal("-9", pid);
      log("kill -9 chatserv (pid " + pid + ")");
      after(timeline.add("chatserv killed", began, began, false, true), clients);
      while (clients.stream().mapToInt(c -> c.sent.size()).sum() < FAULT_ENTRIES_AT_LEAST) {
        Thread.sleep(500);
      }
    } finally {
      done.set(true);
    }
    Counts counts = settle(clients, rooms);
    Duration loadTook = Duration.ofNanos(System.nanoTime() - loadStarted);
    System.out.println("[cluster fault test] " + counts);
    System.out.print(timeline.table(clients));
    List<Executable> checks = new ArrayList<>(counts.checks());
    checks.add(
        () ->
            assertTrue(
                counts.sent >= FAULT_ENTRIES_AT_LEAST,
                "at least " + FAULT_ENTRIES_AT_LEAST + " entries sent: " + counts.sent));
    checks.add(
        () ->
            assertTrue(
                loadTook.compareTo(TOKEN_LIFETIME.minusSeconds(30)) < 0,
                "every access token outlived the load: " + loadTook.toSeconds() + " s"));
    for (FaultTimeline.Fault fault : timeline.faults) {
      Optional<Duration> recovery = FaultTimeline.recovery(fault, clients);
      Duration bound =
          fault.name().contains("frozen") ? FREEZE_RECOVERY_BOUND : KILL_RECOVERY_BOUND;
      checks.add(
          () ->
              assertTrue(
                  recovery.isPresent() && recovery.get().compareTo(bound) <= 0,
                  fault.name()
                      + ": every client acked again within "
                      + bound.toSeconds()
                      + " s, took "
                      + recovery.map(Duration::toString).orElse("forever")
                      + "; "
                      + FaultTimeline.slowest(fault, clients)));
    }
    String access = Files.readString(system.logs().resolve("nginx/teamchat-access.log"));
    for (String chatserv : List.of("chatserv", "chatserv-2")) {
      String upstream = "upstream=127.0.0.1:" + system.ready.service(chatserv).port() + "/101";
      checks.add(() -> assertTrue(access.contains(upstream), "nginx put sockets on " + chatserv));
    }
    assertAll("what the cluster fault test holds the system to", checks);
  }

  /**
   * Once a fault is over: waits (at most a minute; the check at the end judges) until every client
   * has been acked an entry sent after it ended, then lets the load run steadily a moment.
   */
  private static void after(FaultTimeline.Fault fault, List<FaultClient> clients) throws Exception {
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
    log(
        fault.name()
            + ": every client acked again after "
            + FaultTimeline.recovery(fault, clients).map(Duration::toString).orElse("(not yet)"));
    Thread.sleep(STEADY.toMillis());
  }

  // ---- what the database and the clients say

  /** A stored entry: its room, seq and who sent it under which client id. */
  private record Row(long id, long room, long seq, String key, String kind) {}

  /**
   * The counts of a run, as {@link FaultIT} prints them.
   *
   * @param sent entries sent (each once, however often resent)
   * @param stored entries in the database
   */
  private record Counts(
      int sent,
      int stored,
      int ackedNotStored,
      int duplicates,
      int storedNeverSent,
      int gaps,
      int transcriptsDiffering,
      int transcripts,
      int outOfOrder,
      int secondDifferentAcks,
      int unsettled) {

    List<Executable> checks() {
      return List.of(
          () -> assertEquals(0, ackedNotStored, "acked but not stored"),
          () -> assertEquals(0, duplicates, "duplicates"),
          () -> assertEquals(0, storedNeverSent, "stored but never sent"),
          () -> assertEquals(0, gaps, "gaps in a room's seq"),
          () ->
              assertEquals(0, transcriptsDiffering, "transcripts differing from the stored order"),
          () -> assertEquals(0, outOfOrder, "entries out of seq order"),
          () -> assertEquals(0, secondDifferentAcks, "second, different acks"),
          () -> assertEquals(0, unsettled, "entries neither acked nor given up for good"));
    }

    @Override
    public String toString() {
      return "sent "
          + sent
          + ", stored "
          + stored
          + "; acked-but-not-stored "
          + ackedNotStored
          + ", duplicates "
          + duplicates
          + ", stored-but-never-sent "
          + storedNeverSent
          + ", seq gaps "
          + gaps
          + ", transcripts differing "
          + transcriptsDiffering
          + " of "
          + transcripts
          + ", out of order "
          + outOfOrder
          + ", second different acks "
          + secondDifferentAcks
          + ", unsettled "
          + unsettled;
    }
  }

  /**
   * Waits for the clients to have every entry acked (or given up for good), then for every client
   * to have seen every stored entry, and counts.
   */
  private static Counts settle(List<FaultClient> clients, List<Long> rooms) throws Exception {
    for (FaultClient client : clients) {
      client.join(TimeUnit.SECONDS.toMillis(FaultClient.SETTLE_SECONDS + 30));
      assertFalse(client.isAlive(), "client " + client.index + " did not finish");
      if (client.failure != null) {
        throw new AssertionError("client " + client.index + " failed", client.failure);
      }
    }
    Map<Long, List<Row>> stored = storedRows(rooms);
    Map<Long, Integer> storedPerRoom = new HashMap<>();
    stored.forEach((room, rows) -> storedPerRoom.put(room, rows.size()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (FaultClient client : clients) {
      client.awaitTranscripts(storedPerRoom, deadline);
    }
    Map<String, FaultClient.Sent> sentByKey = new HashMap<>();
    for (FaultClient client : clients) {
      client.sent.values().forEach(s -> sentByKey.put(client.subject + " " + s.clientMsgId, s));
    }
    Map<String, Row> byKey = new HashMap<>();
    int duplicates = 0;
    int neverSent = 0;
    int gaps = 0;
    int storedCount = 0;
    for (List<Row> rows : stored.values()) {
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        storedCount++;
        if (row.seq != i + 1) {
          gaps++;
        }
        if (byKey.put(row.key, row) != null) {
          duplicates++;
        }
        FaultClient.Sent sent = sentByKey.get(row.key);
        if (sent == null || sent.room != row.room || !sent.kind.equals(row.kind)) {
          neverSent++;
        }
      }
    }
    int ackedNotStored = 0;
    int unsettled = 0;
    for (Map.Entry<String, FaultClient.Sent> each : sentByKey.entrySet()) {
      FaultClient.Sent sent = each.getValue();
      Row row = byKey.get(each.getKey());
      if (sent.ack == null) {
        if (!sent.givenUp && sent.refused == null) {
          unsettled++;
        }
        continue;
      }
      if (row == null
          || row.id != ((Number) sent.ack.get("id")).longValue()
          || row.seq != ((Number) sent.ack.get("seq")).longValue()) {
        ackedNotStored++;
      }
    }
    int differing = 0;
    for (FaultClient client : clients) {
      for (Map.Entry<Long, List<Row>> room : stored.entrySet()) {
        if (!room.getValue().stream()
            .map(Row::id)
            .toList()
            .equals(client.transcripts.get(room.getKey()))) {
          differing++;
        }
      }
    }
    return new Counts(
        sentByKey.size(),
        storedCount,
        ackedNotStored,
        duplicates,
        neverSent,
        gaps,
        differing,
        clients.size() * stored.size(),
        sum(clients, c -> c.outOfOrder),
        sum(clients, c -> c.differentAcks),
        unsettled);
  }

  private static int sum(List<FaultClient> clients, ToIntFunction<FaultClient> count) {
    return clients.stream().mapToInt(count).sum();
  }

  private static Map<Long, List<Row>> storedRows(List<Long> rooms) throws Exception {
    Map<Long, List<Row>> stored = new LinkedHashMap<>();
    rooms.forEach(room -> stored.put(room, new ArrayList<>()));
    try (Connection db = system.chatDatabase();
        PreparedStatement select =
            db.prepareStatement(
                "SELECT m.id, m.room_id, m.seq, u.subject, m.client_msg_id, m.kind"
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
                  rows.getString(4) + " " + rows.getString(5),
                  rows.getString(6));
          stored.get(row.room).add(row);
        }
      }
    }
    return stored;
  }

  // ---- the cluster's parts

  private static List<Person> people(int count) throws Exception {
    List<Person> people = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      people.add(system.person());
    }
    return people;
  }

  private static List<Long> rooms(String prefix, List<Person> people, int count) throws Exception {
    List<Long> rooms = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rooms.add(system.privateRoom(prefix, people.stream().map(Person::subject).toList()));
    }
    return rooms;
  }

  /** A chatserv instance's own WebSocket, as ready.json names it. */
  private static URI instance(String name) {
    return URI.create(system.ready.service(name).url());
  }

  private static URI throughNginx() {
    return URI.create("ws://127.0.0.1:" + proxyPort + "/ws");
  }

  /** {@code kill <signal> <pid>}; returns the pid. */
  private static long signal(String signal, long pid) throws Exception {
    if (pid <= 1) {
      throw new AssertionError("refusing to signal pid " + pid);
    }
    int status =
        new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor();
    assertEquals(0, status, "kill " + signal + " " + pid);
    return pid;
  }

  /**
   * The logs, kept in {@code system-tests/target/cluster-logs/} (the data folder goes): after the
   * run, or when the cluster did not start.
   */
  private static void keepLogs(Path logFolder) throws IOException {
    if (!Files.isDirectory(logFolder)) {
      return;
    }
    Path kept =
        Files.createDirectories(RunningSystem.ROOT.resolve("system-tests/target/cluster-logs"));
    try (var logs = Files.walk(logFolder)) {
      for (Path log : logs.filter(Files::isRegularFile).toList()) {
        Path target = kept.resolve(logFolder.relativize(log).toString().replace('/', '-'));
        Files.copy(log, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    System.out.println("[cluster test] the logs are kept in " + kept);
  }
}
