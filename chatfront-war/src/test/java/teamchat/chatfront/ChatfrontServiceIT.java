package teamchat.chatfront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
import java.util.stream.Collectors;
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
import teamchat.tokentestkit.TestServiceKey;

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
    assertEquals("15", TestDatabase.migratedVersion("chat"));
    for (String table :
        new String[] {
          "chat_user",
          "room",
          "direct_room",
          "direct_group",
          "membership",
          "message",
          "membership_change",
          "file",
          "file_chunk"
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

  /** chatserv's assertion key, whose public half chatfront reads at the first service call. */
  private static TestServiceKey chatserv;

  /** chatfront's own assertion key for auth's introspection (the public API, issue 20). */
  private static TestServiceKey chatfrontKey;

  @BeforeAll
  static void startTestAuthority() {
    authority = TestAuthority.startOnReservedPort();
    chatserv = TestServiceKey.write();
    chatfrontKey = TestServiceKey.writeTo(Path.of(TestServiceKey.FOLDER), "chatfront-assertion");
  }

  @AfterAll
  static void stopTestAuthorityAndCheckTheLog() throws Exception {
    authority.close();
    // Every token this class sent, valid or forged: none may have been logged.
    java.util.Set<String> sent = new java.util.HashSet<>(authority.issued());
    sent.addAll(chatserv.issued());
    sent.addAll(webhookSecrets);
    ServerLog.assertHoldsNone(sent, "Schema chat at version");
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
    assertEquals(403, api("me", chatserv.assertion()).statusCode(), "a service is not a user");
  }

  @Test
  void theServiceApiTakesChatservsOwnAssertionOnlyNeverAnAuthToken() throws Exception {
    String path = "users/" + UUID.randomUUID() + "/rooms";
    assertEquals(200, api(path, chatserv.assertion()).statusCode(), "positive control");
    // auth's key cannot grant chatserv's power (issue 21: auth is out of the storage path).
    HttpResponse<String> fromAuth = api(path, authority.serviceGroupToken("chatserv"));
    assertEquals(401, fromAuth.statusCode(), fromAuth.body());
    assertEquals("token_invalid", JSONObjectUtils.parse(fromAuth.body()).get("code"));
    assertEquals(401, api(path, chatserv.assertion(c -> c.audience("auth"))).statusCode());
    assertEquals(
        401,
        api(path, chatserv.assertion(c -> c.expirationTime(new java.util.Date(0)))).statusCode());
    assertEquals(
        401,
        api(path, TestServiceKey.writeTo(java.nio.file.Path.of("target/stranger-key")).assertion())
            .statusCode(),
        "another key");
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
    return apiPost("messages/batch", json, chatserv.assertion());
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

    String service = chatserv.assertion();
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

    HttpResponse<String> rooms = api("users/" + seeded.member() + "/rooms", chatserv.assertion());
    Map<?, ?> membership = roomOf(rooms, seeded.room());
    assertEquals(12L, ((Number) membership.get("last_seq")).longValue(), rooms.body());
  }

  @Test
  void badInputIsAClientErrorNeverAServerError() throws Exception {
    Seeded seeded = seedRoom();
    String service = chatserv.assertion();
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

  /**
   * The batch door is a servlet of its own (issue 18), yet answers as the JAX-RS API does: problem
   * JSON with the API's codes, the bearer policy's 401 (with its challenge) and 403, 415 for a body
   * that is not JSON, 400 for JSON not of a batch's shape, the security headers of every answer.
   */
  @Test
  void theBatchDoorAnswersEveryMistakeAsTheRestOfTheApiDoes() throws Exception {
    Seeded seeded = seedRoom();
    String json = batch(List.of(message(seeded.member(), seeded.room(), "door-1", "x")));
    URI door =
        URI.create(serverRoot() + base.getPath().replaceAll("/$", "") + "/api/messages/batch");
    String service = chatserv.assertion();
    Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
    answers.put(
        "405 method_not_allowed",
        http.send(
            HttpRequest.newBuilder(door).header("Authorization", "Bearer " + service).GET().build(),
            HttpResponse.BodyHandlers.ofString()));
    answers.put(
        "415 unsupported_media_type",
        http.send(
            HttpRequest.newBuilder(door)
                .header("Authorization", "Bearer " + service)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString()));
    answers.put("401 token_missing", apiPost("messages/batch", json, null));
    answers.put("401 token_invalid", apiPost("messages/batch", json, "junk"));
    answers.put(
        "403 forbidden",
        apiPost("messages/batch", json, authority.userToken(seeded.member(), "m")));
    answers.put("400 malformed_request", storeBatch("{\"messages\": ["));
    answers.put("400 invalid_request", storeBatch("{}"));
    for (Map.Entry<String, HttpResponse<String>> each : answers.entrySet()) {
      String expected = each.getKey();
      HttpResponse<String> answer = each.getValue();
      assertEquals(
          expected,
          answer.statusCode() + " " + JSONObjectUtils.parse(answer.body()).get("code"),
          answer.body());
      assertEquals(
          "application/json",
          answer.headers().firstValue("Content-Type").orElse("").split(";")[0],
          expected);
      assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(""));
      assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""));
    }
    assertEquals("POST", answers.get("405 method_not_allowed").headers().firstValue("Allow").get());
    // The document chatserv's developers read lists every one of these answers.
    Map<String, Object> documented =
        JSONObjectUtils.getJSONObject(
            JSONObjectUtils.getJSONObject(
                JSONObjectUtils.getJSONObject(
                    JSONObjectUtils.getJSONObject(openApiDocument(), "paths"),
                    "/api/messages/batch"),
                "post"),
            "responses");
    for (String expected : answers.keySet()) {
      String status = expected.split(" ")[0];
      assertTrue(documented.containsKey(status), status + " is not in /openapi");
    }
    assertTrue(documented.containsKey("500"), "the unknown outcome is not in /openapi");
    for (String unauthorized : List.of("401 token_missing", "401 token_invalid")) {
      assertEquals(
          "Bearer error=\"invalid_token\"",
          answers.get(unauthorized).headers().firstValue("WWW-Authenticate").orElse(""),
          unauthorized);
    }
    assertEquals(0, count("SELECT count(*) FROM chat.message WHERE room_id = " + seeded.room()));
    // The same batch, rightly sent, is stored; the answer is JSON with its length.
    HttpResponse<String> stored = storeBatch(json);
    assertEquals(201, ((Number) outcomes(stored).get(0).get("status")).intValue());
    assertEquals(
        "application/json", stored.headers().firstValue("Content-Type").orElse("").split(";")[0]);
    assertEquals(
        stored.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
        Integer.parseInt(stored.headers().firstValue("Content-Length").orElse("-1")));
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

  /** The id of the feed's newest change (read to its end: a page holds at most 1,000). */
  private long lastChange() throws Exception {
    String service = chatserv.assertion();
    long last = 0;
    for (Map<String, Object> page = json(api("memberships/changes?after=0", service));
        !((List<?>) page.get("changes")).isEmpty();
        page = json(api("memberships/changes?after=" + last, service))) {
      last = ((Number) page.get("last")).longValue();
    }
    return last;
  }

  /**
   * The feed skips no change that commits late: while a transaction that ended a membership is
   * still open, another membership's change waits for it, so that a reader never sees (and moves
   * past) a later change before the earlier one is committed (V14).
   */
  @Test
  void aMembershipChangeThatCommitsLateIsNotSkippedByTheFeed() throws Exception {
    String service = chatserv.assertion();
    Seeded first = seedRoom();
    Seeded second = seedRoom();
    long before = lastChange();
    var pool = Executors.newSingleThreadExecutor();
    try (var slow = TestDatabase.connect()) {
      slow.setAutoCommit(false);
      leave(slow, first.room(), first.member()); // ended, not yet committed
      Future<?> quick =
          pool.submit(
              () -> {
                try (var db = TestDatabase.connect()) {
                  leave(db, second.room(), second.member()); // committed at once if it may
                }
                return null;
              });
      Thread.sleep(500);
      Map<String, Object> meanwhile = json(api("memberships/changes?after=" + before, service));
      assertEquals(List.of(), meanwhile.get("changes"), "nothing to pass the open one by");
      assertFalse(quick.isDone(), "the second change waits for the first to commit");

      slow.commit();
      quick.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    Map<String, Object> after = json(api("memberships/changes?after=" + before, service));
    assertEquals(
        List.of(first.member(), second.member()),
        ((List<?>) after.get("changes"))
            .stream().map(each -> ((Map<?, ?>) each).get("user")).toList(),
        "both, in the order they committed: " + after);
  }

  private static void leave(java.sql.Connection db, long room, String subject)
      throws java.sql.SQLException {
    try (var delete =
        db.prepareStatement(
            "DELETE FROM chat.membership WHERE room_id = ?"
                + " AND user_id = (SELECT id FROM chat.chat_user WHERE subject = ?)")) {
      delete.setLong(1, room);
      delete.setString(2, subject);
      assertEquals(1, delete.executeUpdate());
    }
  }

  @Test
  void theMembershipFeedNamesEveryStartAndEndOfAMembershipAndWaitsForTheNext() throws Exception {
    String service = chatserv.assertion();
    assertEquals(401, api("memberships/changes", null).statusCode());
    assertEquals(
        403, api("memberships/changes", authority.userToken("someone", "someone")).statusCode());

    // Drain the feed to its end (other tests start and end memberships too).
    long beforeSeeding = lastChange();
    // Two people join a room: the feed says so (chatserv tells their pages: rooms_changed).
    Seeded seeded = seedRoom();
    Map<String, Object> joins = json(api("memberships/changes?after=" + beforeSeeding, service));
    List<?> joined = (List<?>) joins.get("changes");
    assertEquals(2, joined.size(), joins.toString());
    for (Object each : joined) {
      Map<?, ?> join = (Map<?, ?>) each;
      assertEquals("joined", join.get("kind"), joins.toString());
      assertEquals(seeded.room(), ((Number) join.get("room")).longValue());
    }
    assertEquals(
        Set.of(seeded.member(), seeded.other()),
        joined.stream().map(each -> ((Map<?, ?>) each).get("user")).collect(Collectors.toSet()));
    long last = ((Number) joins.get("last")).longValue();

    // Nothing new: the answer comes after the wait, with nothing.
    long started = System.nanoTime();
    Map<String, Object> none =
        json(api("memberships/changes?after=" + last + "&wait_ms=400", service));
    long waited = (System.nanoTime() - started) / 1_000_000;
    assertEquals(List.of(), none.get("changes"));
    assertEquals(last, ((Number) none.get("last")).longValue());
    assertTrue(waited >= 350, "answered after " + waited + " ms, not after the wait");

    // A waiting request is answered as soon as someone's membership ends.
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

  /**
   * Issue 13: the sessions signed in from one client address are bounded ({@code
   * chatfront.max-sessions-per-address}, 200); the sign-in over the bound is told why and makes no
   * session, other addresses are not affected, and a sign-out frees a place. The address is nginx's
   * X-Forwarded-For, believed from loopback ({@code chatfront.trusted-proxies}): these requests
   * come from 127.0.0.1 as nginx's do, the other tests' from the machine's own address.
   */
  @Test
  void signInsFromOneAddressAreRefusedOnceItHoldsTheBoundUntilOneSignsOut() throws Exception {
    int bound = 200;
    int perPerson = 20; // chatfront.max-sessions-per-user: one more would end their oldest
    Map<String, String> office = Map.of("X-Forwarded-For", "203.0.113.7");
    String prefix = "nat" + UUID.randomUUID().toString().substring(0, 6);
    String throughNginx = base.getProtocol() + "://127.0.0.1:" + base.getPort();
    Browser first = null;
    for (int person = 0; person < bound / perPerson; person++) {
      String name = prefix + person;
      authority.account(name, "Office " + person, "correct horse battery");
      for (int session = 0; session < perPerson; session++) {
        Browser browser = new Browser(throughNginx);
        HttpResponse<String> signedIn = signIn(browser, name, office);
        assertEquals(302, signedIn.statusCode(), name + " session " + session);
        first = first == null ? browser : first;
      }
    }
    String late = prefix + "late";
    authority.account(late, "Late", "correct horse battery");

    HttpResponse<String> refused = signIn(new Browser(throughNginx), late, office);
    assertEquals(200, refused.statusCode(), refused.body());
    assertTrue(
        refused.body().contains("Too many sessions are signed in from your network address"),
        refused.body());
    assertEquals(List.of(), refused.headers().allValues("Set-Cookie"), "no session made");
    assertEquals(
        302,
        signIn(new Browser(throughNginx), late, Map.of("X-Forwarded-For", "198.51.100.7"))
            .statusCode(),
        "another address is not affected");

    HttpResponse<String> signedOut =
        first.submit(first.get("/rooms.xhtml"), "signout", Map.of(), "go");
    assertEquals(302, signedOut.statusCode(), signedOut.body());
    assertEquals(
        302,
        signIn(new Browser(throughNginx), late, office).statusCode(),
        "a sign-out freed a place");
  }

  private static HttpResponse<String> signIn(
      Browser browser, String username, Map<String, String> headers) throws Exception {
    return browser.submit(
        browser.get("/login.xhtml"),
        "login",
        Map.of("username", username, "password", "correct horse battery"),
        "submit",
        headers);
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

  /**
   * Issue 21: chatfront's calls to auth run through MicroProfile Fault Tolerance (AuthClient's
   * bulkhead and circuit), and wrong passwords, which are auth answering, never open the circuit
   * that would stop everyone's sign-in. Payara's Fault Tolerance metrics show both.
   */
  @Test
  void signInsGoThroughTheGuardAndWrongPasswordsNeverOpenItsCircuit() throws Exception {
    String name = "gus" + UUID.randomUUID().toString().substring(0, 8);
    authority.account(name, "Gus", "correct horse battery");
    Browser guesser = browser();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> refused =
          guesser.submit(
              guesser.get("/login.xhtml"),
              "login",
              Map.of("username", name, "password", "wrong guess " + i),
              "submit");
      assertEquals(200, refused.statusCode(), "the form again, with an error");
    }
    browser().signIn(name, "correct horse battery");

    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(serverRoot() + "/metrics"))
                    .header("Accept", "text/plain")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    String login = "method=\"teamchat.chatfront.accounts.control.AuthClient.login\"";
    assertTrue(
        ftMetric(metrics, "ft_bulkhead_calls_total", login, "bulkheadResult=\"accepted\"") >= 7,
        "every sign-in passed AuthClient's bulkhead: " + metrics);
    assertEquals(0, ftMetric(metrics, "ft_circuitbreaker_opened_total", login, ""));
  }

  /** The value of a Fault Tolerance metric (Payara lists each twice, with the same value). */
  private static double ftMetric(String metrics, String name, String method, String label) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(name + "{") && line.contains(method))
        .filter(line -> line.contains(label))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .max()
        .orElseThrow(() -> new AssertionError("no " + name + " for " + method));
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
    HttpResponse<String> api = api("no/such/resource", chatserv.assertion());
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
    String service = chatserv.assertion();
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

  /**
   * Whether the room page offers the form: it is always in the page (rooms open in place and
   * chat.js shows what applies), and the server renders it hidden ({@code gone}) where it does not.
   */
  private static boolean offered(String page, String form) {
    Matcher tag = Pattern.compile("<form id=\"" + form + "\"[^>]*>").matcher(page);
    assertTrue(tag.find(), "the " + form + " form is in the page");
    return !Pattern.compile("class=\"[^\"]*\\bgone\\b").matcher(tag.group()).find();
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
        roomOf(api("users/" + joiner.subject() + "/rooms", chatserv.assertion()), room);
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
    assertFalse(
        offered(first.browser().get("/room.xhtml?id=" + room).body(), "invite"),
        "a member who is not an owner is not offered to invite");
    // The form is in the page (hidden: rooms open in place), and the server decides all the same.
    Person third = signedIn("cyd", "Cyd Private");
    invite(first.browser(), room, third.username());
    assertFalse(
        roles(owner.browser(), room).containsKey(third.subject()),
        "a member who is not an owner cannot invite by posting the form either");
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
        offered(first.browser().get("/room.xhtml?id=" + room).body(), "invite"), "and may invite");
    assertEquals(
        "owner",
        roomOf(api("users/" + first.subject() + "/rooms", chatserv.assertion()), room).get("role"));
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
    assertFalse(offered(page.body(), "leave"), "no way to leave it");
    assertFalse(offered(page.body(), "invite"), "nor to invite a third");
    // The forms are in the page (hidden: rooms open in place), and the server decides all the same.
    ada.browser().submit(page, "leave", Map.of(), "submit");
    assertEquals(
        List.of("direct", "Bob Direct"),
        myRooms(ada.browser()).get(room),
        "posting the leave form does not leave a direct conversation");
  }

  @Test
  void aGroupConversationIsOnePerSetOfUpToEightPeopleWithFixedMembersAndHiddenFromOthers()
      throws Exception {
    Person ana = signedIn("ana", "Ana Group");
    Person bob = signedIn("bob", "Bob Group");
    Person cy = signedIn("cyg", "Cy Group");
    Person outsider = signedIn("out", "Otto Outsider");

    HttpResponse<String> started = converse(ana.browser(), bob.username(), cy.username());
    assertEquals(200, started.statusCode(), started.body());
    Map<String, Object> summary = JSONObjectUtils.parse(started.body());
    long room = ((Number) summary.get("id")).longValue();
    assertEquals("direct", summary.get("visibility"));
    assertEquals("Bob Group, Cy Group", summary.get("title"), "titled with the others' names");
    assertEquals(
        room,
        idOf(
            converse(
                cy.browser(),
                ana.username().toUpperCase(java.util.Locale.ROOT),
                bob.username(),
                bob.username(),
                cy.username())),
        "the same people open the same conversation, whoever starts it, names in any order,"
            + " repeated, or one's own");
    assertEquals(
        room,
        roomIn(startDirect(bob.browser(), cy.username() + ", " + ana.username())),
        "and so does the rooms page's form (no script), usernames separated by commas");
    assertEquals(List.of("direct", "Ana Group, Bob Group"), myRooms(cy.browser()).get(room));
    assertEquals(
        Map.of(ana.subject(), "member", bob.subject(), "member", cy.subject(), "member"),
        roles(bob.browser(), room));
    assertTrue(
        bob.browser().get("/room.xhtml?id=" + room).body().contains("Ana Group, Cy Group"),
        "the page's title too");
    // chatserv's membership checks read the same rooms.
    roomOf(api("users/" + cy.subject() + "/rooms", chatserv.assertion()), room);

    // Someone else sees nothing of it, and cannot get in.
    assertEquals(404, outsider.browser().get("/room.xhtml?id=" + room).statusCode());
    HttpResponse<String> peek = outsider.browser().get("/session/rooms/" + room + "/members");
    assertEquals(404, peek.statusCode(), peek.body());
    assertEquals(
        404, outsider.browser().get("/session/rooms/" + room + "/messages?before=9").statusCode());
    HttpResponse<String> join =
        outsider.browser().postJson("/session/directory/rooms/" + room + "/join");
    assertEquals(404, join.statusCode(), join.body());
    assertTrue(!myRooms(outsider.browser()).containsKey(room));

    // Its members are fixed: no one is added, no one leaves.
    HttpResponse<String> page = ana.browser().get("/room.xhtml?id=" + room);
    assertFalse(offered(page.body(), "invite"), "no way to invite");
    assertFalse(offered(page.body(), "leave"), "nor to leave");
    HttpResponse<String> invited = invite(ana.browser(), room, outsider.username());
    assertTrue(invited.body().contains("keeps the people it started with"), invited.body());
    ana.browser().submit(page, "leave", Map.of(), "submit");
    assertEquals(3, roles(bob.browser(), room).size(), "posting the forms changes nothing");

    // Two people are the pair's one direct conversation, whichever way it is started.
    long pair = roomIn(startDirect(ana.browser(), bob.username()));
    assertEquals(pair, idOf(converse(bob.browser(), ana.username())));
    assertEquals(
        "Ana Group",
        JSONObjectUtils.parse(converse(bob.browser(), ana.username()).body()).get("title"));

    // Up to eight people in all: the starter and seven others; a ninth is refused in plain words.
    String service = chatserv.assertion();
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String username = "grp" + UUID.randomUUID().toString().substring(0, 8);
      HttpResponse<String> known =
          apiPut(
              "users/u-" + UUID.randomUUID(),
              "{\"username\":\"" + username + "\",\"display_name\":\"Member " + i + "\"}",
              service);
      assertEquals(204, known.statusCode(), known.body());
      others.add(username);
    }
    HttpResponse<String> eight =
        converse(ana.browser(), others.subList(0, 7).toArray(String[]::new));
    assertEquals(200, eight.statusCode(), eight.body());
    assertEquals(8, roles(ana.browser(), idOf(eight)).size());
    HttpResponse<String> nine = converse(ana.browser(), others.toArray(String[]::new));
    assertEquals(400, nine.statusCode(), nine.body());
    assertEquals(
        "A direct conversation is for at most 8 people: you and 7 others.",
        JSONObjectUtils.parse(nine.body()).get("message"),
        nine.body());
    HttpResponse<String> nobody = converse(ana.browser());
    assertEquals(400, nobody.statusCode(), nobody.body());
    HttpResponse<String> self = converse(ana.browser(), ana.username());
    assertEquals(400, self.statusCode(), self.body());
    HttpResponse<String> unknown =
        converse(
            ana.browser(), bob.username(), "nobody" + UUID.randomUUID().toString().substring(0, 8));
    assertEquals(404, unknown.statusCode(), unknown.body());
  }

  @Test
  void peopleAreFoundByNameOrUsernameAFewAtATimeAndOnlyByNames() throws Exception {
    Person finder = signedIn("fnd", "Finn Finder");
    String tag = UUID.randomUUID().toString().substring(0, 6);
    Person zoe = signedIn("zoe", "Zoë Search" + tag);
    HttpResponse<String> byName = finder.browser().get("/session/directory/people?q=search" + tag);
    assertEquals(200, byName.statusCode(), byName.body());
    assertEquals(
        List.of(
            Map.of("username", zoe.username(), "display_name", "Zoë Search" + tag, "bot", false)),
        JSONArrayUtils.parse(byName.body()),
        "only the username, the display name and whether it is a bot");
    HttpResponse<String> byUsername =
        finder.browser().get("/session/directory/people?q=" + zoe.username().substring(0, 7));
    assertTrue(byUsername.body().contains(zoe.username()), byUsername.body());
    assertFalse(
        finder.browser().get("/session/directory/people?q=Finn").body().contains(finder.username()),
        "not oneself");
    // LIKE's wildcards are text: "%" finds no one rather than everyone.
    assertEquals("[]", finder.browser().get("/session/directory/people?q=%25").body());
    assertEquals("[]", finder.browser().get("/session/directory/people?q=").body());
    HttpResponse<String> many = finder.browser().get("/session/directory/people?q=e");
    assertTrue(JSONArrayUtils.parse(many.body()).size() <= 10, "a handful at a time");
    assertEquals(
        400, finder.browser().get("/session/directory/people?q=" + "x".repeat(65)).statusCode());
    assertEquals(
        401, browser().get("/session/directory/people?q=zoe").statusCode(), "signed in only");
  }

  private static HttpResponse<String> converse(Browser browser, String... usernames)
      throws Exception {
    return browser.postJson(
        "/session/directory/conversations",
        "{\"usernames\":["
            + java.util.Arrays.stream(usernames)
                .map(name -> "\"" + name + "\"")
                .collect(java.util.stream.Collectors.joining(","))
            + "]}");
  }

  private static long idOf(HttpResponse<String> room) throws Exception {
    assertEquals(200, room.statusCode(), room.body());
    return ((Number) JSONObjectUtils.parse(room.body()).get("id")).longValue();
  }

  private static long idOf(HttpResponse<String> room, int status) throws Exception {
    assertEquals(status, room.statusCode(), room.body());
    return ((Number) JSONObjectUtils.parse(room.body()).get("id")).longValue();
  }

  // ---- search (issue 19): a corpus of generated messages in five languages, needles among them

  /** Messages of the corpus, each room's numbered from 1, 30 days ago, in six languages. */
  private static final String CORPUS =
      "INSERT INTO chat.message (room_id, seq, sender_id, client_msg_id, body, created_at)"
          + " SELECT ?, g, CASE WHEN g % 2 = 0 THEN ? ELSE ? END, 'corpus-' || ? || '-' || g,"
          + " (ARRAY['Routine status update ' || g || ': the build is green and the tests pass.',"
          + "   'Kurzer Zwischenstand ' || g || ': die Tests laufen, alles grün.',"
          + "   'Petit point ' || g || ' : les tests passent, rien à signaler.',"
          + "   '進捗報告 ' || g || '：テストはすべて成功しました。',"
          + "   'Actualización ' || g || ': las pruebas pasan sin problemas.',"
          + "   '例行更新 ' || g || '：所有测试均已通过。'])[g % 6 + 1],"
          + " now() - interval '30 days' + g * interval '1 second'"
          + " FROM generate_series(1, ?) g";

  private static void corpus(long room, long first, long second, int count) throws Exception {
    try (var db = TestDatabase.connect();
        var insert = db.prepareStatement(CORPUS)) {
      insert.setLong(1, room);
      insert.setLong(2, first);
      insert.setLong(3, second);
      insert.setLong(4, room);
      insert.setInt(5, count);
      assertEquals(count, insert.executeUpdate());
    }
    lastSeqIsTheNewest(room);
  }

  /** A message stored directly, after the room's newest, at {@code time} (null: now). */
  private static long needle(long room, long sender, String body, String time) throws Exception {
    try (var db = TestDatabase.connect();
        var insert =
            db.prepareStatement(
                "INSERT INTO chat.message (room_id, seq, sender_id, client_msg_id, body,"
                    + " created_at) SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ?,"
                    + " coalesce(?::timestamptz, now()) FROM chat.message WHERE room_id = ?"
                    + " RETURNING id")) {
      insert.setLong(1, room);
      insert.setLong(2, sender);
      insert.setString(3, "needle-" + UUID.randomUUID());
      insert.setString(4, body);
      insert.setString(5, time);
      insert.setLong(6, room);
      var rows = insert.executeQuery();
      rows.next();
      long id = rows.getLong(1);
      lastSeqIsTheNewest(room);
      return id;
    }
  }

  private static void lastSeqIsTheNewest(long room) throws Exception {
    execute(
        "UPDATE chat.room SET last_seq = (SELECT max(seq) FROM chat.message WHERE room_id = "
            + room
            + ") WHERE id = "
            + room);
  }

  private static long userId(Person person) throws Exception {
    return count("SELECT id FROM chat.chat_user WHERE subject = '" + person.subject() + "'");
  }

  private static long seqOf(long message) throws Exception {
    return count("SELECT seq FROM chat.message WHERE id = " + message);
  }

  private static Map<String, Object> search(Person person, String query) throws Exception {
    HttpResponse<String> found =
        person
            .browser()
            .get(
                "/session/search/messages?tz=UTC&q="
                    + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(200, found.statusCode(), query + ": " + found.body());
    return JSONObjectUtils.parse(found.body());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> results(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("results");
  }

  private static List<Long> foundIds(Person person, String query) throws Exception {
    return results(search(person, query)).stream()
        .map(result -> ((Number) result.get("id")).longValue())
        .toList();
  }

  /** The marked pieces of a result's snippet. */
  @SuppressWarnings("unchecked")
  private static List<String> marks(Map<String, Object> result) {
    return ((List<Map<String, Object>>) result.get("snippet"))
        .stream()
            .filter(piece -> Boolean.TRUE.equals(piece.get("mark")))
            .map(piece -> (String) piece.get("text"))
            .toList();
  }

  /** A word of letters only, unique to a test run (UUIDs' digits would split words). */
  private static String letters(int length) {
    StringBuilder word = new StringBuilder();
    java.util.Random random = new java.util.Random();
    for (int i = 0; i < length; i++) {
      word.append((char) ('a' + random.nextInt(26)));
    }
    return word.toString();
  }

  @Test
  void searchFindsWordsStemsPartsIdentifiersAndCjkInTheSearchersRoomsOnly() throws Exception {
    String tag = letters(8);
    Person ana = signedIn("sra", "Ana Seeker");
    Person bob = signedIn("srb", "Bob Seeker");
    Person cy = signedIn("src", "Cy Seeker");
    long anaId = userId(ana);
    long bobId = userId(bob);
    long cyId = userId(cy);
    long plans =
        idOf(
            ana.browser()
                .postJson(
                    "/session/directory/rooms",
                    "{\"name\":\"plans-" + tag + "\",\"topic\":\"\",\"public\":true}"),
            201);
    assertEquals(
        200, bob.browser().postJson("/session/directory/rooms/" + plans + "/join").statusCode());
    long anasSecret =
        idOf(
            ana.browser()
                .postJson(
                    "/session/directory/rooms",
                    "{\"name\":\"secret-" + tag + "\",\"topic\":\"\",\"public\":false}"),
            201);
    long bobsSecret =
        idOf(
            bob.browser()
                .postJson(
                    "/session/directory/rooms",
                    "{\"name\":\"bobs-" + tag + "\",\"topic\":\"\",\"public\":false}"),
            201);
    long anaAndBob = idOf(converse(ana.browser(), bob.username()));
    long bobAndCy = idOf(converse(bob.browser(), cy.username()));

    // 10,000 generated messages around the needles.
    corpus(plans, anaId, bobId, 4000);
    corpus(anasSecret, anaId, anaId, 2000);
    corpus(bobsSecret, bobId, bobId, 2000);
    corpus(anaAndBob, anaId, bobId, 1000);
    corpus(bobAndCy, bobId, cyId, 1000);
    assertTrue(
        count(
                "SELECT count(*) FROM chat.message WHERE room_id IN ("
                    + plans
                    + ","
                    + anasSecret
                    + ","
                    + bobsSecret
                    + ","
                    + anaAndBob
                    + ","
                    + bobAndCy
                    + ")")
            >= 10_000);

    long quarterly = needle(plans, bobId, "The quarterly numbers are in, " + tag + ".", null);
    long deployed = needle(plans, anaId, "We deployed the release yesterday evening.", null);
    long surefire =
        needle(plans, bobId, "The failures are in target/surefire-reports/TEST-chat.xml", null);
    long pr = needle(plans, anaId, "Merged PR-128 after the review.", null);
    long design = needle(plans, bobId, "新しい設計を確認してください。", null);
    long reply = needle(plans, anaId, "A reply about the " + tag + "threadword", null);
    execute("UPDATE chat.message SET parent_id = " + design + " WHERE id = " + reply);
    long january = needle(plans, anaId, "Milestone " + tag + " one", "2026-01-15T12:00:00Z");
    long march = needle(plans, anaId, "Milestone " + tag + " two", "2026-03-15T12:00:00Z");
    long hidden = needle(bobsSecret, bobId, "bobsecret" + tag + " plans", null);
    long direct = needle(bobAndCy, cyId, "cydirect" + tag + " plans", null);
    long ours = needle(anaAndBob, bobId, "ourdirect" + tag + " plans", null);
    long deleted = needle(plans, bobId, "gone" + tag + " soon", null);
    execute(
        "UPDATE chat.message SET body = NULL, html = NULL, deleted_at = now() WHERE id = "
            + deleted);
    long edited = needle(plans, bobId, "before" + tag + " the edit", null);
    execute(
        "UPDATE chat.message SET body = 'after"
            + tag
            + " the edit', edited_at = now() WHERE id = "
            + edited);

    String in = "in:plans-" + tag + " ";
    // A whole word; a stem ("deploying" finds "deployed", marked); a part of a path; an
    // identifier; Japanese, which has no spaces between words.
    assertEquals(List.of(quarterly), foundIds(ana, in + "quarterly"));
    List<Map<String, Object>> stem = results(search(ana, in + "deploying"));
    assertEquals(
        List.of(deployed), stem.stream().map(r -> ((Number) r.get("id")).longValue()).toList());
    assertEquals(List.of("deployed"), marks(stem.get(0)));
    List<Map<String, Object>> part = results(search(ana, in + "surefire"));
    assertEquals(surefire, ((Number) part.get(0).get("id")).longValue());
    assertEquals(List.of("surefire"), marks(part.get(0)));
    assertEquals(List.of(pr), foundIds(ana, in + "PR-128"));
    // Each word by its stem or as a part: one query may mix them; -word leaves messages out.
    assertEquals(List.of(deployed), foundIds(ana, in + "deploying yesterd"));
    assertEquals(List.of(), foundIds(ana, in + "deploying -yesterd"));
    List<Map<String, Object>> cjk = results(search(ana, in + "設計"));
    assertEquals(
        List.of(design), cjk.stream().map(r -> ((Number) r.get("id")).longValue()).toList());
    assertEquals(List.of("設計"), marks(cjk.get(0)));
    // A reply is found, and opens its room at its parent.
    Map<String, Object> inThread = results(search(ana, tag + "threadword")).get(0);
    assertEquals(reply, ((Number) inThread.get("id")).longValue());
    assertEquals(seqOf(design), ((Number) inThread.get("at")).longValue());
    assertEquals(design, ((Number) inThread.get("parent")).longValue());
    assertEquals("plans-" + tag, inThread.get("room_name"));

    // Only rooms and conversations of the searcher; never a deleted message, nor an edit's old
    // text.
    assertEquals(List.of(), foundIds(ana, "bobsecret" + tag));
    assertEquals(List.of(), foundIds(ana, "cydirect" + tag));
    assertEquals(List.of(ours), foundIds(ana, "ourdirect" + tag));
    Map<String, Object> dm = results(search(ana, "ourdirect" + tag)).get(0);
    assertEquals("Bob Seeker", dm.get("room_name"));
    assertEquals(true, dm.get("direct"));
    assertEquals(List.of(hidden), foundIds(bob, "bobsecret" + tag));
    assertEquals(List.of(direct), foundIds(cy, "cydirect" + tag));
    assertEquals(List.of(), foundIds(cy, "ourdirect" + tag));
    assertEquals(List.of(), foundIds(ana, "gone" + tag));
    assertEquals(List.of(), foundIds(ana, "before" + tag));
    assertEquals(List.of(edited), foundIds(ana, "after" + tag));

    // Filters: room, person, days, and has:file (none of these messages has a file).
    assertEquals(
        Set.of(hidden, direct, ours),
        Set.copyOf(foundIds(bob, "plans")),
        "bob's own rooms and conversations, whoever wrote there");
    assertEquals(List.of(ours), foundIds(ana, "ourdirect" + tag + " from:" + bob.username()));
    assertEquals(List.of(), foundIds(ana, "ourdirect" + tag + " from:@" + ana.username()));
    assertEquals(List.of(), foundIds(ana, "ourdirect" + tag + " in:#plans-" + tag));
    assertEquals(List.of(march, january), foundIds(ana, in + "milestone"));
    assertEquals(List.of(january), foundIds(ana, in + "milestone -two"));
    assertEquals(List.of(january), foundIds(ana, in + "milestone before:2026-02-01"));
    assertEquals(List.of(march), foundIds(ana, in + "milestone after:2026-02-01"));
    assertEquals(List.of(), foundIds(ana, in + "milestone has:file"));

    // A page of the corpus: newest first, more behind it; relevance orders too.
    Map<String, Object> page = search(ana, in + "tests");
    assertEquals(20, results(page).size());
    assertEquals(true, page.get("more"));
    HttpResponse<String> relevance =
        ana.browser()
            .get("/session/search/messages?order=relevance&limit=50&q=tests%20in:plans-" + tag);
    assertEquals(200, relevance.statusCode(), relevance.body());
    assertEquals(50, results(JSONObjectUtils.parse(relevance.body())).size());

    // The messages around a result: 25 on each side, oldest first, the result among them.
    HttpResponse<String> around =
        ana.browser().get("/session/search/around?room=" + plans + "&seq=" + 2000);
    assertEquals(200, around.statusCode(), around.body());
    List<Object> window =
        JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(around.body()), "messages");
    assertEquals(51, window.size());
    assertEquals(1975L, ((Number) ((Map<?, ?>) window.get(0)).get("seq")).longValue());
    assertEquals(2025L, ((Number) ((Map<?, ?>) window.get(50)).get("seq")).longValue());
    assertEquals(false, JSONObjectUtils.parse(around.body()).get("latest"));
    HttpResponse<String> newest =
        ana.browser().get("/session/search/around?room=" + plans + "&seq=" + seqOf(quarterly));
    assertEquals(true, JSONObjectUtils.parse(newest.body()).get("latest"), newest.body());
    // Someone else's private room: the same 404 as no room at all.
    assertEquals(
        404,
        ana.browser().get("/session/search/around?room=" + bobsSecret + "&seq=1").statusCode());
    assertEquals(
        404, cy.browser().get("/session/search/around?room=" + anaAndBob + "&seq=1").statusCode());

    // Rooms by name: one's own and the public ones, never another's private room.
    HttpResponse<String> rooms = bob.browser().get("/session/search/rooms?q=" + tag);
    assertEquals(200, rooms.statusCode(), rooms.body());
    List<Object> bobsRooms = JSONArrayUtils.parse(rooms.body());
    assertEquals(2, bobsRooms.size(), rooms.body());
    List<Object> cysRooms =
        JSONArrayUtils.parse(cy.browser().get("/session/search/rooms?q=" + tag).body());
    assertEquals(1, cysRooms.size());
    assertEquals("plans-" + tag, ((Map<?, ?>) cysRooms.get(0)).get("name"));
    assertEquals(false, ((Map<?, ?>) cysRooms.get(0)).get("member"));

    // Bounded and validated.
    assertEquals(
        400, ana.browser().get("/session/search/messages?q=" + "x".repeat(201)).statusCode());
    assertEquals(400, ana.browser().get("/session/search/messages?q=x&limit=51").statusCode());
    assertEquals(400, ana.browser().get("/session/search/messages?q=x&offset=501").statusCode());
    assertEquals(400, ana.browser().get("/session/search/messages?q=x&order=random").statusCode());
    HttpResponse<String> badDate = ana.browser().get("/session/search/messages?q=before:yesterday");
    assertEquals(400, badDate.statusCode(), badDate.body());
    assertEquals("search_invalid", JSONObjectUtils.parse(badDate.body()).get("code"));
    assertEquals(400, ana.browser().get("/session/search/messages?q=x&tz=Mars/Base").statusCode());
    assertEquals(401, browser().get("/session/search/messages?q=plans").statusCode());
    assertEquals(401, browser().get("/session/search/rooms?q=plans").statusCode());
    // LIKE's wildcards are text: "%%" finds nothing rather than everything.
    assertEquals(List.of(), foundIds(ana, in + "%%"));
  }

  /** The rooms page with {@code ?q=} (and more), as its GET form sends it. */
  private static HttpResponse<String> roomsPageSearch(Person person, String query, String more)
      throws Exception {
    HttpResponse<String> page =
        person
            .browser()
            .get(
                "/rooms.xhtml?q="
                    + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8)
                    + more);
    assertEquals(200, page.statusCode(), page.body());
    return page;
  }

  /** The results the rooms page lists: each one's room id, in order. */
  private static List<Long> roomsPageResults(HttpResponse<String> page) {
    int list = page.body().indexOf("id=\"search-results\"");
    if (list < 0) {
      return List.of();
    }
    String results = page.body().substring(list, page.body().indexOf("</ol>", list));
    List<Long> rooms = new ArrayList<>();
    Matcher link = Pattern.compile("room\\.xhtml\\?id=(\\d+)").matcher(results);
    while (link.find()) {
      rooms.add(Long.parseLong(link.group(1)));
    }
    return rooms;
  }

  /** The rooms page's list of results, as HTML. */
  private static String searchResults(HttpResponse<String> page) {
    int list = page.body().indexOf("id=\"search-results\"");
    assertTrue(list >= 0, page.body());
    return page.body().substring(list, page.body().indexOf("</ol>", list));
  }

  /** The sentence the rooms page shows beside its search form, or null. */
  private static String roomsPageSearchProblem(HttpResponse<String> page) {
    Matcher problem =
        Pattern.compile("<p id=\"search-problem\" class=\"error\" role=\"alert\">([^<]*)</p>")
            .matcher(page.body());
    return problem.find() ? problem.group(1) : null;
  }

  @Test
  void theRoomsPageSearchesWithoutTheScriptShowingSnippetsAsTextAndLinksToTheRooms()
      throws Exception {
    String tag = letters(8);
    Person ana = signedIn("spa", "Ana Pager");
    Person bob = signedIn("spb", "Bob Pager");
    long anaId = userId(ana);
    long bobId = userId(bob);
    long notes =
        idOf(
            ana.browser()
                .postJson(
                    "/session/directory/rooms",
                    "{\"name\":\"notes-" + tag + "\",\"topic\":\"\",\"public\":true}"),
            201);
    assertEquals(
        200, bob.browser().postJson("/session/directory/rooms/" + notes + "/join").statusCode());
    long bobsSecret =
        idOf(
            bob.browser()
                .postJson(
                    "/session/directory/rooms",
                    "{\"name\":\"hush-" + tag + "\",\"topic\":\"\",\"public\":false}"),
            201);
    needle(notes, bobId, "<script>alert(1)</script> the " + tag + " plan & <b>bold</b>", null);
    needle(bobsSecret, bobId, "bob's own " + tag + " plan", null);

    // Found in ana's room only, linked to its room, with the sender and the time, the word found
    // inside the page's own <mark>.
    HttpResponse<String> page = roomsPageSearch(ana, tag, "");
    assertEquals(List.of(notes), roomsPageResults(page));
    String results = searchResults(page);
    assertTrue(results.contains("# notes-" + tag), results);
    assertTrue(results.contains("Bob Pager"), results);
    assertTrue(Pattern.compile("<time datetime=\"20\\d\\d-").matcher(results).find(), results);
    assertTrue(results.contains("<mark>" + tag + "</mark>"), results);
    assertTrue(page.body().contains("value=\"" + tag + "\""), "the form keeps what was searched");
    // Found by filters alone, the snippet is the message's start as written: its markup arrives
    // as text. (ts_headline, which makes the snippet of a word found, drops tags by itself.)
    String filtered =
        searchResults(roomsPageSearch(ana, "in:notes-" + tag + " from:" + bob.username(), ""));
    assertTrue(filtered.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), filtered);
    assertTrue(filtered.contains("&lt;b&gt;bold&lt;/b&gt;"), filtered);
    assertFalse(filtered.contains("<script>"), filtered);
    assertFalse(filtered.contains("<b>"), filtered);
    assertEquals(List.of(bobsSecret, notes), roomsPageResults(roomsPageSearch(bob, tag, "")));
    assertTrue(
        roomsPageSearch(ana, "nothing" + tag, "").body().contains("No messages found."),
        "an empty result says so");

    // Twenty at a time, newest first; "More results" asks for the next twenty.
    for (int i = 0; i < 25; i++) {
      needle(notes, anaId, "paged" + tag + " number " + i, null);
    }
    HttpResponse<String> first = roomsPageSearch(ana, "paged" + tag, "");
    assertEquals(20, roomsPageResults(first).size());
    assertTrue(first.body().contains("offset=20"), "a link to the next page");
    HttpResponse<String> second = roomsPageSearch(ana, "paged" + tag, "&offset=20");
    assertEquals(5, roomsPageResults(second).size());
    assertFalse(second.body().contains("id=\"search-next\""), "no page after the last");

    // Bounded and validated as the API is: a sentence beside the form, never a server error.
    assertEquals(
        "The search has at most 200 characters.",
        roomsPageSearchProblem(roomsPageSearch(ana, "x".repeat(201), "")));
    assertEquals(
        "The search contains characters that are not allowed.",
        roomsPageSearchProblem(roomsPageSearch(ana, "a\u0000b", "")));
    assertEquals(
        "before: needs a date as 2026-12-31.",
        roomsPageSearchProblem(roomsPageSearch(ana, tag + " before:yesterday", "")));
    assertEquals(
        "The results start at a number from 0 to 500.",
        roomsPageSearchProblem(roomsPageSearch(ana, tag, "&offset=501")));
    assertEquals(
        "The results start at a number from 0 to 500.",
        roomsPageSearchProblem(roomsPageSearch(ana, tag, "&offset=ten")));
    // Without a session the page is the sign-in page's, as without a search.
    HttpResponse<String> anonymous = browser().get("/rooms.xhtml?q=" + tag);
    assertEquals(302, anonymous.statusCode());
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
            "/api/rooms/{room}/threads/{id}",
            "/api/users/{subject}/rooms",
            "/api/users/{subject}",
            "/api/memberships/changes",
            "/api/messages/outside",
            "/api/me",
            "/api/v1/rooms",
            "/api/v1/rooms/{room}/members",
            "/api/v1/rooms/{room}/messages",
            "/api/v1/people",
            "/api/v1/rooms/{room}/webhooks",
            "/api/v1/rooms/{room}/webhooks/{webhook}",
            "/api/v1/hooks/{webhook}/{secret}",
            "/api/v1/rooms/{room}/commands",
            "/api/v1/rooms/{room}/commands/{command}",
            "/api/v1/me",
            "/api/v1/people/{username}",
            "/api/v1/rooms/{room}",
            "/api/v1/rooms/{room}/topic",
            "/api/v1/rooms/{room}/archive",
            "/api/v1/rooms/{room}/leave",
            "/api/v1/rooms/{room}/members/{username}",
            "/api/v1/rooms/{room}/messages/{id}",
            "/api/v1/rooms/{room}/messages/{id}/reactions/{emoji}"),
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
    // A message's body is required by its kind (the default), not by every entry.
    Map<String, Object> documented =
        JSONObjectUtils.getJSONObject(
            JSONObjectUtils.getJSONObject(schemas, "NewMessage"), "properties");
    assertTrue(documented.containsKey("body"), "documented field body");
    message.put("body", values.get("body"));
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
        List.of(
            "/api/application.wadl",
            "/api/v1/application.wadl",
            "/session/application.wadl",
            "/application.wadl")) {
      int status = get(URI.create(serverRoot() + wadl)).statusCode();
      assertTrue(status == 404 || status == 401, wadl + " -> " + status);
    }
  }

  // ---- issue 15: edits, deletes, reactions, threads, mentions and formatting, as entries

  /** An entry of a batch; null fields are left out. */
  private static String entry(
      String sender,
      long room,
      String clientId,
      String kind,
      String body,
      Object target,
      Object parent,
      String emoji) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("sender", sender);
    fields.put("room", room);
    fields.put("client_msg_id", clientId);
    fields.put("kind", kind);
    if (body != null) {
      fields.put("body", body);
    }
    if (target != null) {
      fields.put("target", target);
    }
    if (parent != null) {
      fields.put("parent", parent);
    }
    if (emoji != null) {
      fields.put("emoji", emoji);
    }
    return JSONObjectUtils.toJSONString(fields);
  }

  private List<Map<String, Object>> store(String... entries) throws Exception {
    return outcomes(storeBatch(batch(List.of(entries))));
  }

  /** "status code" of each outcome. */
  private static List<String> answers(List<Map<String, Object>> outcomes) {
    return outcomes.stream()
        .map(outcome -> ((Number) outcome.get("status")).longValue() + " " + outcome.get("code"))
        .toList();
  }

  private static long idOf(Map<String, Object> outcome) {
    return ((Number) outcome.get("id")).longValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> entryOf(Map<String, Object> outcome) {
    return (Map<String, Object>) outcome.get("entry");
  }

  /** Gives two of a seeded room's people usernames, and makes {@code other} an owner. */
  private static Map<String, String> nameAndPromote(Seeded seeded) throws Exception {
    String memberName = "mem" + UUID.randomUUID().toString().substring(0, 8);
    String otherName = "oth" + UUID.randomUUID().toString().substring(0, 8);
    execute(
        "UPDATE chat.chat_user SET username = '"
            + memberName
            + "' WHERE subject = '"
            + seeded.member()
            + "'");
    execute(
        "UPDATE chat.chat_user SET username = '"
            + otherName
            + "' WHERE subject = '"
            + seeded.other()
            + "'");
    execute(
        "UPDATE chat.membership SET role = 'owner' WHERE room_id = "
            + seeded.room()
            + " AND user_id = (SELECT id FROM chat.chat_user WHERE subject = '"
            + seeded.other()
            + "')");
    return Map.of("member", memberName, "other", otherName);
  }

  private List<Map<String, Object>> entries(Seeded seeded, long after) throws Exception {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> entries =
        (List<Map<String, Object>>)
            (List<?>)
                JSONObjectUtils.getJSONArray(
                    JSONObjectUtils.parse(page(seeded, "after=" + after + "&limit=200").body()),
                    "messages");
    return entries;
  }

  private static Map<String, Object> byId(List<Map<String, Object>> entries, long id) {
    return entries.stream()
        .filter(entry -> ((Number) entry.get("id")).longValue() == id)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no entry " + id + " in " + entries));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stateOf(Map<String, Object> entry) {
    return (Map<String, Object>) entry.get("state");
  }

  @Test
  void everyKindIsStoredWithItsChecksAndAReadAfterNListsTheChangesInOrderOnce() throws Exception {
    Seeded seeded = seedRoom();
    Map<String, String> names = nameAndPromote(seeded);
    long room = seeded.room();
    String member = seeded.member();
    String owner = seeded.other();

    List<Map<String, Object>> first =
        store(
            entry(member, room, "m1", "message", "hello **world** <b>x</b>", null, null, null),
            entry(
                owner,
                room,
                "m2",
                "message",
                "hi @" + names.get("member").toUpperCase(java.util.Locale.ROOT) + " and @room",
                null,
                null,
                null),
            entry(seeded.stranger(), room, "m3", "message", "let me in", null, null, null));
    assertEquals(List.of("201 stored", "201 stored", "403 not_a_member"), answers(first));
    long m1 = idOf(first.get(0));
    long m2 = idOf(first.get(1));
    Map<String, Object> stored1 = entryOf(first.get(0));
    assertEquals("message", stored1.get("kind"));
    assertEquals("<p>hello <strong>world</strong> &lt;b&gt;x&lt;/b&gt;</p>", stored1.get("html"));
    Map<String, Object> stored2 = entryOf(first.get(1));
    assertEquals(List.of(member), stored2.get("mentions"));
    assertEquals(true, stored2.get("mentions_room"), "an owner may call the room");
    assertTrue(
        ((String) stored2.get("html"))
            .contains("<span class=\"mention\" data-user=\"" + member + "\">@"),
        stored2.toString());

    List<Map<String, Object>> second =
        store(
            entry(member, room, "e1", "edit", "hello again @" + names.get("other"), m1, null, null),
            entry(owner, room, "e2", "edit", "not mine", m1, null, null),
            entry(owner, room, "r1", "react", null, m1, null, "\ud83d\udc4d"),
            entry(owner, room, "r2", "react", null, m1, null, "\ud83d\udc4d"),
            entry(member, room, "r3", "react", null, m1, null, ":tada:"),
            entry(member, room, "u1", "unreact", null, m1, null, ":tada:"),
            entry(owner, room, "p1", "message", "in a thread", null, m1, null),
            entry(member, room, "x1", "edit", "nothing there", 999_999_999L, null, null),
            entry(member, room, "d1", "delete", null, m2, null, null),
            entry(owner, room, "d2", "delete", null, m2, null, null),
            entry(owner, room, "e3", "edit", "too late", m2, null, null),
            entry(member, room, "r4", "react", null, m2, null, "\ud83d\udc4d"),
            entry(member, room, "p3", "message", "too late", null, m2, null),
            entry(owner, room, "d3", "delete", null, m2, null, null),
            entry(seeded.stranger(), room, "r5", "react", null, m1, null, "\ud83d\udc4d"));
    List<String> got = answers(second);
    assertEquals(
        List.of(
            "201 stored",
            "403 not_the_author",
            "201 stored",
            "201 stored",
            "201 stored",
            "201 stored",
            "201 stored",
            "404 no_such_message",
            "403 not_allowed",
            "201 stored",
            "410 message_deleted",
            "410 message_deleted",
            "410 message_deleted",
            "410 message_deleted",
            "403 not_a_member"),
        got);
    long p1 = idOf(second.get(6));
    assertEquals(List.of(owner), entryOf(second.get(0)).get("mentions"), "an edit mentions too");
    assertEquals(m1, ((Number) entryOf(second.get(6)).get("parent")).longValue());
    List<Map<String, Object>> nested =
        store(entry(member, room, "p2", "message", "a reply to a reply", null, p1, null));
    assertEquals(List.of("422 not_a_thread_root"), answers(nested));
    List<Map<String, Object>> elsewhere =
        store(entry(member, seedRoomWith(seeded), "p4", "message", "another room", null, m1, null));
    assertEquals(List.of("404 no_such_message"), answers(elsewhere), "a parent of another room");

    // Resume after the first two messages: every change since, in seq order, once.
    List<Map<String, Object>> changes = entries(seeded, 2);
    assertEquals(
        List.of("edit", "react", "react", "react", "unreact", "message", "delete"),
        changes.stream().map(entry -> entry.get("kind")).toList());
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L), seqs(page(seeded, "after=2")));
    assertEquals(m1, ((Number) changes.get(0).get("target")).longValue());
    assertEquals("\ud83d\udc4d", changes.get(1).get("emoji"));
    assertEquals(m2, ((Number) changes.get(6).get("target")).longValue());
    assertEquals(9, count("SELECT last_seq FROM chat.room WHERE id = " + room), "gap-free");

    // History shows the current state.
    List<Map<String, Object>> all = entries(seeded, 0);
    Map<String, Object> now1 = stateOf(byId(all, m1));
    assertEquals("hello again @" + names.get("other"), byId(all, m1).get("body"));
    assertTrue(now1.get("edited_at") != null, now1.toString());
    assertEquals(false, now1.get("deleted"));
    assertEquals(
        List.of(Map.of("emoji", "\ud83d\udc4d", "users", List.of(owner))),
        now1.get("reactions"),
        "reacting twice is one reaction; the unreacted one is gone");
    assertEquals(1L, ((Number) now1.get("reply_count")).longValue());
    assertEquals(List.of(owner), now1.get("repliers"));
    assertEquals(List.of(owner), byId(all, m1).get("mentions"), "the edited text's mentions");
    Map<String, Object> tomb = byId(all, m2);
    assertEquals(true, stateOf(tomb).get("deleted"));
    assertEquals(null, tomb.get("body"));
    assertEquals(null, tomb.get("html"));
    assertEquals(List.of(), tomb.get("mentions"));
    assertEquals(false, tomb.get("mentions_room"));
    Map<String, Object> reply = byId(all, p1);
    assertEquals(m1, ((Number) reply.get("parent")).longValue());
    assertEquals(0L, ((Number) stateOf(reply).get("reply_count")).longValue());
    assertEquals(null, changes.get(1).get("state"), "changes carry no state");

    // Deleting m1 (an owner may) erases its text and its edit's: never served again.
    assertEquals(
        List.of("201 stored"),
        answers(store(entry(owner, room, "d4", "delete", null, m1, null, null))));
    all = entries(seeded, 0);
    assertEquals(null, byId(all, m1).get("body"));
    Map<String, Object> edit = all.get(2);
    assertEquals("edit", edit.get("kind"));
    assertEquals(null, edit.get("body"));
    assertEquals(null, edit.get("html"));
    assertEquals(List.of(), stateOf(byId(all, m1)).get("reactions"));
    assertEquals(1L, ((Number) stateOf(byId(all, m1)).get("reply_count")).longValue());
    assertEquals(
        0,
        count(
            "SELECT count(*) FROM chat.message WHERE room_id = "
                + room
                + " AND (body LIKE '%again%' OR html LIKE '%again%' OR body LIKE '%world%')"),
        "deleted text is gone from the database");
  }

  /** A second public room with the seeded member in it; its id. */
  private static long seedRoomWith(Seeded seeded) throws Exception {
    try (var db = TestDatabase.connect()) {
      long room;
      try (var insert =
          db.prepareStatement(
              "INSERT INTO chat.room (name, visibility) VALUES (?, 'public') RETURNING id")) {
        insert.setString(1, "room-" + UUID.randomUUID());
        var rows = insert.executeQuery();
        rows.next();
        room = rows.getLong(1);
      }
      try (var insert =
          db.prepareStatement(
              "INSERT INTO chat.membership (room_id, user_id, role)"
                  + " SELECT ?, id, 'member' FROM chat.chat_user WHERE subject = ?")) {
        insert.setLong(1, room);
        insert.setString(2, seeded.member());
        insert.executeUpdate();
      }
      return room;
    }
  }

  @Test
  void aResentEntryOfAnyKindIsStoredOnceAndAReusedIdIsAConflict() throws Exception {
    Seeded seeded = seedRoom();
    long room = seeded.room();
    String member = seeded.member();
    long m1 = idOf(store(entry(member, room, "i-m1", "message", "one", null, null, null)).get(0));
    List<String> kinds =
        List.of(
            entry(member, room, "i-e1", "edit", "one, edited", m1, null, null),
            entry(member, room, "i-r1", "react", null, m1, null, ":+1:"),
            entry(member, room, "i-u1", "unreact", null, m1, null, ":tada:"),
            entry(seeded.other(), room, "i-p1", "message", "a reply", null, m1, null));
    List<Map<String, Object>> first = store(kinds.toArray(String[]::new));
    List<Map<String, Object>> again = store(kinds.toArray(String[]::new));
    for (int i = 0; i < kinds.size(); i++) {
      assertEquals("201 stored", answers(first).get(i));
      assertEquals("200 already_stored", answers(again).get(i));
      assertEquals(first.get(i).get("id"), again.get(i).get("id"));
      assertEquals(first.get(i).get("seq"), again.get(i).get("seq"));
      assertEquals(entryOf(first.get(i)).get("kind"), entryOf(again.get(i)).get("kind"));
    }
    assertEquals(5, count("SELECT count(*) FROM chat.message WHERE room_id = " + room));
    assertEquals(
        1L,
        ((Number) stateOf(byId(entries(seeded, 0), m1)).get("reply_count")).longValue(),
        "a resent reply counts once");
    List<Map<String, Object>> reused =
        store(
            entry(member, room, "i-e1", "edit", "another text", m1, null, null),
            entry(member, room, "i-r1", "react", null, m1, null, ":heart:"),
            entry(member, room, "i-u1", "react", null, m1, null, ":tada:"),
            entry(member, room, "i-m1", "message", "not one", null, null, null));
    assertEquals(
        List.of(
            "409 client_msg_id_reused",
            "409 client_msg_id_reused",
            "409 client_msg_id_reused",
            "200 already_stored"),
        answers(reused),
        "a message's own body is replaced by its edit: its resend is still recognised");
    long d1 = idOf(store(entry(member, room, "i-d1", "delete", null, m1, null, null)).get(0));
    List<Map<String, Object>> afterDelete =
        store(
            entry(member, room, "i-d1", "delete", null, m1, null, null),
            entry(member, room, "i-e1", "edit", "one, edited", m1, null, null));
    assertEquals(List.of("200 already_stored", "200 already_stored"), answers(afterDelete));
    assertEquals(d1, idOf(afterDelete.get(0)));
    assertEquals(null, entryOf(afterDelete.get(1)).get("body"), "its text was erased");
  }

  @Test
  void threadsAreReadByMembersParentFirst() throws Exception {
    Seeded seeded = seedRoom();
    long room = seeded.room();
    long root =
        idOf(
            store(entry(seeded.member(), room, "t-root", "message", "root", null, null, null))
                .get(0));
    List<Map<String, Object>> replies = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      replies.addAll(
          store(
              entry(seeded.other(), room, "t-r" + i, "message", "reply " + i, null, root, null),
              entry(seeded.member(), room, "t-x" + i, "message", "room " + i, null, null, null)));
    }
    String service = chatserv.assertion();
    String path = "rooms/" + room + "/threads/" + root + "?member=";
    HttpResponse<String> thread = api(path + seeded.member(), service);
    assertEquals(200, thread.statusCode(), thread.body());
    assertEquals(List.of(1L, 2L, 4L, 6L), seqs(thread));
    HttpResponse<String> later = api(path + seeded.member() + "&after=4", service);
    assertEquals(List.of(1L, 6L), seqs(later), "the parent, then the replies after 4");
    assertEquals(404, api(path + seeded.stranger(), service).statusCode());
    HttpResponse<String> ofAReply =
        api(
            "rooms/" + room + "/threads/" + idOf(replies.get(0)) + "?member=" + seeded.member(),
            service);
    assertEquals(404, ofAReply.statusCode());
    assertEquals("no_such_thread", JSONObjectUtils.parse(ofAReply.body()).get("code"));
    assertEquals(
        403,
        api(path + seeded.member(), authority.userToken(seeded.member(), "m")).statusCode(),
        "chatserv's API");
  }

  @Test
  void concurrentChangesOfOneMessageKeepTheSequenceGapFreeAndTheReactionsASet() throws Exception {
    Seeded seeded = seedRoom();
    long room = seeded.room();
    long target =
        idOf(
            store(entry(seeded.member(), room, "c-m", "message", "popular", null, null, null))
                .get(0));
    var pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int writer = 0; writer < 6; writer++) {
        int w = writer;
        String sender = w % 2 == 0 ? seeded.member() : seeded.other();
        writers.add(
            pool.submit(
                () -> {
                  for (int b = 0; b < 5; b++) {
                    store(
                        entry(
                            sender,
                            room,
                            "c" + w + "-" + b + "-r",
                            "react",
                            null,
                            target,
                            null,
                            ":w" + w + ":"),
                        entry(
                            sender,
                            room,
                            "c" + w + "-" + b + "-u",
                            "unreact",
                            null,
                            target,
                            null,
                            ":w" + w + ":"),
                        entry(
                            sender,
                            room,
                            "c" + w + "-" + b + "-a",
                            "react",
                            null,
                            target,
                            null,
                            ":w" + w + ":"),
                        entry(
                            sender,
                            room,
                            "c" + w + "-" + b + "-t",
                            "message",
                            "reply",
                            null,
                            target,
                            null));
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
    assertEquals(121, count("SELECT count(*) FROM chat.message WHERE room_id = " + room));
    assertEquals(
        121, count("SELECT count(DISTINCT seq) FROM chat.message WHERE room_id = " + room));
    assertEquals(121, count("SELECT max(seq) FROM chat.message WHERE room_id = " + room));
    Map<String, Object> state = stateOf(byId(entries(seeded, 0), target));
    assertEquals(30L, ((Number) state.get("reply_count")).longValue());
    assertEquals(6, ((List<?>) state.get("reactions")).size(), state.toString());
    assertEquals(6, count("SELECT count(*) FROM chat.reaction WHERE message_id = " + target));
  }

  @Test
  void aMessageTakesTwentyDifferentEmojiAndEveryoneMayJoinThemButNotATwentyFirst()
      throws Exception {
    Seeded seeded = seedRoom();
    long room = seeded.room();
    long target =
        idOf(
            store(entry(seeded.member(), room, "c-t", "message", "react!", null, null, null))
                .get(0));
    for (int i = 0; i < 20; i++) {
      var outcome =
          store(
              entry(seeded.member(), room, "c-e" + i, "react", null, target, null, ":e" + i + ":"));
      assertEquals(201L, ((Number) outcome.get(0).get("status")).longValue(), outcome.toString());
    }
    var refused =
        store(entry(seeded.member(), room, "c-e20", "react", null, target, null, ":e20:"));
    assertEquals(422L, ((Number) refused.get(0).get("status")).longValue());
    assertEquals("too_many_reactions", refused.get(0).get("code"));
    var joined = store(entry(seeded.other(), room, "c-j", "react", null, target, null, ":e7:"));
    assertEquals(201L, ((Number) joined.get(0).get("status")).longValue(), joined.toString());
    assertEquals(21, count("SELECT count(*) FROM chat.reaction WHERE message_id = " + target));
  }

  @Test
  void markdownIsRenderedOnceWhenStoredAndNeverMakesCode() throws Exception {
    Seeded seeded = seedRoom();
    List<String> payloads =
        List.of(
            "[x](javascript:alert(1))",
            "![](x onerror=alert(1))",
            "![a](data:image/svg+xml;base64,PHN2Zy8+)",
            "<script>alert(1)</script>",
            "```\n<img src=x onerror=alert(1)>\n```",
            "[y](data:text/html,<script>alert(1)</script>)",
            "*[".repeat(1000),
            "<a href=\"https://e.org\" onclick=\"x()\">z</a>");
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      entries.add(
          entry(
              seeded.member(),
              seeded.room(),
              "x" + i,
              "message",
              payloads.get(i),
              null,
              null,
              null));
    }
    List<Map<String, Object>> outcomes = store(entries.toArray(String[]::new));
    for (Map<String, Object> outcome : outcomes) {
      String html = (String) entryOf(outcome).get("html");
      String lower = html.toLowerCase(java.util.Locale.ROOT);
      // Every '<' left is a tag the renderer made (text is escaped): none runs code.
      for (String forbidden : List.of("<script", "<img", "<svg", "=\"javascript:", "=\"data:")) {
        assertTrue(!lower.contains(forbidden), forbidden + " in " + html);
      }
      assertTrue(!Pattern.compile("<[a-z]+[^>]*\\son[a-z]+=").matcher(lower).find(), html);
    }
    assertEquals(
        (String) entryOf(outcomes.get(3)).get("html"),
        (String) byId(entries(seeded, 0), idOf(outcomes.get(3))).get("html"),
        "history serves the html made when it was stored");
    assertEquals(
        payloads.size(),
        count(
            "SELECT count(*) FROM chat.message WHERE html IS NOT NULL AND room_id = "
                + seeded.room()),
        "stored with the message");
  }

  /** Someone's rooms as the page's script reads them: id -> the room's summary. */
  private static Map<Long, Map<String, Object>> summaries(Browser browser) throws Exception {
    HttpResponse<String> rooms = browser.get("/session/rooms");
    assertEquals(200, rooms.statusCode(), rooms.body());
    Map<Long, Map<String, Object>> byId = new LinkedHashMap<>();
    for (Object room : JSONArrayUtils.parse(rooms.body())) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) room;
      byId.put(((Number) fields.get("id")).longValue(), fields);
    }
    return byId;
  }

  private static long number(Map<String, Object> fields, String name) {
    return ((Number) fields.get(name)).longValue();
  }

  /**
   * A member mutes a room for themselves (every device of theirs reads it with their rooms); only a
   * member can, only their own membership changes, and the request needs the page's CSRF header.
   */
  @Test
  void aMemberMutesARoomForThemselvesOnly() throws Exception {
    Person owner = signedIn("mut", "Mona Muter");
    Person guest = signedIn("mug", "Mick Guest");
    Person stranger = signedIn("mus", "Sid Stranger");
    long room = owner.browser().createRoom("muting-" + UUID.randomUUID(), false);
    assertEquals(302, invite(owner.browser(), room, guest.username()).statusCode());
    assertEquals(false, summaries(guest.browser()).get(room).get("muted"), "not muted at first");

    String path = "/session/rooms/" + room + "/muted";
    assertEquals(204, guest.browser().putJson(path, "{\"muted\":true}", true).statusCode());
    assertEquals(true, summaries(guest.browser()).get(room).get("muted"));
    assertEquals(false, summaries(owner.browser()).get(room).get("muted"), "the guest's only");

    HttpResponse<String> outsider = stranger.browser().putJson(path, "{\"muted\":true}", true);
    assertEquals(404, outsider.statusCode(), outsider.body());
    assertEquals("room_not_found", JSONObjectUtils.parse(outsider.body()).get("code"));
    HttpResponse<String> noRoom =
        guest
            .browser()
            .putJson("/session/rooms/" + Long.MAX_VALUE + "/muted", "{\"muted\":true}", true);
    assertEquals(404, noRoom.statusCode(), noRoom.body());
    assertEquals(
        403, owner.browser().putJson(path, "{\"muted\":true}", false).statusCode(), "CSRF");
    assertEquals(false, summaries(owner.browser()).get(room).get("muted"), "nothing changed");
    for (String bad : List.of("{}", "{\"muted\":\"yes\"}", "true", "not json", "")) {
      HttpResponse<String> refused = guest.browser().putJson(path, bad, true);
      assertEquals(400, refused.statusCode(), bad + ": " + refused.body());
    }
    assertEquals(true, summaries(guest.browser()).get(room).get("muted"), "still muted");
    assertEquals(
        401,
        new Browser(serverRoot()).putJson(path, "{\"muted\":false}", true).statusCode(),
        "signed out");

    assertEquals(204, guest.browser().putJson(path, "{\"muted\":false}", true).statusCode());
    assertEquals(false, summaries(guest.browser()).get(room).get("muted"));
  }

  @Test
  void mentionsAreCountedPerPersonAndThePageShowsTheCurrentState() throws Exception {
    Person owner = signedIn("own", "Olga Owner");
    Person guest = signedIn("gue", "Gus Guest");
    long room = owner.browser().createRoom("mentions-" + UUID.randomUUID(), true);
    assertEquals(302, invite(owner.browser(), room, guest.username()).statusCode());
    List<Map<String, Object>> said =
        store(
            entry(
                owner.subject(),
                room,
                "n1",
                "message",
                "hey @" + guest.username(),
                null,
                null,
                null),
            entry(owner.subject(), room, "n2", "message", "@room look", null, null, null),
            entry(guest.subject(), room, "n3", "message", "@room nope", null, null, null),
            entry(
                guest.subject(),
                room,
                "n4",
                "message",
                "thanks @" + owner.username() + ", @" + owner.username(),
                null,
                null,
                null),
            entry(
                owner.subject(),
                room,
                "n5",
                "message",
                "`@" + guest.username() + "` in code",
                null,
                null,
                null));
    assertEquals(5, answers(said).stream().filter("201 stored"::equals).count(), said.toString());
    assertEquals(false, entryOf(said.get(2)).get("mentions_room"), "only owners call the room");
    assertEquals(List.of(owner.subject()), entryOf(said.get(3)).get("mentions"));
    assertEquals(List.of(), entryOf(said.get(4)).get("mentions"));

    Map<String, Object> guestView = summaries(guest.browser()).get(room);
    assertEquals(2, number(guestView, "mention_count"), guestView.toString());
    assertEquals(3, number(guestView, "unread"), "the others' messages");
    assertEquals(1, number(summaries(owner.browser()).get(room), "mention_count"));

    store(entry(owner.subject(), room, "n6", "delete", null, idOf(said.get(0)), null, null));
    assertEquals(1, number(summaries(guest.browser()).get(room), "mention_count"), "deleted");
    assertEquals(
        204, guest.browser().postJson("/session/rooms/" + room + "/read?seq=6").statusCode());
    Map<String, Object> readView = summaries(guest.browser()).get(room);
    assertEquals(0, number(readView, "mention_count"), "read");
    assertEquals(
        6, number(readView, "last_seq"), "the room's newest seq: the sidebar follows from it");
    assertEquals(6, number(readView, "read_seq"), "the read marker");

    // The page's history: messages of the room only, in their current state.
    long n2 = idOf(said.get(1));
    store(
        entry(guest.subject(), room, "n7", "message", "a **reply**", null, n2, null),
        entry(guest.subject(), room, "n8", "react", null, n2, null, "\ud83c\udf89"),
        entry(owner.subject(), room, "n9", "edit", "@room look _here_", n2, null, null));
    assertEquals(0, number(summaries(guest.browser()).get(room), "unread"), "an edit is no news");
    HttpResponse<String> history =
        owner.browser().get("/session/rooms/" + room + "/messages?before=100");
    assertEquals(200, history.statusCode(), history.body());
    List<Object> shown = JSONArrayUtils.parse(history.body());
    assertEquals(
        List.of(1L, 2L, 3L, 4L, 5L),
        shown.stream().map(m -> ((Number) ((Map<?, ?>) m).get("seq")).longValue()).toList(),
        "top-level messages only");
    Map<?, ?> tomb = (Map<?, ?>) shown.get(0);
    assertEquals(true, tomb.get("deleted"));
    assertEquals(null, tomb.get("body"));
    Map<?, ?> edited = (Map<?, ?>) shown.get(1);
    assertEquals("<p>@room look <em>here</em></p>", edited.get("html"));
    assertTrue(edited.get("edited_at") != null);
    assertEquals(1L, ((Number) edited.get("reply_count")).longValue());
    assertEquals(9L, ((Number) edited.get("state_seq")).longValue(), "as of the read");
    assertEquals(List.of(guest.subject()), edited.get("repliers"));
    assertEquals(
        List.of(Map.of("emoji", "\ud83c\udf89", "users", List.of(guest.subject()))),
        edited.get("reactions"));
    assertEquals("Olga Owner", edited.get("sender_name"));

    HttpResponse<String> thread = owner.browser().get("/session/rooms/" + room + "/threads/" + n2);
    assertEquals(200, thread.statusCode(), thread.body());
    Map<String, Object> threadJson = JSONObjectUtils.parse(thread.body());
    assertEquals(n2, ((Number) ((Map<?, ?>) threadJson.get("parent")).get("id")).longValue());
    List<Object> threadReplies = JSONObjectUtils.getJSONArray(threadJson, "replies");
    assertEquals(1, threadReplies.size());
    assertEquals("<p>a <strong>reply</strong></p>", ((Map<?, ?>) threadReplies.get(0)).get("html"));
    assertEquals(9L, number(threadJson, "last_seq"));
    Person stranger = signedIn("str", "Stan Stranger");
    assertEquals(
        404, stranger.browser().get("/session/rooms/" + room + "/threads/" + n2).statusCode());

    // The server-rendered page lists the same messages, and no reply.
    HttpResponse<String> page = owner.browser().get("/room.xhtml?id=" + room);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("data-last-seq=\"9\""), "live from the room's last seq");
    assertTrue(!page.body().contains("a **reply**"), "replies are in their thread");
  }

  // ---- files (issue 19): upload, attach with a message, download, refusals

  /** A zip of incompressible bytes: an allowed type, larger than one stored chunk. */
  private static byte[] zipOf(int bytes) throws IOException {
    byte[] content = new byte[bytes];
    new java.util.Random(bytes).nextBytes(content);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
      zip.setLevel(0);
      zip.putNextEntry(new java.util.zip.ZipEntry("random.bin"));
      zip.write(content);
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  private static HttpResponse<String> upload(Person person, long room, String name, byte[] bytes)
      throws Exception {
    return person
        .browser()
        .postBytes(
            "/session/files?room="
                + room
                + "&name="
                + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8),
            bytes,
            false);
  }

  private static Map<String, Object> uploaded(Person person, long room, String name, byte[] bytes)
      throws Exception {
    HttpResponse<String> answer = upload(person, room, name, bytes);
    assertEquals(201, answer.statusCode(), name + ": " + answer.body());
    return JSONObjectUtils.parse(answer.body());
  }

  private static String codeOf(HttpResponse<String> answer) throws Exception {
    return (String) JSONObjectUtils.parse(answer.body()).get("code");
  }

  private static String withFiles(String entry, String... files) throws Exception {
    Map<String, Object> fields = JSONObjectUtils.parse(entry);
    fields.put("files", List.of(files));
    return JSONObjectUtils.toJSONString(fields);
  }

  private static long fileRows(String id) throws Exception {
    return count("SELECT count(*) FROM chat.file WHERE id = '" + id + "'")
        + count("SELECT count(*) FROM chat.file_chunk WHERE file_id = '" + id + "'");
  }

  @Test
  void aFileIsUploadedAttachedToItsMessageDownloadedByMembersOnlyAndDeletedWithIt()
      throws Exception {
    Person ana = signedIn("fil", "Ana Files");
    Person bob = signedIn("fib", "Bob Files");
    Person eve = signedIn("fie", "Eve Outside");
    long room = ana.browser().createRoom("files-" + UUID.randomUUID(), true);
    assertEquals(room, roomIn(invite(ana.browser(), room, bob.username())));

    byte[] zip = zipOf(700_000); // three stored chunks
    Map<String, Object> file = uploaded(ana, room, "../../etc/report.zip", zip);
    String id = (String) file.get("id");
    assertEquals("report.zip", file.get("name"), "the path is gone from the name");
    assertEquals((long) zip.length, ((Number) file.get("size")).longValue());
    assertEquals("application/zip", file.get("type"));
    assertFalse(file.containsKey("width"), "no image, no size");

    // Pending: only its uploader sees it.
    String path = "/files/" + id + "/report.zip";
    assertEquals(200, ana.browser().getBytes(path).statusCode());
    assertEquals(
        404, bob.browser().getBytes(path).statusCode(), "pending files are the uploader's");

    // Someone else cannot attach it; the rest of that batch is stored all the same.
    List<Map<String, Object>> stolen =
        store(
            withFiles(
                entry(bob.subject(), room, "steal", "message", "mine now", null, null, null), id),
            entry(bob.subject(), room, "plain", "message", "hello", null, null, null));
    assertEquals(List.of("404 file_unavailable", "201 stored"), answers(stolen));

    // Its uploader attaches it with a message of files only; a resend is the same message.
    String send =
        withFiles(entry(ana.subject(), room, "with-file", "message", null, null, null, null), id);
    List<Map<String, Object>> sent = store(send);
    assertEquals(List.of("201 stored"), answers(sent));
    Map<String, Object> message = entryOf(sent.get(0));
    assertEquals("", message.get("body"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> carried = (List<Map<String, Object>>) message.get("files");
    assertEquals(id, carried.get(0).get("id"));
    assertEquals("report.zip", carried.get(0).get("name"));
    List<Map<String, Object>> again = store(send);
    assertEquals(List.of("200 already_stored"), answers(again));
    assertEquals(idOf(sent.get(0)), idOf(again.get(0)));
    assertEquals(
        1, count("SELECT count(*) FROM chat.file WHERE message_id = " + idOf(sent.get(0))));
    // A second message cannot take the same file.
    assertEquals(
        List.of("404 file_unavailable"),
        answers(
            store(
                withFiles(
                    entry(ana.subject(), room, "twice", "message", "again", null, null, null),
                    id))));

    // Members download it byte for byte, with headers that keep the browser from running it.
    HttpResponse<byte[]> download = bob.browser().getBytes(path);
    assertEquals(200, download.statusCode());
    assertTrue(java.util.Arrays.equals(zip, download.body()), "byte-exact");
    assertEquals("application/zip", download.headers().firstValue("Content-Type").orElse(""));
    assertEquals("nosniff", download.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals(
        "attachment; filename*=UTF-8''report.zip",
        download.headers().firstValue("Content-Disposition").orElse(""));
    assertTrue(
        download.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox"));
    assertEquals(
        "private, max-age=31536000, immutable",
        download.headers().firstValue("Cache-Control").orElse(""));
    assertEquals(404, eve.browser().getBytes(path).statusCode(), "no member, no file");
    assertEquals(404, eve.browser().getBytes("/files/" + UUID.randomUUID() + "/x").statusCode());
    assertEquals(404, bob.browser().getBytes("/files/thumbnails/" + id).statusCode(), "no image");
    assertEquals(404, bob.browser().getBytes("/files/../WEB-INF/web.xml").statusCode());

    // The history and the search show it.
    HttpResponse<String> history =
        bob.browser().get("/session/rooms/" + room + "/messages?before=1000");
    assertTrue(history.body().contains("\"id\":\"" + id + "\""), history.body());
    List<Long> found = foundIds(bob, "has:file");
    assertTrue(found.contains(idOf(sent.get(0))), found.toString());
    assertFalse(found.contains(idOf(stolen.get(1))), "a message without files is not found");

    // Deleting the message deletes the file, its bytes included.
    assertTrue(fileRows(id) > 1);
    assertEquals(
        List.of("201 stored"),
        answers(
            store(
                entry(ana.subject(), room, "del", "delete", null, idOf(sent.get(0)), null, null))));
    assertEquals(0, fileRows(id));
    assertEquals(404, bob.browser().getBytes(path).statusCode());
    assertFalse(foundIds(bob, "has:file").contains(idOf(sent.get(0))));
  }

  @Test
  void uploadsAreRefusedOverTheLimitsForStrangersAndWhenTheyLieAboutBeingImages() throws Exception {
    Person ana = signedIn("lim", "Ana Limits");
    Person eve = signedIn("lie", "Eve Outside");
    long room = ana.browser().createRoom("limits-" + UUID.randomUUID(), true);
    byte[] text = "just some text\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertEquals(403, upload(eve, room, "notes.txt", text).statusCode(), "not a member");
    HttpResponse<String> unmarked =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(serverRoot() + "/session/files?room=" + room + "&name=a.txt"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(text))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(
        unmarked.statusCode() == 401 || unmarked.statusCode() == 403, "no session, no marker");
    assertEquals("empty_file", codeOf(upload(ana, room, "empty.txt", new byte[0])));
    assertEquals("invalid_name", codeOf(upload(ana, room, "../..", text)));

    // Fake images: text named .png, a PNG signature on garbage.
    HttpResponse<String> fake = upload(ana, room, "photo.png", text);
    assertEquals(415, fake.statusCode(), fake.body());
    assertEquals("type_not_allowed", codeOf(fake));
    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);
    System.arraycopy(
        new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, garbage, 0, 8);
    assertEquals(415, upload(ana, room, "broken.png", garbage).statusCode());
    assertEquals(
        415,
        upload(ana, room, "program.exe", new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4})
            .statusCode());

    // HTML and SVG with script: shared as text, served as downloads of octet-stream.
    for (String name : List.of("page.html", "drawing.svg")) {
      String markup =
          name.endsWith(".svg")
              ? "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
              : "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
      Map<String, Object> file =
          uploaded(ana, room, name, markup.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      HttpResponse<byte[]> served = ana.browser().getBytes("/files/" + file.get("id") + "/" + name);
      assertEquals(200, served.statusCode());
      assertEquals(
          "application/octet-stream", served.headers().firstValue("Content-Type").orElse(""), name);
      assertTrue(
          served.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment;"),
          name);
      assertEquals("nosniff", served.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    // A photo with its GPS position: its thumbnail is re-encoded without EXIF.
    byte[] photo =
        teamchat.chatfront.files.control.ThumbnailsTest.withExifGps(
            teamchat.chatfront.files.control.ThumbnailsTest.jpeg(1200, 900));
    Map<String, Object> image = uploaded(ana, room, "holiday.jpg", photo);
    assertEquals("image/jpeg", image.get("type"));
    assertEquals(1200L, ((Number) image.get("width")).longValue());
    HttpResponse<byte[]> thumb = ana.browser().getBytes("/files/thumbnails/" + image.get("id"));
    assertEquals(200, thumb.statusCode());
    assertEquals("image/jpeg", thumb.headers().firstValue("Content-Type").orElse(""));
    assertTrue(thumb.headers().firstValue("Content-Disposition").orElse("").startsWith("inline"));
    assertFalse(
        teamchat.chatfront.files.control.ThumbnailsTest.contains(
            thumb.body(), "Exif".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    assertEquals(
        480, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(thumb.body())).getWidth());

    // Over the file limit (1 MB in this test): refused from Content-Length, and while streaming.
    byte[] large = zipOf(1_100_000);
    HttpResponse<String> declared = upload(ana, room, "large.zip", large);
    assertEquals(413, declared.statusCode(), declared.body());
    assertEquals("file_too_large", codeOf(declared));
    HttpResponse<String> streamed =
        ana.browser().postBytes("/session/files?room=" + room + "&name=large.zip", large, true);
    assertEquals(413, streamed.statusCode(), streamed.body());
    assertEquals(
        0, count("SELECT count(*) FROM chat.file WHERE name = 'large.zip'"), "rolled back");

    // The daily limit (3 MB in this test) counts what was stored.
    byte[] part = zipOf(900_000);
    int stored = 0;
    HttpResponse<String> answer;
    do {
      answer = upload(ana, room, "part.zip", part);
      stored += answer.statusCode() == 201 ? 1 : 0;
    } while (answer.statusCode() == 201 && stored < 10);
    assertEquals(429, answer.statusCode(), answer.body());
    assertEquals("daily_limit", codeOf(answer));
    assertEquals(3, stored, "3 MB less what this person shared before");
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

  // ---- the public API, /api/v1, with personal access tokens (issue 20, docs/api.md)

  @Test
  void thePublicApiTakesPersonalTokensOnlyEnforcesScopesAndHidesOtherPeoplesRooms()
      throws Exception {
    String adaName = "ada" + unique();
    String ada = person(adaName);
    String bobName = "bob" + unique();
    String bob = person(bobName);
    String adaWrites = authority.personalToken(ada, adaName, "read", "write");
    String adaReads = authority.personalToken(ada, adaName, "read");
    String bobReads = authority.personalToken(bob, bobName, "read");

    HttpResponse<String> anonymous = v1("GET", "rooms", null, null, null);
    assertProblem(401, "token_missing", anonymous);
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertProblem(401, "token_invalid", v1("GET", "rooms", null, "tcp_" + "x".repeat(43), null));
    assertProblem(401, "token_invalid", v1("GET", "rooms", null, "garbage", null));
    assertProblem(
        401,
        "token_invalid",
        v1("GET", "rooms", null, authority.userToken(ada, adaName), null),
        "a web session's access token is no personal token");
    assertProblem(
        401, "token_invalid", v1Raw("GET", "rooms", null, "Basic " + adaWrites, null), "Basic");

    String roomJson = "{\"name\":\"api-" + unique() + "\",\"visibility\":\"private\"}";
    assertProblem(403, "insufficient_scope", v1("POST", "rooms", roomJson, adaReads, null));
    HttpResponse<String> made = v1("POST", "rooms", roomJson, adaWrites, null);
    assertEquals(201, made.statusCode(), made.body());
    long room = ((Number) JSONObjectUtils.parse(made.body()).get("id")).longValue();
    assertTrue(
        made.headers()
            .firstValue("Location")
            .orElse("")
            .equals(base.getPath().replaceAll("/$", "") + "/api/v1/rooms/" + room),
        made.headers().map().toString());
    assertEquals("owner", JSONObjectUtils.parse(made.body()).get("role"), made.body());

    HttpResponse<String> mine = v1("GET", "rooms", null, adaReads, null);
    assertEquals(200, mine.statusCode(), mine.body());
    assertTrue(mine.body().contains("\"id\":" + room), mine.body());
    assertFalse(v1("GET", "rooms", null, bobReads, null).body().contains("\"id\":" + room));

    for (String path :
        List.of(
            "rooms/" + room + "/members",
            "rooms/" + room + "/messages?after=0",
            "rooms/999999999/members",
            "rooms/0/members")) {
      assertProblem(404, "room_not_found", v1("GET", path, null, bobReads, null), path);
    }
    assertProblem(
        403,
        "insufficient_scope",
        v1(
            "POST",
            "rooms/" + room + "/members",
            "{\"username\":\"" + bobName + "\"}",
            adaReads,
            null));
    assertProblem(
        404,
        "user_unknown",
        v1(
            "POST",
            "rooms/" + room + "/members",
            "{\"username\":\"nobody" + unique() + "\"}",
            adaWrites,
            null));
    assertEquals(
        204,
        v1(
                "POST",
                "rooms/" + room + "/members",
                "{\"username\":\"" + bobName + "\"}",
                adaWrites,
                null)
            .statusCode());
    HttpResponse<String> members = v1("GET", "rooms/" + room + "/members", null, bobReads, null);
    assertEquals(200, members.statusCode(), members.body());
    assertTrue(
        members.body().contains(adaName) && members.body().contains(bobName), members.body());
    assertProblem(
        403,
        "not_an_owner",
        v1(
            "POST",
            "rooms/" + room + "/members",
            "{\"username\":\"" + adaName + "\"}",
            authority.personalToken(bob, bobName, "read", "write"),
            null),
        "only an owner invites to a private room, as in the web app");

    HttpResponse<String> people =
        v1("GET", "people?q=" + bobName.substring(0, 6), null, adaReads, null);
    assertEquals(200, people.statusCode(), people.body());
    assertTrue(people.body().contains(bobName), people.body());
    assertEquals(400, v1("GET", "people", null, adaReads, null).statusCode());
    assertEquals(400, v1("GET", "people?q=" + "a".repeat(65), null, adaReads, null).statusCode());

    assertEquals(404, v1("GET", "nothing-here", null, adaReads, null).statusCode());
    assertEquals(
        404,
        v1Raw("GET", "users/" + ada + "/rooms", null, "Bearer " + chatserv.assertion(), null)
            .statusCode(),
        "chatserv's internal API is not under /api/v1");

    // chatfront asked auth with its own assertion: ES256, iss chatfront, aud auth, its key.
    List<String> callers = authority.introspectionCallers();
    assertFalse(callers.isEmpty());
    SignedJWT assertion = SignedJWT.parse(callers.get(callers.size() - 1));
    assertEquals("service-assertion+jwt", assertion.getHeader().getType().toString());
    assertEquals("chatfront", assertion.getJWTClaimsSet().getIssuer());
    assertEquals(List.of("auth"), assertion.getJWTClaimsSet().getAudience());
    assertTrue(
        assertion.verify(
            new ECDSAVerifier(
                teamchat.contract.tokens.PemKeys.publicKeys(chatfrontKey.publicKeyFile()).get(0))));
  }

  /** The position of the newest notice of the outside-stores feed (read to its end). */
  private long lastOutsideStore() throws Exception {
    String service = chatserv.assertion();
    long last = 0;
    for (Map<String, Object> page = json(api("messages/outside?after=0", service));
        !((List<?>) page.get("stores")).isEmpty();
        page = json(api("messages/outside?after=" + last, service))) {
      last = ((Number) page.get("last")).longValue();
    }
    return last;
  }

  /** The notices of an answer of the outside-stores feed, each as [room, seq]. */
  private static List<List<Long>> notices(Map<String, Object> answer) {
    return ((List<?>) answer.get("stores"))
        .stream()
            .map(each -> (Map<?, ?>) each)
            .map(
                notice ->
                    List.of(
                        ((Number) notice.get("room")).longValue(),
                        ((Number) notice.get("seq")).longValue()))
            .toList();
  }

  /**
   * chatserv's feed of entries stored outside chatserv (issue 20): an API post leaves a notice
   * "room R has entries up to seq N" that a waiting request gets at once, one per room (the
   * newest), after a cursor, at most 1,000 per answer; chatserv's own batches leave none. Only
   * chatserv may read it.
   */
  @Test
  void anApiPostIsAnnouncedOnTheOutsideStoresFeedAndChatservsOwnStoresAreNot() throws Exception {
    String service = chatserv.assertion();
    assertEquals(401, api("messages/outside", null).statusCode());
    assertEquals(
        403, api("messages/outside", authority.userToken("someone", "someone")).statusCode());
    assertEquals(400, api("messages/outside?after=-1", service).statusCode());

    String name = "liv" + unique();
    String liv = person(name);
    String token = authority.personalToken(liv, name, "read", "write");
    long room = createdRoom(token);
    String path = "rooms/" + room + "/messages";
    long last = lastOutsideStore();

    // A reader beyond the feed's end (a database restored from a backup) is moved back, at once.
    Map<String, Object> beyond =
        json(api("messages/outside?after=" + (last + 1_000_000) + "&wait_ms=5000", service));
    assertEquals(List.of(), beyond.get("stores"));
    assertEquals(last, ((Number) beyond.get("last")).longValue());

    // Nothing new: the answer comes after the wait, with nothing.
    long started = System.nanoTime();
    Map<String, Object> none =
        json(api("messages/outside?after=" + last + "&wait_ms=400", service));
    assertTrue((System.nanoTime() - started) / 1_000_000 >= 350, "answered before the wait");
    assertEquals(List.of(), none.get("stores"));
    assertEquals(last, ((Number) none.get("last")).longValue());

    // A waiting request is answered as soon as a post is stored.
    long after = last;
    var pool = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> waiting =
          pool.submit(() -> api("messages/outside?after=" + after + "&wait_ms=20000", service));
      Thread.sleep(500);
      long posted = System.nanoTime();
      HttpResponse<String> first = v1("POST", path, "{\"text\":\"build green\"}", token, "o-1");
      assertEquals(201, first.statusCode(), first.body());
      long seq = ((Number) JSONObjectUtils.parse(first.body()).get("seq")).longValue();
      Map<String, Object> heard = json(waiting.get(10, TimeUnit.SECONDS));
      long millis = (System.nanoTime() - posted) / 1_000_000;
      assertTrue(millis < 2000, "the notice came " + millis + " ms after the post");
      assertEquals(List.of(List.of(room, seq)), notices(heard), heard.toString());
      last = ((Number) heard.get("last")).longValue();
    } finally {
      pool.shutdownNow();
    }

    // A resend stores nothing and announces nothing; two posts leave one notice, the newer seq.
    assertEquals(200, v1("POST", path, "{\"text\":\"build green\"}", token, "o-1").statusCode());
    assertEquals(List.of(), json(api("messages/outside?after=" + last, service)).get("stores"));
    v1("POST", path, "{\"text\":\"deploy started\"}", token, "o-2");
    HttpResponse<String> third = v1("POST", path, "{\"text\":\"deploy done\"}", token, "o-3");
    long thirdSeq = ((Number) JSONObjectUtils.parse(third.body()).get("seq")).longValue();
    Map<String, Object> coalesced = json(api("messages/outside?after=" + last, service));
    assertEquals(List.of(List.of(room, thirdSeq)), notices(coalesced), coalesced.toString());
    last = ((Number) coalesced.get("last")).longValue();
    assertEquals(List.of(), json(api("messages/outside?after=" + last, service)).get("stores"));

    // chatserv's own batch: no notice (chatserv delivers it itself; no write more on its path).
    Seeded seeded = seedRoom();
    outcomes(storeBatch(batch(List.of(message(seeded.member(), seeded.room(), "s-1", "hi")))));
    assertEquals(List.of(), json(api("messages/outside?after=" + last, service)).get("stores"));

    // At most 1,000 notices per answer, in position order; the rest after the last one.
    String bound = "bound-" + unique();
    execute(
        "WITH made AS (INSERT INTO chat.room (name, visibility)"
            + " SELECT '"
            + bound
            + "-' || g, 'private' FROM generate_series(1, 1001) g RETURNING id)"
            + " INSERT INTO chat.outside_store (room_id, seq) SELECT id, 1 FROM made ORDER BY id");
    Map<String, Object> bounded = json(api("messages/outside?after=" + last, service));
    List<?> page = (List<?>) bounded.get("stores");
    assertEquals(1000, page.size());
    long previous = last;
    for (Object each : page) {
      long position = ((Number) ((Map<?, ?>) each).get("position")).longValue();
      assertTrue(position > previous, "in position order");
      previous = position;
    }
    assertEquals(previous, ((Number) bounded.get("last")).longValue());
    assertEquals(
        1,
        ((List<?>) json(api("messages/outside?after=" + previous, service)).get("stores")).size());
    execute("DELETE FROM chat.room WHERE name LIKE '" + bound + "-%'"); // their notices with them
  }

  // ---- bot accounts (issue 20, docs/api.md "Bot accounts")

  @Test
  void aBotTokenPostsAsTheBotOnlyInRoomsItWasInvitedToAndTheMemberListMarksIt() throws Exception {
    String ownerName = "ola" + unique();
    String owner = person(ownerName);
    String ownerToken = authority.personalToken(owner, ownerName, "read", "write");
    String botName = "deploybot" + unique();
    String bot = UUID.randomUUID().toString();
    String botToken = authority.botToken(bot, botName, "Deploy bot", owner, "read", "write");
    long room = createdRoom(ownerToken);
    long notInvited = createdRoom(ownerToken);

    // Its first call makes the bot a chat user, its owner's, so that it can be invited by name.
    HttpResponse<String> itsRooms = v1("GET", "rooms", null, botToken, null);
    assertEquals(200, itsRooms.statusCode(), itsRooms.body());
    assertFalse(itsRooms.body().contains("\"id\":" + room), "in no room yet");
    assertEquals(
        count("SELECT id FROM chat.chat_user WHERE subject = '" + owner + "'"),
        count("SELECT bot_owner_id FROM chat.chat_user WHERE subject = '" + bot + "'"));
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM chat.chat_user WHERE subject = '"
                + owner
                + "' AND bot_owner_id IS NULL"),
        "the owner is a person");

    String path = "rooms/" + room + "/messages";
    assertProblem(
        404,
        "room_not_found",
        v1("POST", path, "{\"text\":\"too early\"}", botToken, "b-0"),
        "not invited yet");
    assertEquals(
        204,
        v1(
                "POST",
                "rooms/" + room + "/members",
                "{\"username\":\"" + botName + "\"}",
                ownerToken,
                null)
            .statusCode());
    HttpResponse<String> posted =
        v1("POST", path, "{\"text\":\"Deployed **v1.4.2**\"}", botToken, "b-1");
    assertEquals(201, posted.statusCode(), posted.body());
    long id = ((Number) JSONObjectUtils.parse(posted.body()).get("id")).longValue();

    HttpResponse<String> history = v1("GET", path + "?after=0", null, ownerToken, null);
    assertEquals(200, history.statusCode(), history.body());
    @SuppressWarnings("unchecked")
    Map<String, Object> message =
        JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(history.body()), "messages").stream()
            .map(entry -> (Map<String, Object>) entry)
            .filter(entry -> ((Number) entry.get("id")).longValue() == id)
            .findFirst()
            .orElseThrow(() -> new AssertionError(history.body()));
    assertEquals(bot, message.get("sender"), "posted as the bot, not as its owner");
    assertEquals(200, v1("GET", path + "?after=0", null, botToken, null).statusCode());

    for (String elsewhere :
        List.of("rooms/" + notInvited + "/messages?after=0", "rooms/" + notInvited + "/members")) {
      assertProblem(
          404, "room_not_found", v1("GET", elsewhere, null, botToken, null), "as for people");
    }
    assertProblem(
        404,
        "room_not_found",
        v1("POST", "rooms/" + notInvited + "/messages", "{\"text\":\"x\"}", botToken, "b-2"),
        "a room it was not invited to, public or not");

    HttpResponse<String> members = v1("GET", "rooms/" + room + "/members", null, botToken, null);
    assertEquals(200, members.statusCode(), members.body());
    Map<String, Boolean> marked = new HashMap<>();
    for (Object member :
        JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(members.body()), "members")) {
      Map<?, ?> row = (Map<?, ?>) member;
      marked.put((String) row.get("username"), (Boolean) row.get("bot"));
    }
    assertEquals(Map.of(ownerName, false, botName, true), marked, members.body());
  }

  @Test
  void anApiPostIsStoredOncePerIdempotencyKeyAndPagesAreExact() throws Exception {
    String name = "cy" + unique();
    String cy = person(name);
    String token = authority.personalToken(cy, name, "read", "write");
    long room = createdRoom(token);
    String path = "rooms/" + room + "/messages";

    HttpResponse<String> first = v1("POST", path, "{\"text\":\"deploy *done*\"}", token, "k-1");
    assertEquals(201, first.statusCode(), first.body());
    HttpResponse<String> again = v1("POST", path, "{\"text\":\"deploy *done*\"}", token, "k-1");
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(
        JSONObjectUtils.parse(first.body()).get("id"),
        JSONObjectUtils.parse(again.body()).get("id"));
    assertEquals(
        JSONObjectUtils.parse(first.body()).get("seq"),
        JSONObjectUtils.parse(again.body()).get("seq"));
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM chat.message WHERE room_id = "
                + room
                + " AND client_msg_id = 'k-1'"),
        "stored once");
    assertProblem(
        409, "client_msg_id_reused", v1("POST", path, "{\"text\":\"other\"}", token, "k-1"));
    assertProblem(
        400, "idempotency_key_invalid", v1("POST", path, "{\"text\":\"x\"}", token, null));
    assertProblem(
        400, "idempotency_key_invalid", v1("POST", path, "{\"text\":\"x\"}", token, "a b"));
    assertEquals(422, v1("POST", path, "{\"text\":\"\"}", token, "k-empty").statusCode());
    assertEquals(
        422,
        v1("POST", path, "{\"text\":\"" + "a".repeat(4001) + "\"}", token, "k-long").statusCode());
    assertEquals(400, v1("POST", path, "{\"text\":", token, "k-broken").statusCode());
    assertEquals(
        403,
        v1("POST", path, "{\"text\":\"x\"}", authority.personalToken(cy, name, "read"), "k-ro")
            .statusCode());

    List<Long> posted = new ArrayList<>();
    posted.add(((Number) JSONObjectUtils.parse(first.body()).get("seq")).longValue());
    for (int i = 2; i <= 6; i++) {
      HttpResponse<String> next =
          v1("POST", path, "{\"text\":\"line " + i + "\"}", token, "k-" + i);
      assertEquals(201, next.statusCode(), next.body());
      posted.add(((Number) JSONObjectUtils.parse(next.body()).get("seq")).longValue());
    }
    for (int i = 1; i < posted.size(); i++) {
      assertEquals(posted.get(i - 1) + 1, posted.get(i), "gap-free seqs: " + posted);
    }
    long before = posted.get(0) - 1;
    assertEquals(
        posted.subList(0, 3),
        apiSeqs(v1("GET", path + "?after=" + before + "&limit=3", null, token, null)));
    assertEquals(
        posted.subList(3, 6),
        apiSeqs(v1("GET", path + "?after=" + posted.get(2), null, token, null)));
    assertEquals(
        posted.subList(3, 5),
        apiSeqs(v1("GET", path + "?before=" + posted.get(5) + "&limit=2", null, token, null)));
    HttpResponse<String> page =
        v1("GET", path + "?after=" + before + "&limit=1", null, token, null);
    assertTrue(page.body().contains("deploy *done*"), page.body());
    assertTrue(page.body().contains(cy), "sent as the token's holder: " + page.body());
    for (String query :
        List.of(
            "",
            "?after=1&before=3",
            "?after=0&limit=0",
            "?after=0&limit=201",
            "?after=-1",
            "?after=x")) {
      assertEquals(400, v1("GET", path + query, null, token, null).statusCode(), query);
    }
  }

  @Test
  void revokedTokensStopWithinTheCacheTimeRequestsAreLimitedAndAnAuthOutageIs503()
      throws Exception {
    String name = "dee" + unique();
    String dee = person(name);
    String token = authority.personalToken(dee, name, "read");
    assertEquals(200, v1("GET", "rooms", null, token, null).statusCode());
    authority.revokePersonalToken(token);
    long revoked = System.nanoTime();
    int status = 200;
    while (status == 200 && System.nanoTime() - revoked < TimeUnit.SECONDS.toNanos(6)) {
      Thread.sleep(200);
      status = v1("GET", "rooms", null, token, null).statusCode();
    }
    assertEquals(401, status, "refused once the 2 s the test remembers an answer have passed");

    String busy = authority.personalToken(person("eve" + unique()), "eve", "read");
    HttpResponse<String> last = null;
    int answered = 0;
    awaitRoomInTheRateWindow();
    for (int i = 0; i < 41; i++) {
      last = v1("GET", "rooms", null, busy, null);
      if (last.statusCode() == 200) {
        answered++;
      }
    }
    assertProblem(429, "too_many_requests", last);
    long retryAfter = Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    assertTrue(
        answered >= 39 && answered <= 40, "40 a minute (a window may end within): " + answered);

    String fresh = authority.personalToken(person("fay" + unique()), "fay", "read");
    authority.introspectionDown(true);
    try {
      HttpResponse<String> down = v1("GET", "rooms", null, fresh, null);
      assertProblem(503, "auth_unavailable", down);
      assertTrue(down.headers().firstValue("Retry-After").isPresent());
    } finally {
      authority.introspectionDown(false);
    }
    assertEquals(200, v1("GET", "rooms", null, fresh, null).statusCode());
  }

  // ---- incoming webhooks (issue 20)

  /** Every webhook secret this class was shown: none may be in the server's log. */
  private static final java.util.Set<String> webhookSecrets =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A webhook made by {@code token}'s holder for {@code room}: its URL's path on the server. */
  private String webhookOf(long room, String token, String name) throws Exception {
    HttpResponse<String> made =
        v1("POST", "rooms/" + room + "/webhooks", "{\"name\":\"" + name + "\"}", token, null);
    assertEquals(201, made.statusCode(), made.body());
    assertEquals("no-store", made.headers().firstValue("Cache-Control").orElse(""));
    String url = (String) JSONObjectUtils.parse(made.body()).get("url");
    Matcher secret = Pattern.compile("/api/v1/hooks/[0-9]+/(whk_[A-Za-z0-9_-]{43})$").matcher(url);
    assertTrue(secret.find(), url);
    webhookSecrets.add(secret.group(1));
    return url;
  }

  private HttpResponse<String> hookPost(String url, String body, String idempotencyKey)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(serverRoot() + url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyARoomsOwnerMakesListsAndRevokesItsWebhooks() throws Exception {
    String name = "wo" + unique();
    String owner = person(name);
    String token = authority.personalToken(owner, name, "read", "write");
    long room = createdRoom(token);
    String memberName = "wm" + unique();
    String member = person(memberName);
    String memberToken = authority.personalToken(member, memberName, "read", "write");
    assertEquals(
        204,
        v1(
                "POST",
                "rooms/" + room + "/members",
                "{\"username\":\"" + memberName + "\"}",
                token,
                null)
            .statusCode());
    String strangerName = "ws" + unique();
    String stranger = authority.personalToken(person(strangerName), strangerName, "read", "write");
    String path = "rooms/" + room + "/webhooks";

    assertProblem(403, "not_an_owner", v1("POST", path, "{\"name\":\"CI\"}", memberToken, null));
    assertProblem(403, "not_an_owner", v1("GET", path, null, memberToken, null));
    assertProblem(404, "room_not_found", v1("POST", path, "{\"name\":\"CI\"}", stranger, null));
    assertProblem(404, "room_not_found", v1("GET", path, null, stranger, null));
    assertEquals(
        403,
        v1("POST", path, "{\"name\":\"CI\"}", authority.personalToken(owner, name, "read"), null)
            .statusCode(),
        "making one needs write");
    assertProblem(400, "webhook_name_invalid", v1("POST", path, "{\"name\":\"\"}", token, null));
    assertProblem(
        400, "webhook_name_invalid", v1("POST", path, "{\"name\":\"a\\nb\"}", token, null));

    String url = webhookOf(room, token, "Deploys");
    HttpResponse<String> listed = v1("GET", path, null, token, null);
    assertEquals(200, listed.statusCode(), listed.body());
    assertTrue(listed.body().contains("\"name\":\"Deploys\""), listed.body());
    assertTrue(listed.body().contains("\"createdBy\":\"" + name + "\""), listed.body());
    assertFalse(listed.body().contains("whk_"), "the secret is shown once: " + listed.body());
    long id = Long.parseLong(url.replaceAll(".*/hooks/([0-9]+)/.*", "$1"));
    assertEquals(
        0,
        count(
            "SELECT count(*) FROM chat.incoming_webhook WHERE secret_sha256 = convert_to('"
                + url.substring(url.lastIndexOf('/') + 1)
                + "', 'UTF8')"),
        "only a hash kept");

    assertProblem(404, "room_not_found", v1("DELETE", path + "/" + id, null, stranger, null));
    assertProblem(403, "not_an_owner", v1("DELETE", path + "/" + id, null, memberToken, null));
    assertEquals(201, hookPost(url, "{\"text\":\"before\"}", null).statusCode());
    assertEquals(204, v1("DELETE", path + "/" + id, null, token, null).statusCode());
    assertEquals(204, v1("DELETE", path + "/" + id, null, token, null).statusCode(), "again");
    assertProblem(404, "webhook_unknown", hookPost(url, "{\"text\":\"after\"}", null), "revoked");
    HttpResponse<String> after = v1("GET", path, null, token, null);
    assertTrue(after.body().contains("\"revoked\":"), after.body());
    assertTrue(after.body().contains("\"lastUsed\":"), after.body());
  }

  @Test
  void aWebhookPostIsStoredOncePerKeyInTheRoomsSeqAndBadPostsAreRefused() throws Exception {
    String name = "wh" + unique();
    String owner = person(name);
    String token = authority.personalToken(owner, name, "read", "write");
    long room = createdRoom(token);
    String url = webhookOf(room, token, "CI");
    String id = url.replaceAll(".*/hooks/([0-9]+)/.*", "$1");

    HttpResponse<String> first = hookPost(url, "{\"text\":\"Deployed *v1*\"}", "run-7-1");
    assertEquals(201, first.statusCode(), first.body());
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> again = hookPost(url, "{\"text\":\"Deployed *v1*\"}", "run-7-1");
      assertEquals(200, again.statusCode(), again.body());
      assertEquals(
          JSONObjectUtils.parse(first.body()).get("seq"),
          JSONObjectUtils.parse(again.body()).get("seq"));
    }
    HttpResponse<String> other =
        hookPost(
            url,
            "{\"text\":\"second\",\"username\":\"GitHub\",\"icon\":\"https://example.com/a.png\"}",
            "run-7-2");
    assertEquals(201, other.statusCode(), other.body());
    assertEquals(
        ((Number) JSONObjectUtils.parse(first.body()).get("seq")).longValue() + 1,
        ((Number) JSONObjectUtils.parse(other.body()).get("seq")).longValue(),
        "next in the room's seq");
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM chat.message WHERE room_id = "
                + room
                + " AND client_msg_id = 'hook."
                + id
                + ".run-7-1'"),
        "stored once");
    HttpResponse<String> page = v1("GET", "rooms/" + room + "/messages?after=0", null, token, null);
    assertTrue(page.body().contains("Deployed *v1*"), page.body());
    // Shown under the webhook's name, or the username the payload gives, marked "via webhook".
    List<?> entries = (List<?>) JSONObjectUtils.parse(page.body()).get("messages");
    assertEquals(
        List.of("CI", "GitHub"),
        entries.stream().map(entry -> ((Map<?, ?>) entry).get("webhook")).toList(),
        page.body());
    // chatserv's entries never show as a webhook's, whatever they say.
    HttpResponse<String> forged =
        storeBatch(
            "{\"messages\":[{\"sender\":\""
                + owner
                + "\",\"room\":"
                + room
                + ",\"client_msg_id\":\"forged-1\",\"body\":\"hi\",\"webhook\":\"CI\"}]}");
    assertEquals(200, forged.statusCode(), forged.body());
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM chat.message WHERE room_id = "
                + room
                + " AND webhook_name IS NULL AND client_msg_id = 'forged-1'"),
        "stored, without the webhook's name");
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM chat.outside_store WHERE room_id = "
                + room
                + " AND seq = "
                + JSONObjectUtils.parse(other.body()).get("seq")),
        "announced to chatserv's feed of outside stores, so open chat screens show it");

    String wrong = url.substring(0, url.lastIndexOf('/') + 1) + "whk_" + "A".repeat(43);
    assertProblem(404, "webhook_unknown", hookPost(wrong, "{\"text\":\"x\"}", null), "wrong");
    String noSuch = url.replaceAll("/hooks/[0-9]+/", "/hooks/999999999/");
    HttpResponse<String> unknown = hookPost(noSuch, "{\"text\":\"x\"}", null);
    assertProblem(404, "webhook_unknown", unknown, "no such hook");
    assertEquals(
        JSONObjectUtils.parse(unknown.body()),
        JSONObjectUtils.parse(hookPost(wrong, "{\"text\":\"x\"}", null).body()),
        "the same answer");

    assertEquals(422, hookPost(url, "{\"text\":\"" + "a".repeat(4001) + "\"}", null).statusCode());
    assertEquals(422, hookPost(url, "{\"text\":\"bell\\u0007\"}", null).statusCode());
    assertEquals(422, hookPost(url, "{\"text\":\"\"}", null).statusCode());
    assertProblem(400, "text_missing", hookPost(url, "{}", null));
    assertEquals(400, hookPost(url, "{\"text\":", null).statusCode());
    assertEquals(400, hookPost(url, "not json", null).statusCode());
    assertProblem(
        400, "icon_invalid", hookPost(url, "{\"text\":\"x\",\"icon\":\"http://a.b/c\"}", null));
    assertProblem(
        400, "username_invalid", hookPost(url, "{\"text\":\"x\",\"username\":\"a\\nb\"}", null));
    assertProblem(400, "idempotency_key_invalid", hookPost(url, "{\"text\":\"x\"}", "a b"));

    // The rate limit of each webhook: 40 a window in this test's settings, its posts above
    // included.
    HttpResponse<String> last = null;
    for (int i = 0; i < 41; i++) {
      last = hookPost(url, "{\"text\":\"flood " + i + "\"}", null);
      if (last.statusCode() == 429) {
        break;
      }
    }
    assertProblem(429, "too_many_requests", last);
    long retryAfter = Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
  }

  /**
   * Room management through the public API (issue 20): one room, its topic, archive and unarchive,
   * removing someone and leaving; an owner's actions need the admin scope; an archived room refuses
   * entries on the API and on chatserv's batch path, and invitations, but its history stays
   * readable.
   */
  @Test
  void ownersManageRoomsWithTheAdminScopeAndAnArchivedRoomTakesNoEntries() throws Exception {
    String adaName = "ada" + unique();
    String ada = person(adaName);
    String bobName = "bob" + unique();
    String bob = person(bobName);
    String cyName = "cy" + unique();
    String cy = person(cyName);
    String adaAdmin = authority.personalToken(ada, adaName, "read", "write", "admin");
    String adaWrites = authority.personalToken(ada, adaName, "read", "write");
    String bobAdmin = authority.personalToken(bob, bobName, "read", "write", "admin");
    String cyAll = authority.personalToken(cy, cyName, "read", "write", "admin");
    HttpResponse<String> made =
        v1(
            "POST",
            "rooms",
            "{\"name\":\"admin-" + unique() + "\",\"visibility\":\"private\"}",
            adaWrites,
            null);
    long room = ((Number) JSONObjectUtils.parse(made.body()).get("id")).longValue();
    String path = "rooms/" + room;
    for (String invitee : List.of(bobName, cyName)) {
      assertEquals(
          204,
          v1("POST", path + "/members", "{\"username\":\"" + invitee + "\"}", adaWrites, null)
              .statusCode());
    }

    HttpResponse<String> one = v1("GET", path, null, adaWrites, null);
    assertEquals(200, one.statusCode(), one.body());
    assertEquals(false, JSONObjectUtils.parse(one.body()).get("archived"), one.body());
    assertProblem(401, "token_missing", v1("GET", path, null, null, null));
    assertProblem(
        404,
        "room_not_found",
        v1(
            "GET",
            path,
            null,
            authority.personalToken(person("dan" + unique()), "dan", "read"),
            null));
    assertProblem(404, "room_not_found", v1("GET", "rooms/999999999", null, adaWrites, null));

    // The topic: admin scope, an owner, bounded.
    String topic = "{\"topic\":\"Release train\"}";
    assertProblem(403, "insufficient_scope", v1("PUT", path + "/topic", topic, adaWrites, null));
    assertProblem(403, "not_an_owner", v1("PUT", path + "/topic", topic, bobAdmin, null));
    assertProblem(
        400,
        "room_topic_invalid",
        v1("PUT", path + "/topic", "{\"topic\":\"" + "t".repeat(257) + "\"}", adaAdmin, null));
    assertEquals(400, v1("PUT", path + "/topic", "{\"topic\":", adaAdmin, null).statusCode());
    HttpResponse<String> changed = v1("PUT", path + "/topic", topic, adaAdmin, null);
    assertEquals(200, changed.statusCode(), changed.body());
    assertEquals("Release train", JSONObjectUtils.parse(changed.body()).get("topic"));

    // Archive: posts refused (API and chatserv's batch), invitations refused, history readable;
    // a resend of a message stored before still gets its original.
    HttpResponse<String> before =
        v1("POST", path + "/messages", "{\"text\":\"last words\"}", bobAdmin, "b-1");
    assertEquals(201, before.statusCode(), before.body());
    assertProblem(403, "insufficient_scope", v1("PUT", path + "/archive", null, adaWrites, null));
    assertProblem(403, "not_an_owner", v1("PUT", path + "/archive", null, bobAdmin, null));
    HttpResponse<String> archived = v1("PUT", path + "/archive", null, adaAdmin, null);
    assertEquals(200, archived.statusCode(), archived.body());
    assertEquals(true, JSONObjectUtils.parse(archived.body()).get("archived"), archived.body());
    assertEquals(200, v1("PUT", path + "/archive", null, adaAdmin, null).statusCode(), "twice");
    long lastSeq = count("SELECT last_seq FROM chat.room WHERE id = " + room);
    assertProblem(
        403,
        "room_archived",
        v1("POST", path + "/messages", "{\"text\":\"too late\"}", bobAdmin, "b-2"));
    assertEquals(
        200,
        v1("POST", path + "/messages", "{\"text\":\"last words\"}", bobAdmin, "b-1").statusCode(),
        "a resend of what was stored before the archive");
    Map<String, Object> socketOutcome =
        outcomes(storeBatch(batch(List.of(message(bob, room, "s-arch", "over the socket")))))
            .get(0);
    assertEquals(403, ((Number) socketOutcome.get("status")).intValue(), socketOutcome.toString());
    assertEquals("room_archived", socketOutcome.get("code"), socketOutcome.toString());
    long messageId = ((Number) JSONObjectUtils.parse(before.body()).get("id")).longValue();
    assertProblem(
        403,
        "room_archived",
        v1("PUT", path + "/messages/" + messageId + "/reactions/:tada:", null, adaAdmin, "a-r"),
        "a reaction is an entry too");
    assertEquals(
        lastSeq, count("SELECT last_seq FROM chat.room WHERE id = " + room), "no seq used");
    String eveName = "eve" + unique();
    person(eveName);
    assertProblem(
        403,
        "room_archived",
        v1("POST", path + "/members", "{\"username\":\"" + eveName + "\"}", adaWrites, null));
    assertProblem(403, "room_archived", v1("PUT", path + "/topic", topic, adaAdmin, null));
    HttpResponse<String> history = v1("GET", path + "/messages?after=0", null, bobAdmin, null);
    assertEquals(200, history.statusCode(), history.body());
    assertTrue(history.body().contains("last words"), history.body());

    HttpResponse<String> unarchived = v1("DELETE", path + "/archive", null, adaAdmin, null);
    assertEquals(200, unarchived.statusCode(), unarchived.body());
    assertEquals(false, JSONObjectUtils.parse(unarchived.body()).get("archived"));
    assertEquals(
        201, v1("POST", path + "/messages", "{\"text\":\"back\"}", bobAdmin, "b-3").statusCode());

    // Remove: an owner, admin scope; recorded as removed for chatserv's feed.
    assertProblem(
        403,
        "insufficient_scope",
        v1("DELETE", path + "/members/" + bobName, null, adaWrites, null));
    assertProblem(
        403, "not_an_owner", v1("DELETE", path + "/members/" + adaName, null, bobAdmin, null));
    assertProblem(
        409, "remove_self", v1("DELETE", path + "/members/" + adaName, null, adaAdmin, null));
    assertProblem(
        404,
        "user_unknown",
        v1("DELETE", path + "/members/nobody" + unique(), null, adaAdmin, null));
    assertEquals(
        204, v1("DELETE", path + "/members/" + bobName, null, adaAdmin, null).statusCode());
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM chat.membership_change WHERE room_id = "
                + room
                + " AND subject = '"
                + bob
                + "' AND kind = 'removed'"));
    assertProblem(404, "room_not_found", v1("GET", path, null, bobAdmin, null));
    assertProblem(
        404, "not_a_member", v1("DELETE", path + "/members/" + bobName, null, adaAdmin, null));

    // Leave: oneself, write scope; recorded as left.
    assertProblem(
        403,
        "insufficient_scope",
        v1("POST", path + "/leave", null, authority.personalToken(cy, cyName, "read"), null));
    assertEquals(204, v1("POST", path + "/leave", null, cyAll, null).statusCode());
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM chat.membership_change WHERE room_id = "
                + room
                + " AND subject = '"
                + cy
                + "' AND kind = 'left'"));
    assertProblem(404, "room_not_found", v1("POST", path + "/leave", null, cyAll, null));
  }

  /**
   * Edits, deletes and reactions through the public API are entries of the room's stream stored by
   * the socket's rules: only the author edits, the author or an owner deletes, reactions are
   * bounded; each is idempotent by its key.
   */
  @Test
  void editsDeletesAndReactionsThroughTheApiKeepTheSocketsRules() throws Exception {
    String adaName = "ada" + unique();
    String ada = person(adaName);
    String bobName = "bob" + unique();
    String bob = person(bobName);
    String adaToken = authority.personalToken(ada, adaName, "read", "write");
    String bobToken = authority.personalToken(bob, bobName, "read", "write");
    String bobReads = authority.personalToken(bob, bobName, "read");
    long room = createdRoom(adaToken);
    String path = "rooms/" + room + "/messages";
    v1("POST", "rooms/" + room + "/members", "{\"username\":\"" + bobName + "\"}", adaToken, null);
    HttpResponse<String> posted = v1("POST", path, "{\"text\":\"first draft\"}", adaToken, "m-1");
    long id = ((Number) JSONObjectUtils.parse(posted.body()).get("id")).longValue();
    String message = path + "/" + id;

    String edit = "{\"text\":\"final **text**\"}";
    assertProblem(403, "insufficient_scope", v1("PUT", message, edit, bobReads, "e-0"));
    assertProblem(403, "not_the_author", v1("PUT", message, edit, bobToken, "e-1"));
    assertProblem(400, "idempotency_key_invalid", v1("PUT", message, edit, adaToken, null));
    assertEquals(422, v1("PUT", message, "{\"text\":\"\"}", adaToken, "e-empty").statusCode());
    HttpResponse<String> edited = v1("PUT", message, edit, adaToken, "e-2");
    assertEquals(201, edited.statusCode(), edited.body());
    assertEquals(200, v1("PUT", message, edit, adaToken, "e-2").statusCode(), "a resend");
    assertProblem(404, "no_such_message", v1("PUT", path + "/999999999", edit, adaToken, "e-3"));
    HttpResponse<String> page = v1("GET", path + "?after=0", null, bobToken, null);
    assertTrue(page.body().contains("<strong>text</strong>"), page.body());

    String thumbs =
        path + "/" + id + "/reactions/" + URLEncoder.encode("👍", StandardCharsets.UTF_8);
    assertEquals(201, v1("PUT", thumbs, null, bobToken, "r-1").statusCode());
    assertEquals(200, v1("PUT", thumbs, null, bobToken, "r-1").statusCode(), "a resend");
    assertEquals(
        1, count("SELECT count(*) FROM chat.reaction WHERE message_id = " + id), "one reaction");
    assertProblem(
        422,
        "invalid_emoji",
        v1("PUT", path + "/" + id + "/reactions/nope", null, bobToken, "r-2"));
    for (int i = 1; i <= 19; i++) {
      assertEquals(
          201,
          v1("PUT", path + "/" + id + "/reactions/:e" + i + ":", null, bobToken, "r-e" + i)
              .statusCode());
    }
    assertProblem(
        422,
        "too_many_reactions",
        v1("PUT", path + "/" + id + "/reactions/:e20:", null, bobToken, "r-e20"),
        "a 21st different emoji");
    assertEquals(201, v1("DELETE", thumbs, null, bobToken, "u-1").statusCode());
    assertEquals(
        0,
        count("SELECT count(*) FROM chat.reaction WHERE message_id = " + id + " AND emoji = '👍'"));

    assertProblem(403, "not_allowed", v1("DELETE", message, null, bobToken, "d-1"));
    assertProblem(400, "idempotency_key_invalid", v1("DELETE", message, null, adaToken, null));
    assertEquals(201, v1("DELETE", message, null, adaToken, "d-2").statusCode());
    assertProblem(410, "message_deleted", v1("PUT", message, edit, adaToken, "e-4"));
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM chat.message WHERE id = " + id + " AND deleted_at IS NOT NULL"));
  }

  /**
   * A person's profile and the token's own holder; and the bound on unknown tokens: an address that
   * sent too many tokens that are no one's is answered 429 before any more are checked.
   */
  @Test
  void profilesAndMeAnswerAndUnknownTokensAreBoundedPerAddress() throws Exception {
    String adaName = "ada" + unique();
    String ada = person(adaName);
    String bobName = "bob" + unique();
    person(bobName);
    String token = authority.personalToken(ada, adaName, "read", "admin");
    HttpResponse<String> profile = v1("GET", "people/" + bobName, null, token, null);
    assertEquals(200, profile.statusCode(), profile.body());
    assertEquals(bobName, JSONObjectUtils.parse(profile.body()).get("username"));
    assertEquals(bobName, JSONObjectUtils.parse(profile.body()).get("display_name"));
    assertProblem(404, "user_unknown", v1("GET", "people/nobody" + unique(), null, token, null));
    assertProblem(401, "token_missing", v1("GET", "people/" + bobName, null, null, null));
    HttpResponse<String> me = v1("GET", "me", null, token, null);
    assertEquals(200, me.statusCode(), me.body());
    Map<String, Object> answer = JSONObjectUtils.parse(me.body());
    assertEquals(ada, answer.get("subject"));
    assertEquals(adaName, answer.get("username"));
    assertEquals(List.of("admin", "read"), answer.get("scopes"));

    // From one address (nginx's X-Forwarded-For, believed from loopback): 20 unknown tokens are
    // 401, then that address is refused before any token it sends is checked.
    String address = "203.0.113." + (1 + new java.util.Random().nextInt(250));
    awaitRoomInTheRateWindow();
    for (int i = 0; i < 20; i++) {
      assertProblem(
          401, "token_invalid", fromAddress(address, "Bearer " + randomToken()), "token " + i);
    }
    HttpResponse<String> bounded = fromAddress(address, "Bearer " + randomToken());
    assertProblem(429, "too_many_failed_tokens", bounded);
    long retryAfter = Long.parseLong(bounded.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    assertEquals(
        200,
        fromAddress("198.51.100.9", "Bearer " + token).statusCode(),
        "other addresses are not held up");
  }

  /** A well-formed personal token that is no one's: each costs an introspection. */
  private static String randomToken() {
    return "tcp_" + (unique() + unique() + unique() + unique() + unique()).substring(0, 43);
  }

  private HttpResponse<String> fromAddress(String address, String authorization) throws Exception {
    // From 127.0.0.1, as nginx's requests come (the other tests' from the machine's own address,
    // whose X-Forwarded-For is not believed).
    String throughNginx = base.getProtocol() + "://127.0.0.1:" + base.getPort();
    return http.send(
        HttpRequest.newBuilder(
                URI.create(throughNginx + base.getPath().replaceAll("/$", "") + "/api/v1/me"))
            .header("Authorization", authorization)
            .header("X-Forwarded-For", address)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The issue's scripted session, with requests built from the served document: create a room,
   * invite, post (the idempotency header as documented), read the history; every field answered is
   * a documented one.
   */
  // ---- slash commands (issue 20, docs/api.md "Slash commands"): a local receiver on 127.0.0.1,
  // which the test settings allow (chatfront.commands.allow-private-targets=127.0.0.1/32)

  /** A receiver of command calls: what it got, and its answers in turn (the last one repeats). */
  private static final class Receiver implements AutoCloseable {
    final com.sun.net.httpserver.HttpServer server;
    final List<Map<String, String>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    Receiver(int[] statuses, String answer) throws IOException {
      server =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/hook",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> call = new LinkedHashMap<>();
            call.put("body", body);
            call.put("signature", exchange.getRequestHeaders().getFirst("X-Chat-Signature"));
            call.put("path", exchange.getRequestURI().toString());
            calls.add(call);
            int status = statuses[Math.min(calls.size(), statuses.length) - 1];
            byte[] reply = (status == 200 ? answer : "oops").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook?team=ops";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** A room the token's holder owns, with a bot of theirs in it; returns the bot's username. */
  private static String botOf(String ownerSubject, long room) throws Exception {
    String bot = "bot" + unique();
    try (var db = TestDatabase.connect();
        var insert =
            db.prepareStatement(
                "INSERT INTO chat.chat_user (subject, username, display_name, bot_owner_id)"
                    + " SELECT ?, ?, ?, id FROM chat.chat_user WHERE subject = ?")) {
      insert.setString(1, UUID.randomUUID().toString());
      insert.setString(2, bot);
      insert.setString(3, "Deploy bot");
      insert.setString(4, ownerSubject);
      assertEquals(1, insert.executeUpdate());
    }
    execute(
        "INSERT INTO chat.membership (room_id, user_id, role) SELECT "
            + room
            + ", id, 'member' FROM chat.chat_user WHERE username = '"
            + bot
            + "'");
    return bot;
  }

  private static String hmac(String secret, String signed) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return java.util.HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }

  /** Waits (at most 30 s) until {@code sql} counts {@code expected}. */
  private static void awaitCount(long expected, String sql) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (count(sql) != expected && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(expected, count(sql), sql);
  }

  @Test
  void aSlashCommandIsPostedSignedRetriedAfterA500AndItsAnswerIsStoredOnceAsTheBot()
      throws Exception {
    String ownerName = "own" + unique();
    String owner = person(ownerName);
    String ownerToken = authority.personalToken(owner, ownerName, "read", "write");
    String memberName = "mem" + unique();
    String member = person(memberName);
    String memberToken = authority.personalToken(member, memberName, "read", "write");
    long room = createdRoom(ownerToken);
    assertEquals(
        204,
        v1(
                "POST",
                "rooms/" + room + "/members",
                "{\"username\":\"" + memberName + "\"}",
                ownerToken,
                null)
            .statusCode());
    String bot = botOf(owner, room);
    try (Receiver receiver =
        new Receiver(new int[] {500, 200}, "{\"text\":\"Deployed **prod** for you\"}")) {
      String command =
          "{\"name\":\"/deploy\",\"url\":\"" + receiver.url() + "\",\"bot\":\"" + bot + "\"}";
      assertProblem(
          403,
          "not_room_owner",
          v1("POST", "rooms/" + room + "/commands", command, memberToken, null),
          "a member who is no owner");
      HttpResponse<String> registered =
          v1("POST", "rooms/" + room + "/commands", command, ownerToken, null);
      assertEquals(201, registered.statusCode(), registered.body());
      Map<String, Object> made = JSONObjectUtils.parse(registered.body());
      String secret = (String) made.get("secret");
      assertTrue(secret.startsWith("cmdsec_"), registered.body());
      long commandId =
          ((Number) JSONObjectUtils.getJSONObject(made, "command").get("id")).longValue();
      assertProblem(
          409,
          "command_exists",
          v1("POST", "rooms/" + room + "/commands", command, ownerToken, null));

      long seq = 0;
      for (int send = 0; send < 2; send++) {
        HttpResponse<String> posted =
            v1(
                "POST",
                "rooms/" + room + "/messages",
                "{\"text\":\"/deploy  prod eu-1 \"}",
                memberToken,
                "deploy-1");
        assertEquals(send == 0 ? 201 : 200, posted.statusCode(), posted.body());
        seq = ((Number) JSONObjectUtils.parse(posted.body()).get("seq")).longValue();
      }
      String answers =
          "SELECT count(*) FROM chat.message m JOIN chat.chat_user u ON u.id = m.sender_id"
              + " WHERE m.room_id = "
              + room
              + " AND u.username = '"
              + bot
              + "'";
      awaitCount(1, answers);
      assertEquals(
          1,
          count(
              "SELECT count(*) FROM chat.message m JOIN chat.chat_user u ON u.id = m.sender_id"
                  + " WHERE m.room_id = "
                  + room
                  + " AND u.username = '"
                  + bot
                  + "' AND m.body = 'Deployed **prod** for you'"
                  + " AND m.html LIKE '%<strong>prod</strong>%'"));
      assertEquals(2, receiver.calls.size(), "a 500, then the answer: " + receiver.calls);
      for (Map<String, String> call : receiver.calls) {
        Matcher signature =
            Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})").matcher(call.get("signature"));
        assertTrue(signature.matches(), call.get("signature"));
        long time = Long.parseLong(signature.group(1));
        assertTrue(Math.abs(time - System.currentTimeMillis() / 1000) < 120, "a recent time");
        assertEquals(hmac(secret, signature.group(1) + "." + call.get("body")), signature.group(2));
        assertEquals("/hook?team=ops", call.get("path"));
        Map<String, Object> payload = JSONObjectUtils.parse(call.get("body"));
        assertEquals("/deploy", payload.get("command"));
        assertEquals("prod eu-1", payload.get("text"));
        assertEquals(
            room, ((Number) JSONObjectUtils.getJSONObject(payload, "room").get("id")).longValue());
        assertEquals(memberName, JSONObjectUtils.getJSONObject(payload, "user").get("username"));
        assertEquals(
            seq,
            ((Number) JSONObjectUtils.getJSONObject(payload, "message").get("seq")).longValue());
      }
      assertEquals(
          1,
          count(
              "SELECT count(*) FROM chat.command_call c WHERE c.command_id = "
                  + commandId
                  + " AND c.state = 'done' AND c.attempts = 2 AND c.answer_id IS NOT NULL"));
      // The 500 is in the owner's list (last_error), and the secret never is.
      HttpResponse<String> list = v1("GET", "rooms/" + room + "/commands", null, ownerToken, null);
      assertEquals(200, list.statusCode(), list.body());
      assertTrue(list.body().contains("answered 500"), list.body());
      assertFalse(list.body().contains(secret), list.body());
      assertProblem(
          403, "not_room_owner", v1("GET", "rooms/" + room + "/commands", null, memberToken, null));

      // The bot's answer calls nothing, and a revoked command is called no more.
      assertEquals(
          204,
          v1("DELETE", "rooms/" + room + "/commands/" + commandId, null, ownerToken, null)
              .statusCode());
      v1("POST", "rooms/" + room + "/messages", "{\"text\":\"/deploy again\"}", memberToken, "d-2");
      Thread.sleep(1500);
      assertEquals(2, receiver.calls.size());
    }
  }

  @Test
  void aPrivateTargetIsRefusedAtRegistrationAndAgainWhenCalled() throws Exception {
    String ownerName = "own" + unique();
    String owner = person(ownerName);
    String ownerToken = authority.personalToken(owner, ownerName, "read", "write");
    long room = createdRoom(ownerToken);
    String bot = botOf(owner, room);
    for (String url :
        new String[] {
          "https://169.254.169.254/latest/meta-data/",
          "http://10.0.0.1/hook",
          "https://192.168.1.10/hook",
          "https://127.0.0.2/hook",
          "https://[::1]/hook",
          "https://2130706433/hook",
          "https://0177.0.0.1/hook",
          "http://93.184.216.34/hook"
        }) {
      assertProblem(
          400,
          "url_refused",
          v1(
              "POST",
              "rooms/" + room + "/commands",
              "{\"name\":\"ping\",\"url\":\"" + url + "\",\"bot\":\"" + bot + "\"}",
              ownerToken,
              null),
          url);
    }
    String strangerName = "str" + unique();
    String stranger = person(strangerName);
    assertProblem(
        404,
        "room_not_found",
        v1(
            "GET",
            "rooms/" + room + "/commands",
            null,
            authority.personalToken(stranger, strangerName, "read"),
            null),
        "someone not in the room");
    String theirBot = botOf(stranger, room);
    try (Receiver receiver = new Receiver(new int[] {200}, "{\"text\":\"pong\"}")) {
      assertProblem(
          400,
          "bot_invalid",
          v1(
              "POST",
              "rooms/" + room + "/commands",
              "{\"name\":\"ping\",\"url\":\"" + receiver.url() + "\",\"bot\":\"" + theirBot + "\"}",
              ownerToken,
              null),
          "someone else's bot");
      HttpResponse<String> registered =
          v1(
              "POST",
              "rooms/" + room + "/commands",
              "{\"name\":\"ping\",\"url\":\"" + receiver.url() + "\",\"bot\":\"" + bot + "\"}",
              ownerToken,
              null);
      assertEquals(201, registered.statusCode(), registered.body());
      // Where the target points now is checked again at every call: a target that has moved to
      // a refused address (as a DNS name may) is not called.
      execute(
          "UPDATE chat.room_command SET target_url = 'http://127.0.0.2:"
              + receiver.server.getAddress().getPort()
              + "/hook' WHERE room_id = "
              + room);
      // Sent from a chat screen: chatserv's batch.
      assertEquals(
          List.of(201L),
          statuses(outcomes(storeBatch(batch(List.of(message(owner, room, "ping-1", "/ping")))))));
      awaitCount(
          1,
          "SELECT count(*) FROM chat.command_call c JOIN chat.room_command rc"
              + " ON rc.id = c.command_id WHERE rc.room_id = "
              + room
              + " AND c.state = 'failed' AND c.attempts = 1 AND c.last_error LIKE 'target refused%'");
      assertEquals(0, receiver.calls.size());
      assertEquals(
          0,
          count(
              "SELECT count(*) FROM chat.message m JOIN chat.chat_user u ON u.id = m.sender_id"
                  + " WHERE m.room_id = "
                  + room
                  + " AND u.username = '"
                  + bot
                  + "'"));
    }
  }

  @Test
  void aScriptedSessionBuiltFromTheOpenApiDocumentUsesThePublicApi() throws Exception {
    Map<String, Object> openapi = openApiDocument();
    Map<String, Object> schemas =
        JSONObjectUtils.getJSONObject(
            JSONObjectUtils.getJSONObject(openapi, "components"), "schemas");
    String name = "gus" + unique();
    String token = authority.personalToken(person(name), name, "read", "write", "admin");
    String colleague = "hal" + unique();
    person(colleague);

    Map<String, Object> newRoom = new LinkedHashMap<>();
    for (String field :
        JSONObjectUtils.getStringList(
            JSONObjectUtils.getJSONObject(schemas, "NewRoom"), "required")) {
      newRoom.put(field, field.equals("visibility") ? "private" : "scripted-" + unique());
    }
    HttpResponse<String> made =
        v1("POST", "rooms", JSONObjectUtils.toJSONString(newRoom), token, null);
    assertEquals(201, made.statusCode(), made.body());
    assertDocumented(schemas, "RoomSummary", JSONObjectUtils.parse(made.body()));
    long room = ((Number) JSONObjectUtils.parse(made.body()).get("id")).longValue();

    assertEquals(
        204,
        v1(
                "POST",
                "rooms/" + room + "/members",
                "{\"username\":\"" + colleague + "\"}",
                token,
                null)
            .statusCode());

    Map<String, Object> messagesPath =
        JSONObjectUtils.getJSONObject(
            JSONObjectUtils.getJSONObject(openapi, "paths"), "/api/v1/rooms/{room}/messages");
    String keyHeader =
        JSONObjectUtils.getJSONArray(
                JSONObjectUtils.getJSONObject(messagesPath, "post"), "parameters")
            .stream()
            .map(parameter -> (Map<?, ?>) parameter)
            .filter(parameter -> "header".equals(parameter.get("in")))
            .map(parameter -> (String) parameter.get("name"))
            .findFirst()
            .orElseThrow();
    Map<String, Object> post = new LinkedHashMap<>();
    for (String field :
        JSONObjectUtils.getStringList(
            JSONObjectUtils.getJSONObject(schemas, "NewPost"), "required")) {
      post.put(field, "from the document");
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    serverRoot()
                        + base.getPath().replaceAll("/$", "")
                        + "/api/v1/rooms/"
                        + room
                        + "/messages"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .header(keyHeader, "scripted-1")
            .POST(HttpRequest.BodyPublishers.ofString(JSONObjectUtils.toJSONString(post)));
    HttpResponse<String> posted = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, posted.statusCode(), posted.body());
    assertDocumented(schemas, "Posted", JSONObjectUtils.parse(posted.body()));

    HttpResponse<String> history =
        v1("GET", "rooms/" + room + "/messages?after=0", null, token, null);
    assertEquals(200, history.statusCode(), history.body());
    assertDocumented(schemas, "MessagePage", JSONObjectUtils.parse(history.body()));
    assertTrue(history.body().contains("from the document"), history.body());

    // The topic, an edit and a reaction, with the bodies the document requires.
    Map<String, Object> topic = new LinkedHashMap<>();
    for (String field :
        JSONObjectUtils.getStringList(
            JSONObjectUtils.getJSONObject(schemas, "NewTopic"), "required")) {
      topic.put(field, "set from the document");
    }
    HttpResponse<String> topicked =
        v1("PUT", "rooms/" + room + "/topic", JSONObjectUtils.toJSONString(topic), token, null);
    assertEquals(200, topicked.statusCode(), topicked.body());
    assertDocumented(schemas, "RoomSummary", JSONObjectUtils.parse(topicked.body()));
    long id = ((Number) JSONObjectUtils.parse(posted.body()).get("id")).longValue();
    Map<String, Object> text = new LinkedHashMap<>();
    for (String field :
        JSONObjectUtils.getStringList(
            JSONObjectUtils.getJSONObject(schemas, "NewText"), "required")) {
      text.put(field, "edited from the document");
    }
    HttpResponse<String> edited =
        v1(
            "PUT",
            "rooms/" + room + "/messages/" + id,
            JSONObjectUtils.toJSONString(text),
            token,
            "scripted-2");
    assertEquals(201, edited.statusCode(), edited.body());
    assertDocumented(schemas, "Posted", JSONObjectUtils.parse(edited.body()));
    HttpResponse<String> reacted =
        v1("PUT", "rooms/" + room + "/messages/" + id + "/reactions/:tada:", null, token, "s-3");
    assertEquals(201, reacted.statusCode(), reacted.body());
    assertDocumented(
        schemas, "Me", JSONObjectUtils.parse(v1("GET", "me", null, token, null).body()));
  }

  private static void assertDocumented(
      Map<String, Object> schemas, String schema, Map<String, Object> answer) throws Exception {
    Map<String, Object> properties =
        JSONObjectUtils.getJSONObject(JSONObjectUtils.getJSONObject(schemas, schema), "properties");
    for (String field : answer.keySet()) {
      assertTrue(properties.containsKey(field), schema + ": undocumented field " + field);
    }
  }

  private long createdRoom(String token) throws Exception {
    HttpResponse<String> made =
        v1(
            "POST",
            "rooms",
            "{\"name\":\"api-" + unique() + "\",\"visibility\":\"public\"}",
            token,
            null);
    assertEquals(201, made.statusCode(), made.body());
    return ((Number) JSONObjectUtils.parse(made.body()).get("id")).longValue();
  }

  private static List<Long> apiSeqs(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    return seqs(response);
  }

  /** Someone chatfront knows (as chatserv records a person it verified); returns the subject. */
  private String person(String username) throws Exception {
    String subject = UUID.randomUUID().toString();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    serverRoot() + base.getPath().replaceAll("/$", "") + "/api/users/" + subject))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + chatserv.assertion())
            .PUT(
                HttpRequest.BodyPublishers.ofString(
                    "{\"username\":\"" + username + "\",\"display_name\":\"" + username + "\"}"))
            .build();
    assertEquals(204, http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
    return subject;
  }

  private static String unique() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private HttpResponse<String> v1(
      String method, String path, String json, String token, String idempotencyKey)
      throws Exception {
    return v1Raw(method, path, json, token == null ? null : "Bearer " + token, idempotencyKey);
  }

  private HttpResponse<String> v1Raw(
      String method, String path, String json, String authorization, String idempotencyKey)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(serverRoot() + base.getPath().replaceAll("/$", "") + "/api/v1/" + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The API's rate bounds count per minute of the clock (chatfront.api.rate-window, PT1M): a burst
   * that straddles a minute's end is two windows' worth. Waits, when the minute has less than 15 s
   * left, until the next one begins.
   */
  private static void awaitRoomInTheRateWindow() throws InterruptedException {
    long intoMinute = System.currentTimeMillis() % 60_000;
    if (intoMinute > 45_000) {
      Thread.sleep(60_000 - intoMinute + 100);
    }
  }

  private static void assertProblem(int status, String code, HttpResponse<String> response)
      throws Exception {
    assertProblem(status, code, response, "");
  }

  private static void assertProblem(
      int status, String code, HttpResponse<String> response, String why) throws Exception {
    assertEquals(status, response.statusCode(), why + " " + response.body());
    assertEquals(
        code, JSONObjectUtils.parse(response.body()).get("code"), why + " " + response.body());
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
            chatserv.assertion());
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

  /** chatfront's OpenAPI document, as JSON. */
  private Map<String, Object> openApiDocument() throws Exception {
    return JSONObjectUtils.parse(
        http.send(
                HttpRequest.newBuilder(URI.create(serverRoot() + "/openapi"))
                    .header("Accept", "application/json")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private String serverRoot() {
    return base.getProtocol() + "://" + base.getAuthority();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
