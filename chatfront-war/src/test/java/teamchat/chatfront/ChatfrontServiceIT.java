package teamchat.chatfront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import teamchat.localpostgres.TestDatabase;
import teamchat.tokentestkit.ForgedTokens;
import teamchat.tokentestkit.ServerLog;
import teamchat.tokentestkit.TestAuthority;

/**
 * The chatfront WAR as built, on Payara Micro with the project's domain config and a real
 * PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
class ChatfrontServiceIT {

  @Deployment(testable = false)
  static WebArchive builtWar() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("teamchat.test.war")));
  }

  @ArquillianResource URL base;

  /** HTTP/1.1 as browsers behind nginx speak it; no h2c upgrade in between. */
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void readinessIncludesTheDatabase() throws Exception {
    HttpResponse<String> ready = get(URI.create(serverRoot() + "/health/ready"));
    assertEquals(200, ready.statusCode(), ready.body());
    List<Object> checks =
        JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(ready.body()), "checks");
    assertTrue(
        checks.stream()
            .map(check -> (Map<?, ?>) check)
            .anyMatch(
                check -> "database".equals(check.get("name")) && "UP".equals(check.get("status"))),
        ready.body());
  }

  @Test
  void startupMigratedTheChatSchema() throws Exception {
    assertEquals("3", TestDatabase.migratedVersion("chat"));
    for (String table :
        new String[] {
          "chat_user", "room", "direct_room", "membership", "message", "membership_change"
        }) {
      assertTrue(TestDatabase.tableExists("chat", table), "table chat." + table);
    }
  }

  @Test
  void servesTheWelcomePageAsHtmlWithoutSessionIdInLinks() throws Exception {
    HttpResponse<String> page = get(base.toURI());
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("<title>Welcome · Team chat</title>"), page.body());
    assertTrue(page.body().contains("register.xhtml"), "a way to create an account");
    assertTrue(page.body().contains("css/chat.css"), "stylesheet linked");
    assertTrue(!page.body().contains("jsessionid"), "no session id in URLs");
    assertTrue(
        page.headers()
            .firstValue("Content-Security-Policy")
            .orElse("")
            .contains("script-src 'self'"),
        "a strict Content-Security-Policy");
  }

  // ---- the REST API's token checks (tokens from a test-only authority standing in for auth)

  private static TestAuthority authority;

  @BeforeAll
  static void startTestAuthority() {
    authority = TestAuthority.startOnReservedPort();
  }

  @AfterAll
  static void stopTestAuthorityAndCheckTheLog() throws Exception {
    authority.close();
    // Every token this class sent, valid or forged: none may have been logged.
    ServerLog.assertHoldsNone(authority.issued(), "Schema chat at version");
  }

  @Test
  void apiAnswersTheRightPersonRefusesTheAnonymousAndForbidsOtherRoles() throws Exception {
    String subject = UUID.randomUUID().toString();
    HttpResponse<String> me = api("me", authority.userToken(subject, "ada"));
    assertEquals(200, me.statusCode(), me.body());
    Map<String, Object> who = json(me);
    assertEquals(subject, who.get("subject"));
    assertEquals("ada", who.get("username"));

    HttpResponse<String> anonymous = api("me", null);
    assertEquals(401, anonymous.statusCode(), "no token");
    assertEquals("token_missing", JSONObjectUtils.parse(anonymous.body()).get("code"));
    assertTrue(
        anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
        anonymous.headers().toString());
    assertEquals(
        403, api("me", authority.serviceToken("chatserv")).statusCode(), "a service is not a user");
  }

  @Test
  void everyForgedTokenIsRefused() throws Exception {
    assertEquals(
        200, api("me", authority.userToken("control", "control")).statusCode(), "positive control");
    Map<String, String> forged = ForgedTokens.against(authority);
    StringBuilder accepted = new StringBuilder();
    for (Map.Entry<String, String> attack : forged.entrySet()) {
      int status;
      try {
        status = api("me", attack.getValue()).statusCode();
      } catch (IOException closed) {
        status = 400; // the server would not even read the request (the 64 KB header): refused
      }
      if (status < 400 || status >= 500) {
        accepted.append(attack.getKey()).append(" -> ").append(status).append('\n');
      }
    }
    assertEquals("", accepted.toString(), "forged tokens not refused with a 4xx");
    assertTrue(forged.size() >= 19, "the whole matrix ran: " + forged.size());
  }

  @Test
  void aRevokedSessionIsRefusedWithinOneSecond() throws Exception {
    String sid = UUID.randomUUID().toString();
    String token = authority.token(c -> c.claim("sid", sid));
    assertEquals(200, api("me", token).statusCode());
    authority.revoke(sid);
    long revokedAt = System.nanoTime();
    int status = 200;
    while (status == 200 && System.nanoTime() - revokedAt < 3_000_000_000L) {
      Thread.sleep(50);
      status = api("me", token).statusCode();
    }
    long millis = (System.nanoTime() - revokedAt) / 1_000_000;
    assertEquals(401, status, "refused after logout");
    assertTrue(millis <= 1000, "refused " + millis + " ms after the revocation was published");
  }

  // ---- the REST contract for chatserv

  /**
   * A room with members, made directly in the database (the pages that create rooms come later).
   */
  private record Seeded(long room, String member, String other, String stranger) {}

  private Seeded seedRoom() throws Exception {
    String member = "u-" + UUID.randomUUID();
    String other = "u-" + UUID.randomUUID();
    String stranger = "u-" + UUID.randomUUID();
    try (var db = TestDatabase.connect()) {
      for (String subject : List.of(member, other, stranger)) {
        try (var insert =
            db.prepareStatement(
                "INSERT INTO chat.chat_user (subject, display_name) VALUES (?, ?)")) {
          insert.setString(1, subject);
          insert.setString(2, subject.substring(0, 10));
          insert.executeUpdate();
        }
      }
      long room;
      try (var insert =
          db.prepareStatement(
              "INSERT INTO chat.room (name, visibility) VALUES (?, 'public') RETURNING id")) {
        insert.setString(1, "room-" + UUID.randomUUID());
        var rows = insert.executeQuery();
        rows.next();
        room = rows.getLong(1);
      }
      for (String subject : List.of(member, other)) {
        try (var insert =
            db.prepareStatement(
                "INSERT INTO chat.membership (room_id, user_id, role)"
                    + " SELECT ?, id, 'member' FROM chat.chat_user WHERE subject = ?")) {
          insert.setLong(1, room);
          insert.setString(2, subject);
          insert.executeUpdate();
        }
      }
      return new Seeded(room, member, other, stranger);
    }
  }

  private static String message(String sender, long room, String clientId, String body) {
    return "{\"sender\":\""
        + sender
        + "\",\"room\":"
        + room
        + ",\"client_msg_id\":\""
        + clientId
        + "\",\"body\":\""
        + body
        + "\"}";
  }

  private static String batch(List<String> messages) {
    return "{\"messages\":[" + String.join(",", messages) + "]}";
  }

  private HttpResponse<String> storeBatch(String json) throws Exception {
    return apiPost("messages/batch", json, authority.serviceToken("chatserv"));
  }

  private static List<Map<String, Object>> outcomes(HttpResponse<String> response)
      throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> outcomes =
        (List<Map<String, Object>>)
            (List<?>)
                JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(response.body()), "outcomes");
    return outcomes;
  }

  @Test
  void aBatchIsStoredInOrderAndAResendReturnsTheFirstAck() throws Exception {
    Seeded seeded = seedRoom();
    List<String> messages = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      messages.add(
          message(
              i % 2 == 0 ? seeded.other() : seeded.member(), seeded.room(), "c" + i, "hello " + i));
    }
    List<Map<String, Object>> first = outcomes(storeBatch(batch(messages)));
    for (int i = 0; i < 5; i++) {
      assertEquals(
          201L, ((Number) first.get(i).get("status")).longValue(), first.get(i).toString());
      assertEquals(i + 1L, ((Number) first.get(i).get("seq")).longValue(), "gap-free from 1");
    }
    List<Map<String, Object>> again = outcomes(storeBatch(batch(messages)));
    for (int i = 0; i < 5; i++) {
      assertEquals(200L, ((Number) again.get(i).get("status")).longValue());
      assertEquals(first.get(i).get("id"), again.get(i).get("id"));
      assertEquals(first.get(i).get("seq"), again.get(i).get("seq"));
      assertEquals(first.get(i).get("time"), again.get(i).get("time"));
    }
    assertEquals(5, count("SELECT count(*) FROM chat.message WHERE room_id = " + seeded.room()));

    List<Map<String, Object>> conflict =
        outcomes(
            storeBatch(
                batch(List.of(message(seeded.member(), seeded.room(), "c1", "another text")))));
    assertEquals(409L, ((Number) conflict.get(0).get("status")).longValue());
    assertEquals("client_msg_id_reused", conflict.get(0).get("code"));
  }

  @Test
  void concurrentRetriesOfOneBatchStoreEachMessageOnceWithOneAck() throws Exception {
    Seeded seeded = seedRoom();
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      messages.add(message(seeded.member(), seeded.room(), "retry-" + i, "text " + i));
    }
    String json = batch(messages);
    var pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<Map<String, Object>>>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(pool.submit(() -> outcomes(storeBatch(json))));
      }
      List<Map<String, Object>> reference = answers.get(0).get(60, TimeUnit.SECONDS);
      for (var answer : answers) {
        List<Map<String, Object>> outcomes = answer.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) {
          assertTrue(
              Set.of(200L, 201L).contains(((Number) outcomes.get(i).get("status")).longValue()));
          assertEquals(
              reference.get(i).get("id"),
              outcomes.get(i).get("id"),
              "the same ack for every retry");
          assertEquals(reference.get(i).get("seq"), outcomes.get(i).get("seq"));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(20, count("SELECT count(*) FROM chat.message WHERE room_id = " + seeded.room()));
    assertEquals(20, count("SELECT max(seq) FROM chat.message WHERE room_id = " + seeded.room()));
  }

  @Test
  void concurrentWritersToOneRoomGetAGapFreeSequence() throws Exception {
    Seeded seeded = seedRoom();
    var pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int writer = 0; writer < 8; writer++) {
        int w = writer;
        writers.add(
            pool.submit(
                () -> {
                  for (int b = 0; b < 5; b++) {
                    List<String> messages = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                      String sender = w % 2 == 0 ? seeded.member() : seeded.other();
                      messages.add(
                          message(sender, seeded.room(), "w" + w + "-" + b + "-" + i, "x"));
                    }
                    outcomes(storeBatch(batch(messages)));
                  }
                  return null;
                }));
      }
      for (var writer : writers) {
        writer.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long room = seeded.room();
    assertEquals(200, count("SELECT count(*) FROM chat.message WHERE room_id = " + room));
    assertEquals(
        200, count("SELECT count(DISTINCT seq) FROM chat.message WHERE room_id = " + room));
    assertEquals(1, count("SELECT min(seq) FROM chat.message WHERE room_id = " + room));
    assertEquals(200, count("SELECT max(seq) FROM chat.message WHERE room_id = " + room));
    assertEquals(200, count("SELECT last_seq FROM chat.room WHERE id = " + room));
  }

  @Test
  void aNonMemberCanNeitherPostNorRead() throws Exception {
    Seeded seeded = seedRoom();
    List<Map<String, Object>> outcome =
        outcomes(
            storeBatch(
                batch(List.of(message(seeded.stranger(), seeded.room(), "s1", "let me in")))));
    assertEquals(403L, ((Number) outcome.get(0).get("status")).longValue());
    assertEquals("not_a_member", outcome.get(0).get("code"));
    assertEquals(0, count("SELECT count(*) FROM chat.message WHERE room_id = " + seeded.room()));

    String service = authority.serviceToken("chatserv");
    HttpResponse<String> read =
        api(
            "rooms/" + seeded.room() + "/messages?member=" + seeded.stranger() + "&after=0",
            service);
    assertEquals(403, read.statusCode());
    assertEquals("not_a_member", JSONObjectUtils.parse(read.body()).get("code"), read.body());
  }

  @Test
  void pagesReturnExactRanges() throws Exception {
    Seeded seeded = seedRoom();
    List<String> messages = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      messages.add(message(seeded.member(), seeded.room(), "p" + i, "page " + i));
    }
    outcomes(storeBatch(batch(messages)));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(page(seeded, "after=0&limit=5")));
    assertEquals(List.of(6L, 7L, 8L, 9L, 10L), seqs(page(seeded, "after=5&limit=5")));
    assertEquals(List.of(11L, 12L), seqs(page(seeded, "after=10&limit=5")));
    assertEquals(List.of(), seqs(page(seeded, "after=12")));
    assertEquals(List.of(8L, 9L, 10L), seqs(page(seeded, "before=11&limit=3")));
    assertEquals(List.of(1L, 2L), seqs(page(seeded, "before=3&limit=10")));
    Map<String, Object> page = JSONObjectUtils.parse(page(seeded, "after=0&limit=1").body());
    assertEquals(12L, ((Number) page.get("last_seq")).longValue());
    List<Object> first = JSONObjectUtils.getJSONArray(page, "messages");
    assertEquals(seeded.member(), ((Map<?, ?>) first.get(0)).get("sender"));
    assertEquals("page 1", ((Map<?, ?>) first.get(0)).get("body"));

    HttpResponse<String> rooms =
        api("users/" + seeded.member() + "/rooms", authority.serviceToken("chatserv"));
    Map<?, ?> membership = roomOf(rooms, seeded.room());
    assertEquals(12L, ((Number) membership.get("last_seq")).longValue(), rooms.body());
  }

  @Test
  void badInputIsAClientErrorNeverAServerError() throws Exception {
    Seeded seeded = seedRoom();
    String service = authority.serviceToken("chatserv");
    Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
    answers.put("empty batch", storeBatch("{\"messages\":[]}"));
    answers.put("no messages", storeBatch("{}"));
    answers.put("not json", storeBatch("{\"messages\": ["));
    answers.put("wrong types", storeBatch("{\"messages\":\"all of them\"}"));
    answers.put(
        "room as text",
        storeBatch(
            batch(
                List.of(
                    "{\"sender\":\"x\",\"room\":\"one\",\"client_msg_id\":\"a\",\"body\":\"b\"}"))));
    String path = "rooms/" + seeded.room() + "/messages?member=" + seeded.member();
    answers.put("neither after nor before", api(path, service));
    answers.put("both after and before", api(path + "&after=1&before=5", service));
    answers.put("negative after", api(path + "&after=-1", service));
    answers.put("limit 0", api(path + "&after=0&limit=0", service));
    answers.put("limit too large", api(path + "&after=0&limit=100000", service));
    answers.put("after not a number", api(path + "&after=abc", service));
    answers.put("no member", api("rooms/" + seeded.room() + "/messages?after=0", service));
    StringBuilder wrong = new StringBuilder();
    answers.forEach(
        (what, answer) -> {
          if (answer.statusCode() < 400 || answer.statusCode() >= 500) {
            wrong
                .append(what)
                .append(" -> ")
                .append(answer.statusCode())
                .append(' ')
                .append(answer.body())
                .append('\n');
          }
        });
    assertEquals("", wrong.toString(), "each bad input gets a 4xx");
  }

  @Test
  void theInternalApiIsForServicesOnly() throws Exception {
    Seeded seeded = seedRoom();
    String json = batch(List.of(message(seeded.member(), seeded.room(), "only", "x")));
    assertEquals(401, apiPost("messages/batch", json, null).statusCode());
    assertEquals(
        403,
        apiPost("messages/batch", json, authority.userToken(seeded.member(), "m")).statusCode());
    assertEquals(0, count("SELECT count(*) FROM chat.message WHERE room_id = " + seeded.room()));
  }

  // ---- issue 13: one bad message is refused alone (finding 2)

  @Test
  void aBadMessageIsRefusedAloneAndTheRestOfItsBatchIsStored() throws Exception {
    Seeded seeded = seedRoom();
    int logLines = ServerLog.read().split("\n").length;
    List<String> messages =
        List.of(
            message(seeded.member(), seeded.room(), "ok-1", "before"),
            message(seeded.other(), seeded.room(), "nul", "a\\u0000b"),
            message(seeded.member(), seeded.room(), "surrogate", "a\\ud800b"),
            message(seeded.other(), seeded.room(), "escape", "bell \\u0007"),
            message(seeded.member(), seeded.room(), "empty", ""),
            message(seeded.member(), seeded.room(), "long", "x".repeat(4001)),
            message(seeded.member(), seeded.room(), "a b", "client id with a space"),
            message(seeded.member(), 0, "room-0", "no such room id"),
            message(seeded.other(), seeded.room(), "nfc", "Cafe\\u0301 \\ud83d\\ude00"),
            message(seeded.member(), seeded.room(), "emoji", "\\ud83d\\ude00".repeat(4000)),
            "{\"sender\":\""
                + seeded.member()
                + "\",\"room\":"
                + seeded.room()
                + ",\"client_msg_id\":\"no-body\"}");
    List<Map<String, Object>> outcomes = outcomes(storeBatch(batch(messages)));
    List<String> got = new ArrayList<>();
    for (Map<String, Object> outcome : outcomes) {
      got.add(((Number) outcome.get("status")).longValue() + " " + outcome.get("code"));
    }
    assertEquals(
        List.of(
            "201 stored",
            "422 invalid_body",
            "422 invalid_body",
            "422 invalid_body",
            "422 invalid_body",
            "422 invalid_body",
            "422 invalid_client_msg_id",
            "422 invalid_room",
            "201 stored",
            "201 stored",
            "422 invalid_body"),
        got,
        "each message's own outcome");
    assertEquals(1L, ((Number) outcomes.get(0).get("seq")).longValue());
    assertEquals(2L, ((Number) outcomes.get(8).get("seq")).longValue(), "no gap for the refused");
    assertEquals(3, count("SELECT count(*) FROM chat.message WHERE room_id = " + seeded.room()));
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM chat.message WHERE client_msg_id = 'nfc'"
                + " AND body = 'Caf\u00e9 \ud83d\ude00'"),
        "stored in NFC");
    Thread.sleep(500);
    int added = ServerLog.read().split("\n").length - logLines;
    assertTrue(added <= 3, "bad messages flood the log: " + added + " lines");
  }

  // ---- membership changes for chatserv (finding 3)

  private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    return JSONObjectUtils.parse(response.body());
  }

  private long lastChange() throws Exception {
    return ((Number)
            json(api("memberships/changes?after=0", authority.serviceToken("chatserv")))
                .get("last"))
        .longValue();
  }

  @Test
  void theMembershipFeedNamesEveryEndedMembershipAndWaitsForTheNext() throws Exception {
    String service = authority.serviceToken("chatserv");
    assertEquals(401, api("memberships/changes", null).statusCode());
    assertEquals(
        403, api("memberships/changes", authority.userToken("someone", "someone")).statusCode());

    // Drain the feed to its end (other tests end memberships too).
    long last = 0;
    for (Map<String, Object> page = json(api("memberships/changes?after=0", service));
        !((List<?>) page.get("changes")).isEmpty();
        page = json(api("memberships/changes?after=" + last, service))) {
      last = ((Number) page.get("last")).longValue();
    }

    // Nothing new: the answer comes after the wait, with nothing.
    long started = System.nanoTime();
    Map<String, Object> none =
        json(api("memberships/changes?after=" + last + "&wait_ms=400", service));
    long waited = (System.nanoTime() - started) / 1_000_000;
    assertEquals(List.of(), none.get("changes"));
    assertEquals(last, ((Number) none.get("last")).longValue());
    assertTrue(waited >= 350, "answered after " + waited + " ms, not after the wait");

    // A waiting request is answered as soon as someone's membership ends.
    Seeded seeded = seedRoom();
    long after = last;
    var pool = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> waiting =
          pool.submit(() -> api("memberships/changes?after=" + after + "&wait_ms=20000", service));
      Thread.sleep(500);
      long left = System.nanoTime();
      execute(
          "DELETE FROM chat.membership WHERE room_id = "
              + seeded.room()
              + " AND user_id = (SELECT id FROM chat.chat_user WHERE subject = '"
              + seeded.other()
              + "')");
      Map<String, Object> changed = json(waiting.get(10, TimeUnit.SECONDS));
      long millis = (System.nanoTime() - left) / 1_000_000;
      assertTrue(millis < 2000, "the change came " + millis + " ms after the leave");
      List<?> changes = (List<?>) changed.get("changes");
      assertEquals(1, changes.size(), changed.toString());
      Map<?, ?> change = (Map<?, ?>) changes.get(0);
      assertEquals(seeded.room(), ((Number) change.get("room")).longValue());
      assertEquals(seeded.other(), change.get("user"));
      assertEquals("left", change.get("kind"));
      assertEquals(
          ((Number) change.get("id")).longValue(), ((Number) changed.get("last")).longValue());
      last = ((Number) changed.get("last")).longValue();
    } finally {
      pool.shutdownNow();
    }

    // Deleting a room ends every membership in it.
    execute("DELETE FROM chat.room WHERE id = " + seeded.room());
    Map<String, Object> deleted = json(api("memberships/changes?after=" + last, service));
    List<?> changes = (List<?>) deleted.get("changes");
    assertEquals(1, changes.size(), deleted.toString());
    assertEquals(seeded.member(), ((Map<?, ?>) changes.get(0)).get("user"));
    assertEquals("room_deleted", ((Map<?, ?>) changes.get(0)).get("kind"));
  }

  // ---- the web pages: sessions, forms, errors, redirects (findings 3, 4, 6, 7, 9, 16)

  private Browser browser() {
    return new Browser(serverRoot());
  }

  @Test
  void anonymousPagesMakeNoSession() throws Exception {
    Browser anonymous = browser();
    for (int i = 0; i < 10; i++) {
      for (String page : List.of("/", "/index.xhtml", "/login.xhtml", "/register.xhtml")) {
        HttpResponse<String> response = get(URI.create(serverRoot() + page));
        assertEquals(200, response.statusCode(), page);
        assertEquals(
            List.of(), response.headers().allValues("Set-Cookie"), page + " made a session");
      }
    }
    // A failed sign-in neither.
    HttpResponse<String> refused =
        anonymous.submit(
            anonymous.get("/login.xhtml"),
            "login",
            Map.of(
                "username",
                "nobody-" + UUID.randomUUID().toString().substring(0, 8),
                "password",
                "wrong password"),
            "submit");
    assertEquals(200, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("Wrong username or password."), refused.body());
    assertEquals(List.of(), refused.headers().allValues("Set-Cookie"));
  }

  @Test
  void formsFromOtherSitesAreRefused() throws Exception {
    String name = "ada" + UUID.randomUUID().toString().substring(0, 8);
    authority.account(name, "Ada", "correct horse battery");
    Browser victim = browser();
    Map<String, String> credentials = Map.of("username", name, "password", "correct horse battery");
    HttpResponse<String> page = victim.get("/login.xhtml");
    assertEquals(
        403,
        victim
            .submit(page, "login", credentials, "submit", Map.of("Origin", "https://evil.example"))
            .statusCode());
    assertEquals(
        403,
        victim
            .submit(page, "login", credentials, "submit", Map.of("Sec-Fetch-Site", "cross-site"))
            .statusCode());
    HttpResponse<String> same =
        victim.submit(
            page,
            "login",
            credentials,
            "submit",
            Map.of("Origin", "https://chat.example.test", "Sec-Fetch-Site", "same-origin"));
    assertEquals(302, same.statusCode(), same.body());
  }

  @Test
  void badFormInputGetsAClearErrorInThePageNeverAServerReport() throws Exception {
    String name = "bob" + UUID.randomUUID().toString().substring(0, 8);
    authority.account(name, "Bob", "correct horse battery");
    Browser bob = browser();
    Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
    answers.put(
        "NUL in the sign-in name",
        bob.submit(
            bob.get("/login.xhtml"),
            "login",
            Map.of("username", "ad\u0000a", "password", "x"),
            "submit"));
    answers.put(
        "lone surrogate in the password",
        bob.submit(
            bob.get("/login.xhtml"),
            "login",
            Map.of("username", "ada", "password", "x\ud800"),
            "submit"));
    answers.put(
        "NUL in the registration name",
        bob.submit(
            bob.get("/register.xhtml"),
            "register",
            Map.of(
                "username", "n\u0000l",
                "displayName", "x\u0000",
                "password", "long enough password",
                "passwordAgain", "long enough password"),
            "submit"));
    bob.signIn(name, "correct horse battery");
    long room = bob.createRoom("room-" + UUID.randomUUID(), false);
    answers.put(
        "NUL in a room name",
        bob.submit(
            bob.get("/rooms.xhtml"),
            "create",
            Map.of("name", "a\u0000b", "topic", "", "visibility", "true"),
            "submit"));
    answers.put(
        "room name too long",
        bob.submit(
            bob.get("/rooms.xhtml"),
            "create",
            Map.of("name", "x".repeat(65), "topic", "", "visibility", "true"),
            "submit"));
    answers.put(
        "bell in a topic",
        bob.submit(
            bob.get("/rooms.xhtml"),
            "create",
            Map.of(
                "name", "fine name " + UUID.randomUUID(), "topic", "\u0007", "visibility", "true"),
            "submit"));
    answers.put(
        "NUL in a direct message name",
        bob.submit(bob.get("/rooms.xhtml"), "direct", Map.of("username", "a\u0000b"), "submit"));
    answers.put(
        "NUL in an invitation",
        bob.submit(
            bob.get("/room.xhtml?id=" + room), "invite", Map.of("username", "a\u0000b"), "submit"));
    answers.put(
        "a megabyte in an invitation",
        bob.submit(
            bob.get("/room.xhtml?id=" + room),
            "invite",
            Map.of("username", "x".repeat(1 << 20)),
            "submit"));
    StringBuilder wrong = new StringBuilder();
    answers.forEach(
        (what, answer) -> {
          String body = answer.body();
          if (answer.statusCode() != 200
              || !body.contains("class=\"error")
              || body.contains("Exception")
              || body.contains("EclipseLink")
              || body.contains("Payara")
              || body.contains("SQL")) {
            wrong.append(what).append(" -> ").append(answer.statusCode()).append('\n');
          }
        });
    assertEquals("", wrong.toString(), "each bad input gets an error in the page");
    assertEquals(0, count("SELECT count(*) FROM chat.room WHERE name LIKE 'fine name %'"));
  }

  @Test
  void errorPagesAreTheApplicationsOwnWithTheSecurityHeaders() throws Exception {
    Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
    answers.put("404", get(URI.create(serverRoot() + "/no-such-page")));
    answers.put("404 page", get(URI.create(serverRoot() + "/no-such-page.xhtml")));
    answers.put(
        "405",
        http.send(
            HttpRequest.newBuilder(URI.create(serverRoot() + "/error"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString()));
    for (var answer : answers.entrySet()) {
      HttpResponse<String> response = answer.getValue();
      String what = answer.getKey();
      assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, what);
      assertTrue(
          response
              .headers()
              .firstValue("Content-Security-Policy")
              .orElse("")
              .contains("default-src"),
          what + ": CSP");
      assertEquals(
          "nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), what);
      assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(""), what);
      assertTrue(response.body().contains("Team chat"), what + ": the site's own page");
      for (String leak : List.of("Payara", "GlassFish", "Exception", "Grizzly")) {
        assertTrue(!response.body().contains(leak), what + " names " + leak);
      }
    }
    HttpResponse<String> api = api("no/such/resource", authority.serviceToken("chatserv"));
    assertEquals(404, api.statusCode());
    assertEquals("not_found", JSONObjectUtils.parse(api.body()).get("code"), api.body());
    HttpResponse<String> signedOut = get(URI.create(serverRoot() + "/session/rooms/1/members"));
    assertEquals(401, signedOut.statusCode(), signedOut.body());
    Map<String, Object> problem = JSONObjectUtils.parse(signedOut.body());
    assertEquals("signed_out", problem.get("code"));
    assertEquals("Sign in again.", problem.get("message"));
  }

  @Test
  void aViewStateFacesCannotParseIsABadRequestNotAServerError() throws Exception {
    get(URI.create(serverRoot() + "/login.xhtml")); // the page compiled before counting
    Thread.sleep(300);
    int before = ServerLog.read().split("\n").length;
    Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
    for (String junk : List.of("junk", "junk%00", "1:2:3", "%ED%A0%80", "")) {
      answers.put(
          "GET with " + junk,
          get(URI.create(serverRoot() + "/login.xhtml?jakarta.faces.ViewState=" + junk)));
    }
    answers.put(
        "POST with NUL fields and junk",
        http.send(
            HttpRequest.newBuilder(URI.create(serverRoot() + "/login.xhtml"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "login=login&login%3Ausername=a%00b&login%3Apassword=%00"
                            + "&jakarta.faces.ViewState=junk%00"))
                .build(),
            HttpResponse.BodyHandlers.ofString()));
    answers.forEach(
        (what, answer) -> {
          assertEquals(400, answer.statusCode(), what);
          assertTrue(answer.body().contains("Team chat"), what + ": the site's own page");
        });
    // A well-formed id that names no state is Faces' business: the expired page, never a 500.
    HttpResponse<String> unknown =
        get(URI.create(serverRoot() + "/login.xhtml?jakarta.faces.ViewState=123:-456"));
    assertTrue(unknown.statusCode() < 500, "unknown id -> " + unknown.statusCode());
    Thread.sleep(500);
    int added = ServerLog.read().split("\n").length - before;
    assertTrue(added <= 3, "junk view states added " + added + " log lines");
  }

  @Test
  void junkBearerTokensOnPagesAddNoStackTraces() throws Exception {
    get(URI.create(serverRoot() + "/login.xhtml")); // the page compiled before counting
    Thread.sleep(300);
    int before = ServerLog.read().split("\n").length;
    for (int i = 0; i < 20; i++) {
      String page = List.of("/", "/login.xhtml", "/rooms.xhtml", "/api/me").get(i % 4);
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(serverRoot() + page))
                  .header("Authorization", "Bearer junk")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertTrue(response.statusCode() < 500, page + " -> " + response.statusCode());
    }
    Thread.sleep(500);
    int added = ServerLog.read().split("\n").length - before;
    assertTrue(added <= 3, "20 junk tokens added " + added + " log lines");
  }

  @Test
  void redirectsGoToThePublicAddressWhateverTheHostHeaderSays() throws Exception {
    for (String page : List.of("/rooms.xhtml", "/room.xhtml?id=1")) {
      String answer = rawGet(page, "evil.example");
      assertTrue(answer.startsWith("HTTP/1.1 302"), answer);
      assertTrue(answer.contains("\nLocation: https://chat.example.test/login.xhtml"), answer);
      assertTrue(!answer.contains("evil.example"), answer);
    }
  }

  /** A request with a forged Host header (HttpClient will not send one). */
  private String rawGet(String path, String host) throws Exception {
    try (var socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String text =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return text.replace("\r\n", "\n").replaceAll("(?i)\nlocation:", "\nLocation:");
    }
  }

  @Test
  void someoneKnownOnlyFromTheSocketCanBeInvitedAndTheirLeavingReachesTheFeed() throws Exception {
    String owner = "own" + UUID.randomUUID().toString().substring(0, 8);
    authority.account(owner, "Owner", "correct horse battery");
    Browser browser = browser();
    browser.signIn(owner, "correct horse battery");
    long room = browser.createRoom("private-" + UUID.randomUUID(), false);

    // Someone who never opened the web app: chatserv reports them when their socket signs in.
    String guest = "gst" + UUID.randomUUID().toString().substring(0, 8);
    String guestSubject = "u-" + UUID.randomUUID();
    String service = authority.serviceToken("chatserv");
    HttpResponse<String> unknown =
        browser.submit(
            browser.get("/room.xhtml?id=" + room), "invite", Map.of("username", guest), "submit");
    assertTrue(unknown.body().contains("has signed in to chat yet"), "not known before");
    HttpResponse<String> known =
        apiPut(
            "users/" + guestSubject,
            "{\"username\":\""
                + guest.toUpperCase(java.util.Locale.ROOT)
                + "\",\"display_name\":\"Guest\"}",
            service);
    assertEquals(204, known.statusCode(), known.body());
    assertEquals(
        403,
        apiPut(
                "users/x",
                "{\"username\":\"abc\",\"display_name\":\"x\"}",
                authority.userToken("x", "x"))
            .statusCode());
    assertEquals(
        400,
        apiPut("users/y", "{\"username\":\"a\\u0000c\",\"display_name\":\"x\"}", service)
            .statusCode());

    HttpResponse<String> invited =
        browser.submit(
            browser.get("/room.xhtml?id=" + room), "invite", Map.of("username", guest), "submit");
    assertEquals(302, invited.statusCode(), invited.body());
    roomOf(api("users/" + guestSubject + "/rooms", service), room);

    // The owner leaves through the page: the feed says so.
    long before = lastChange();
    HttpResponse<String> left =
        browser.submit(browser.get("/room.xhtml?id=" + room), "leave", Map.of(), "submit");
    assertEquals(302, left.statusCode(), left.body());
    Map<String, Object> feed = json(api("memberships/changes?after=" + before, service));
    String ownerSubject = (String) ((Map<?, ?>) ((List<?>) feed.get("changes")).get(0)).get("user");
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM chat.chat_user WHERE subject = '"
                + ownerSubject
                + "' AND username = '"
                + owner
                + "'"),
        feed.toString());
  }

  // ---- the room rules (Rooms), through the pages, the page script's JSON and chatserv's reads

  private static final String PASSWORD = "correct horse battery";

  /** Someone with an account at the test authority, signed in to the web app. */
  private record Person(String username, String subject, Browser browser) {}

  private Person signedIn(String prefix, String displayName) throws Exception {
    String username = prefix + UUID.randomUUID().toString().substring(0, 8);
    String subject = authority.account(username, displayName, PASSWORD);
    Browser browser = browser();
    browser.signIn(username, PASSWORD);
    return new Person(username, subject, browser);
  }

  /** The rooms page's list of someone's rooms: id -> {CSS class (visibility), title}. */
  private static Map<Long, List<String>> myRooms(Browser browser) throws Exception {
    HttpResponse<String> page = browser.get("/rooms.xhtml");
    assertEquals(200, page.statusCode(), page.body());
    String mine = page.body().substring(0, page.body().indexOf("id=\"public-rooms\""));
    Map<Long, List<String>> rooms = new LinkedHashMap<>();
    Matcher item =
        Pattern.compile(
                "<li class=\"([a-z]+)\">\\s*<a href=\"[^\"]*room\\.xhtml\\?id=(\\d+)\"[^>]*>"
                    + "\\s*<span class=\"room-name\">([^<]*)</span>")
            .matcher(mine);
    while (item.find()) {
      rooms.put(Long.parseLong(item.group(2)), List.of(item.group(1), item.group(3)));
    }
    return rooms;
  }

  /** The roles in a room as the chat page's script reads them: subject -> role. */
  private static Map<String, String> roles(Browser browser, long room) throws Exception {
    HttpResponse<String> members = browser.get("/session/rooms/" + room + "/members");
    assertEquals(200, members.statusCode(), members.body());
    Map<String, String> roles = new LinkedHashMap<>();
    for (Object member : JSONArrayUtils.parse(members.body())) {
      Map<?, ?> fields = (Map<?, ?>) member;
      roles.put((String) fields.get("subject"), (String) fields.get("role"));
    }
    return roles;
  }

  private HttpResponse<String> invite(Browser browser, long room, String username)
      throws Exception {
    return browser.submit(
        browser.get("/room.xhtml?id=" + room), "invite", Map.of("username", username), "submit");
  }

  private static HttpResponse<String> startDirect(Browser browser, String username)
      throws Exception {
    return browser.submit(
        browser.get("/rooms.xhtml"), "direct", Map.of("username", username), "submit");
  }

  private static long roomIn(HttpResponse<String> redirect) {
    Matcher id =
        Pattern.compile("room\\.xhtml\\?id=(\\d+)")
            .matcher(redirect.headers().firstValue("Location").orElse(""));
    assertEquals(302, redirect.statusCode(), redirect.body());
    assertTrue(id.find(), redirect.headers().toString());
    return Long.parseLong(id.group(1));
  }

  @Test
  void anyoneJoinsAPublicRoomAndAnyMemberThereMayInvite() throws Exception {
    Person owner = signedIn("own", "Olga Owner");
    Person joiner = signedIn("joi", "Jo Joiner");
    Person guest = signedIn("gue", "Gus Guest");
    String name = "public-" + UUID.randomUUID();
    long room = owner.browser().createRoom(name, true);

    HttpResponse<String> list = joiner.browser().get("/rooms.xhtml");
    Matcher join =
        Pattern.compile(
                "(?s)<span class=\"room-name\">"
                    + Pattern.quote(name)
                    + "</span>.*?name=\"join:([^\"]+)\"")
            .matcher(list.body());
    assertTrue(join.find(), "the room is offered to join: " + list.body());
    assertEquals(room, roomIn(joiner.browser().submit(list, "join", Map.of(), join.group(1))));
    assertEquals(
        Map.of(owner.subject(), "owner", joiner.subject(), "member"),
        roles(owner.browser(), room),
        "the creator owns it, who joins is a member");
    assertEquals(List.of("public", name), myRooms(joiner.browser()).get(room));
    String offered = joiner.browser().get("/rooms.xhtml").body();
    assertTrue(
        !offered.substring(offered.indexOf("id=\"public-rooms\"")).contains(name),
        "no longer offered to join");

    // In a public room any member adds people, not only owners.
    assertEquals(room, roomIn(invite(joiner.browser(), room, guest.username())));
    assertEquals("member", roles(guest.browser(), room).get(guest.subject()));

    // chatserv reads the same memberships, with the same words.
    Map<?, ?> joined =
        roomOf(
            api("users/" + joiner.subject() + "/rooms", authority.serviceToken("chatserv")), room);
    assertEquals(name, joined.get("name"));
    assertEquals("member", joined.get("role"));
  }

  @Test
  void aPrivateRoomIsHiddenItsOwnerInvitesAndWhenTheLastOwnerLeavesTheLongestMemberOwnsIt()
      throws Exception {
    Person owner = signedIn("own", "Olga Owner");
    Person first = signedIn("fir", "Fay First");
    Person second = signedIn("sec", "Sam Second");
    Person stranger = signedIn("str", "Stu Stranger");
    String name = "private-" + UUID.randomUUID();
    long room = owner.browser().createRoom(name, false);

    assertTrue(
        !stranger.browser().get("/rooms.xhtml").body().contains(name), "not offered to others");
    assertEquals(404, stranger.browser().get("/room.xhtml?id=" + room).statusCode());
    HttpResponse<String> peek = stranger.browser().get("/session/rooms/" + room + "/members");
    assertEquals(404, peek.statusCode(), peek.body());
    assertEquals("room_not_found", JSONObjectUtils.parse(peek.body()).get("code"));

    assertEquals(room, roomIn(invite(owner.browser(), room, first.username())));
    assertEquals(room, roomIn(invite(owner.browser(), room, second.username())));
    assertEquals(List.of("private", name), myRooms(first.browser()).get(room));
    assertTrue(
        !first.browser().get("/room.xhtml?id=" + room).body().contains("id=\"invite\""),
        "a member who is not an owner is not offered to invite");
    HttpResponse<String> nobody =
        invite(owner.browser(), room, "nobody" + UUID.randomUUID().toString().substring(0, 8));
    assertEquals(200, nobody.statusCode());
    assertTrue(nobody.body().contains("has signed in to chat yet"), nobody.body());

    HttpResponse<String> left =
        owner
            .browser()
            .submit(owner.browser().get("/room.xhtml?id=" + room), "leave", Map.of(), "submit");
    assertEquals(302, left.statusCode(), left.body());
    assertEquals(
        Map.of(first.subject(), "owner", second.subject(), "member"),
        roles(first.browser(), room),
        "the longest-standing member owns the room now");
    assertTrue(
        first.browser().get("/room.xhtml?id=" + room).body().contains("id=\"invite\""),
        "and may invite");
    assertEquals(
        "owner",
        roomOf(api("users/" + first.subject() + "/rooms", authority.serviceToken("chatserv")), room)
            .get("role"));
    assertTrue(!myRooms(owner.browser()).containsKey(room), "gone from the list of who left");
  }

  @Test
  void aDirectConversationIsOnePerPairTitledWithTheOtherPersonAndCannotBeLeft() throws Exception {
    Person ada = signedIn("ada", "Ada Direct");
    Person bob = signedIn("bob", "Bob Direct");
    long room = roomIn(startDirect(ada.browser(), bob.username()));
    assertEquals(
        room,
        roomIn(startDirect(bob.browser(), ada.username().toUpperCase(java.util.Locale.ROOT))),
        "the same conversation from either side, whatever the case of the name");
    assertEquals(room, roomIn(startDirect(ada.browser(), bob.username())), "and again");
    assertEquals(List.of("direct", "Bob Direct"), myRooms(ada.browser()).get(room));
    assertEquals(List.of("direct", "Ada Direct"), myRooms(bob.browser()).get(room));
    assertEquals(
        Map.of(ada.subject(), "member", bob.subject(), "member"), roles(ada.browser(), room));

    HttpResponse<String> self = startDirect(ada.browser(), ada.username());
    assertEquals(200, self.statusCode());
    assertTrue(self.body().contains("A direct conversation needs someone else."), self.body());
    HttpResponse<String> page = ada.browser().get("/room.xhtml?id=" + room);
    assertTrue(!page.body().contains("id=\"leave\""), "no way to leave it");
    assertTrue(!page.body().contains("id=\"invite\""), "nor to invite a third");
  }

  // ---- storing (MessageStore): numbering per room, resends, refusals inside one batch

  @Test
  void oneBatchAcrossRoomsNumbersEachRoomWithoutGapsAndARefusedMessageTakesNoSeq()
      throws Exception {
    Seeded a = seedRoom();
    Seeded b = seedRoom();
    List<String> messages =
        List.of(
            message(a.member(), a.room(), "a1", "first in a"),
            message(b.member(), b.room(), "b1", "first in b"),
            message(a.stranger(), a.room(), "s1", "not a member of a"),
            message(a.member(), a.room(), "a2", "second in a"),
            message(a.member(), b.room(), "x1", "a's member is not in b"),
            message(b.member(), b.room(), "b2", "second in b"));
    List<Map<String, Object>> first = outcomes(storeBatch(batch(messages)));
    assertEquals(List.of(201L, 201L, 403L, 201L, 403L, 201L), statuses(first));
    assertEquals(
        java.util.Arrays.asList(1L, 1L, null, 2L, null, 2L),
        outcomeSeqs(first),
        "each room from 1");
    assertEquals("not_a_member", first.get(2).get("code"));
    assertEquals("not_a_member", first.get(4).get("code"));

    List<Map<String, Object>> again = outcomes(storeBatch(batch(messages)));
    assertEquals(List.of(200L, 200L, 403L, 200L, 403L, 200L), statuses(again));
    for (int i : new int[] {0, 1, 3, 5}) {
      assertEquals(first.get(i).get("id"), again.get(i).get("id"), "the first ack again");
      assertEquals(first.get(i).get("seq"), again.get(i).get("seq"));
      assertEquals(first.get(i).get("time"), again.get(i).get("time"));
    }

    List<Map<String, Object>> next =
        outcomes(storeBatch(batch(List.of(message(a.member(), a.room(), "a3", "third in a")))));
    assertEquals(3L, ((Number) next.get(0).get("seq")).longValue(), "no gap after refusals");
    assertEquals(3, count("SELECT last_seq FROM chat.room WHERE id = " + a.room()));
    assertEquals(2, count("SELECT last_seq FROM chat.room WHERE id = " + b.room()));
    assertEquals(3, count("SELECT count(*) FROM chat.message WHERE room_id = " + a.room()));
    assertEquals(2, count("SELECT count(*) FROM chat.message WHERE room_id = " + b.room()));
  }

  private static List<Long> statuses(List<Map<String, Object>> outcomes) {
    return outcomes.stream().map(o -> ((Number) o.get("status")).longValue()).toList();
  }

  private static List<Long> outcomeSeqs(List<Map<String, Object>> outcomes) {
    List<Long> seqs = new ArrayList<>();
    for (Map<String, Object> outcome : outcomes) {
      Object seq = outcome.get("seq");
      seqs.add(seq == null ? null : ((Number) seq).longValue());
    }
    return seqs;
  }

  // ---- one token policy at /api (finding 8)

  @Test
  void theApiAppliesTheContractsTokenPolicy() throws Exception {
    Map<String, String> forged = ForgedTokens.against(authority);
    for (String attack :
        List.of(
            "not yet valid (nbf ten minutes ahead)",
            "issued in the future (iat ten minutes ahead)",
            "lifetime of ten years",
            "missing typ header")) {
      String token = forged.get(attack);
      assertTrue(token != null, "the matrix has " + attack);
      assertEquals(401, api("me", token).statusCode(), attack);
    }
  }

  // ---- OpenAPI and WADL (finding 11)

  @Test
  void aClientBuiltFromTheOpenApiDocumentWorks() throws Exception {
    HttpResponse<String> document =
        http.send(
            HttpRequest.newBuilder(URI.create(serverRoot() + "/openapi"))
                .header("Accept", "application/json")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, document.statusCode(), document.body());
    Map<String, Object> openapi = JSONObjectUtils.parse(document.body());
    Map<String, Object> paths = JSONObjectUtils.getJSONObject(openapi, "paths");
    assertEquals(
        Set.of(
            "/api/messages/batch",
            "/api/rooms/{room}/messages",
            "/api/users/{subject}/rooms",
            "/api/users/{subject}",
            "/api/memberships/changes",
            "/api/me"),
        paths.keySet(),
        "the whole document, every time");
    Map<String, Object> schemas =
        JSONObjectUtils.getJSONObject(
            JSONObjectUtils.getJSONObject(openapi, "components"), "schemas");
    // Build a message from the documented field names only.
    Seeded seeded = seedRoom();
    Map<String, Object> values =
        Map.of(
            "sender",
            seeded.member(),
            "room",
            seeded.room(),
            "client_msg_id",
            "from-openapi",
            "body",
            "built from the document");
    List<String> required =
        JSONObjectUtils.getStringList(
            JSONObjectUtils.getJSONObject(schemas, "NewMessage"), "required");
    Map<String, Object> message = new LinkedHashMap<>();
    for (String field : required) {
      assertTrue(values.containsKey(field), "documented field " + field);
      message.put(field, values.get(field));
    }
    String batchField =
        JSONObjectUtils.getStringList(
                JSONObjectUtils.getJSONObject(schemas, "StoreBatch"), "required")
            .get(0);
    String json = JSONObjectUtils.toJSONString(Map.of(batchField, List.of(message)));
    Map<String, Object> result = json(storeBatch(json));
    List<String> resultFields =
        JSONObjectUtils.getStringList(
            JSONObjectUtils.getJSONObject(schemas, "StoreResult"), "required");
    Map<?, ?> outcome = (Map<?, ?>) ((List<?>) result.get(resultFields.get(0))).get(0);
    Map<String, Object> outcomeProperties =
        JSONObjectUtils.getJSONObject(
            JSONObjectUtils.getJSONObject(schemas, "StoreOutcome"), "properties");
    for (Object field : outcome.keySet()) {
      assertTrue(outcomeProperties.containsKey(field), "undocumented field " + field);
    }
    assertEquals(201L, ((Number) outcome.get("status")).longValue());

    for (String wadl :
        List.of("/api/application.wadl", "/session/application.wadl", "/application.wadl")) {
      int status = get(URI.create(serverRoot() + wadl)).statusCode();
      assertTrue(status == 404 || status == 401, wadl + " -> " + status);
    }
  }

  private HttpResponse<String> apiPut(String path, String json, String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(serverRoot() + "/api/" + path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The entry for {@code room} in chatserv's list of someone's rooms; fails when there is none. */
  private static Map<?, ?> roomOf(HttpResponse<String> rooms, long room) throws Exception {
    assertEquals(200, rooms.statusCode(), rooms.body());
    return JSONArrayUtils.parse(rooms.body()).stream()
        .map(entry -> (Map<?, ?>) entry)
        .filter(entry -> ((Number) entry.get("room")).longValue() == room)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no room " + room + " in " + rooms.body()));
  }

  private static void execute(String sql) throws Exception {
    try (var db = TestDatabase.connect()) {
      db.createStatement().executeUpdate(sql);
    }
  }

  private HttpResponse<String> page(Seeded seeded, String query) throws Exception {
    HttpResponse<String> response =
        api(
            "rooms/" + seeded.room() + "/messages?member=" + seeded.member() + "&" + query,
            authority.serviceToken("chatserv"));
    assertEquals(200, response.statusCode(), response.body());
    return response;
  }

  private static List<Long> seqs(HttpResponse<String> response) throws Exception {
    List<Long> seqs = new ArrayList<>();
    for (Object message :
        JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(response.body()), "messages")) {
      seqs.add(((Number) ((Map<?, ?>) message).get("seq")).longValue());
    }
    return seqs;
  }

  private static long count(String sql) throws Exception {
    try (var db = TestDatabase.connect();
        var rows = db.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private HttpResponse<String> apiPost(String path, String json, String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(serverRoot() + base.getPath().replaceAll("/$", "") + "/api/" + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> api(String path, String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(serverRoot() + base.getPath().replaceAll("/$", "") + "/api/" + path))
            .GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String serverRoot() {
    return base.getProtocol() + "://" + base.getAuthority();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
