package teamchat.chatfront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertTrue(
        ready
            .body()
            .matches("(?s).*\"name\"\\s*:\\s*\"database\"\\s*,\\s*\"status\"\\s*:\\s*\"UP\".*"),
        ready.body());
  }

  @Test
  void startupMigratedTheChatSchema() throws Exception {
    assertEquals("2", TestDatabase.migratedVersion("chat"));
    for (String table :
        new String[] {"chat_user", "room", "direct_room", "membership", "message"}) {
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
    assertTrue(me.body().contains(subject) && me.body().contains("ada"), me.body());

    assertEquals(401, api("me", null).statusCode(), "no token");
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
    assertTrue(read.body().contains("not_a_member"), read.body());
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
    assertEquals(200, rooms.statusCode());
    assertTrue(
        rooms.body().contains("\"room\":" + seeded.room())
            && rooms.body().contains("\"last_seq\":12"),
        rooms.body());
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
    answers.put(
        "missing body",
        storeBatch(
            batch(
                List.of(
                    "{\"sender\":\""
                        + seeded.member()
                        + "\",\"room\":"
                        + seeded.room()
                        + ",\"client_msg_id\":\"a\"}"))));
    answers.put(
        "empty body", storeBatch(batch(List.of(message(seeded.member(), seeded.room(), "e", "")))));
    answers.put(
        "body too long",
        storeBatch(batch(List.of(message(seeded.member(), seeded.room(), "l", "x".repeat(4001))))));
    answers.put(
        "client id with spaces",
        storeBatch(batch(List.of(message(seeded.member(), seeded.room(), "a b", "x")))));
    answers.put("room 0", storeBatch(batch(List.of(message(seeded.member(), 0, "z", "x")))));
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
