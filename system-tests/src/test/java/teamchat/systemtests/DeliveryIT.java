package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teamchat.systemtestkit.ChatClient.type;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teamchat.systemtestkit.Accounts.Person;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.Frame;

/**
 * Messages through the whole system as {@code ./chat up} runs it: real auth tokens, chatserv
 * storing through chatfront into PostgreSQL, fan-out and resume. Rooms and memberships are made in
 * the database directly, until chatfront's pages make them.
 */
class DeliveryIT {

  private static RunningSystem system;

  /** Data and logs of this run's system; JUnit removes it after the log check. */
  @TempDir static Path dataDirectory;

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .build(); // no h2c upgrade with Payara

  @BeforeAll
  static void start() throws Exception {
    system = RunningSystem.start(dataDirectory);
  }

  @AfterAll
  static void stop() throws Exception {
    if (system == null) {
      return; // it did not start: its failure is reported already
    }
    // A client still connected when chatserv stops is told when to come back, then closed 1001.
    ChatClient lastOne = ChatClient.connect(system.webSocket(), person().token());
    assertTrue(system.stop(), "the system stopped on SIGINT");
    Frame goingAway = lastOne.await(type("going_away"));
    long retryAfter = ((Number) goingAway.get("retry_after_ms")).longValue();
    assertTrue(retryAfter >= 2000 && retryAfter <= 4000, "retry_after_ms " + retryAfter);
    assertEquals(1001, (int) lastOne.closed().get(5, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(system.secrets.size() >= 8, "the tests used passwords and tokens");
    try (var logs = Files.list(dataDirectory.resolve("logs"))) {
      for (Path log : logs.toList()) {
        String text = Files.readString(log);
        for (String secret : system.secrets) {
          assertFalse(text.contains(secret), "a password or token appears in " + log.getFileName());
        }
      }
    }
  }

  @Test
  void twoClientsExchangeMessagesEachExactlyOnceInOrder() throws Exception {
    Person ada = person();
    Person bob = person();
    long room = room(ada, bob);
    try (ChatClient a = ChatClient.connect(system.webSocket(), ada.token());
        ChatClient b = ChatClient.connect(system.webSocket(), bob.token())) {
      a.subscribe(room, 0);
      a.await(type("subscribed"));
      b.subscribe(room, 0);
      b.await(type("subscribed"));

      a.sendMessage(room, "a-1", "hello bob");
      Frame ack = a.await(type("ack"));
      assertEquals(1L, ((Number) ack.get("seq")).longValue());
      Frame atBob = b.await(type("message"));
      assertEquals("hello bob", atBob.get("body"));
      assertEquals(ada.subject(), atBob.get("sender"));
      assertEquals(ack.get("id"), atBob.get("id"));
      a.await(type("message")); // the sender's own tab gets it too

      b.sendMessage(room, "b-1", "hi ada");
      assertEquals("hi ada", a.await(type("message")).get("body"));
      assertEquals(2L, ((Number) b.await(type("ack")).get("seq")).longValue());

      // A burst within the per-user send rate (20 per second by default).
      for (int i = 1; i <= 15; i++) {
        a.sendMessage(room, "burst-" + i, "n" + i);
      }
      List<Long> seen = new ArrayList<>();
      for (int i = 0; i < 16; i++) { // b's own message 2 first, then the 15
        seen.add(((Number) b.await(type("message")).get("seq")).longValue());
      }
      List<Long> expected = new ArrayList<>();
      for (long seq = 2; seq <= 17; seq++) {
        expected.add(seq);
      }
      assertEquals(expected, seen, "bob sees every message once, in seq order");
    }
  }

  /**
   * Issue 18: Tyrus times each socket on chatserv's own timer thread, not on Payara's managed
   * executor, whose every schedule (one per frame) cost a class-path scan. The thread exists only
   * once Tyrus scheduled a timer on it, which it does for every socket it makes.
   */
  @Test
  void socketTimersRunOnChatservsOwnThread(@TempDir Path folder) throws Exception {
    Person ada = person();
    try (ChatClient client = ChatClient.connect(system.webSocket(), ada.token())) {
      client.subscribe(room(ada), 0);
      client.await(type("subscribed"));
      String threads = Files.readString(system.dumpThreads("chatserv", folder));
      assertTrue(
          threads.contains("\"chatserv-socket-timers\""), "no chatserv-socket-timers thread");
    }
  }

  /**
   * Issue 18: a message is framed once for all its followers and handed to each socket framed
   * (Tyrus's sendRawFrame, as chatserv's log says at the first socket); clients read those frames
   * as any other, a long one of four-byte characters included (its length in 16 bits).
   */
  @Test
  void messagesGoOutFramedOnceAndArriveWhole() throws Exception {
    Person ada = person();
    Person bob = person();
    long room = room(ada, bob);
    String longBody = "\ud83d\ude00".repeat(4000);
    try (ChatClient a = ChatClient.connect(system.webSocket(), ada.token());
        ChatClient b = ChatClient.connect(system.webSocket(), bob.token())) {
      a.subscribe(room, 0);
      a.await(type("subscribed"));
      b.subscribe(room, 0);
      b.await(type("subscribed"));
      a.sendMessage(room, "framed-1", "short");
      a.sendMessage(room, "framed-2", longBody);
      for (ChatClient each : List.of(a, b)) {
        assertEquals("short", each.await(type("message")).get("body"));
        assertEquals(longBody, each.await(type("message")).get("body"));
      }
    }
    String log =
        Files.readString(system.logs().resolve("chatserv.log"), StandardCharsets.ISO_8859_1);
    assertTrue(
        log.contains("sockets are sent framed messages (Tyrus's sendRawFrame)"),
        "chatserv's log says how sockets are sent frames");
    assertFalse(log.contains("sockets are sent text"), "no fallback to text");
  }

  /**
   * chatserv's own threads (the store threads that fan messages out, replays, timers) are made as
   * Payara's request threads are, Grizzly worker threads, so that what they write to sockets takes
   * pooled buffers (issue 18); the log says so, and that no fallback was taken.
   */
  @Test
  void chatservWritesFromGrizzlyWorkerThreads() throws Exception {
    String log =
        Files.readString(system.logs().resolve("chatserv.log"), StandardCharsets.ISO_8859_1);
    assertTrue(
        log.contains(
            "chatserv's workers are Grizzly worker threads: what they write to sockets takes"
                + " pooled buffers"),
        "chatserv's log says its workers are Grizzly's");
    assertFalse(log.contains("chatserv's workers are the container's threads"), "no fallback");
  }

  @Test
  void followersSeeWhoIsOnlineAndWhoIsTypingNothingOfItStored() throws Exception {
    Person ada = person();
    Person bob = person();
    long room = room(ada, bob);
    try (ChatClient a = ChatClient.connect(system.webSocket(), ada.token())) {
      a.subscribe(room, 0);
      assertEquals(List.of(ada.subject()), online(a.await(type("presence"))));
      try (ChatClient b = ChatClient.connect(system.webSocket(), bob.token())) {
        b.subscribe(room, 0);
        assertEquals(
            Set.of(ada.subject(), bob.subject()), Set.copyOf(online(b.await(type("presence")))));
        Frame came = a.await(type("online"));
        assertEquals(bob.subject(), user(came));

        a.send("{\"type\":\"typing\",\"room\":" + room + "}");
        Frame typing = b.await(type("typing"));
        assertEquals(ada.subject(), user(typing));
        assertEquals(room, ((Number) typing.get("room")).longValue());
        // Within the typing interval (2 s) a second one is dropped without an answer.
        a.send("{\"type\":\"typing\",\"room\":" + room + "}");
        a.sendMessage(room, "after-typing", "typed");
        Frame next =
            b.await(f -> "typing".equals(f.get("type")) || "message".equals(f.get("type")));
        assertEquals("message", next.get("type"), "the second typing frame was relayed");

        b.send("{\"type\":\"typing\",\"room\":999999999}");
        assertEquals("not_subscribed", b.await(type("error")).get("code"));
      }
      // bob's socket is gone: ada hears it (after the presence interval at most).
      Frame went = a.await(type("offline"));
      assertEquals(bob.subject(), user(went));
    }
    assertEquals(1L, count("SELECT count(*) FROM chat.message WHERE room_id = " + room));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> online(Frame presence) {
    return ((List<Map<String, Object>>) presence.get("online"))
        .stream().map(user -> user.get("id")).toList();
  }

  @SuppressWarnings("unchecked")
  private static Object user(Frame frame) {
    return ((Map<String, Object>) frame.get("user")).get("id");
  }

  @Test
  void aReconnectingClientGetsExactlyWhatItMissed() throws Exception {
    Person ada = person();
    Person bob = person();
    long room = room(ada, bob);
    try (ChatClient a = ChatClient.connect(system.webSocket(), ada.token())) {
      a.subscribe(room, 0);
      a.await(type("subscribed"));
      long lastSeenByBob;
      try (ChatClient b = ChatClient.connect(system.webSocket(), bob.token())) {
        b.subscribe(room, 0);
        b.await(type("subscribed"));
        a.sendMessage(room, "before", "seen by bob");
        lastSeenByBob = ((Number) b.await(type("message")).get("seq")).longValue();
      }
      for (int i = 1; i <= 5; i++) {
        a.sendMessage(room, "missed-" + i, "missed " + i);
        a.await(type("ack"));
      }
      try (ChatClient b = ChatClient.connect(system.webSocket(), bob.token())) {
        b.subscribe(room, lastSeenByBob);
        List<Object> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          bodies.add(b.await(type("message")).get("body"));
        }
        assertEquals(List.of("missed 1", "missed 2", "missed 3", "missed 4", "missed 5"), bodies);
        Frame subscribed = b.await(type("subscribed"));
        assertEquals(lastSeenByBob + 5, ((Number) subscribed.get("last_seq")).longValue());
        a.sendMessage(room, "live", "live again");
        assertEquals("live again", b.await(type("message")).get("body"));
      }
    }
  }

  @Test
  void resendingAClientIdReturnsTheFirstAckAndStoresOneRow() throws Exception {
    Person ada = person();
    long room = room(ada);
    try (ChatClient a = ChatClient.connect(system.webSocket(), ada.token())) {
      a.sendMessage(room, "once", "only once");
      Frame first = a.await(type("ack"));
      a.sendMessage(room, "once", "only once");
      Frame second = a.await(type("ack"));
      assertEquals(first.get("id"), second.get("id"));
      assertEquals(first.get("seq"), second.get("seq"));
      assertEquals(first.get("time"), second.get("time"));
    }
    assertEquals(1L, count("SELECT count(*) FROM chat.message WHERE room_id = " + room));
  }

  @Test
  void nobodyPostsOrReadsWhereTheyDoNotBelong() throws Exception {
    Person ada = person();
    Person eve = person();
    long room = room(ada);
    try (ChatClient e = ChatClient.connect(system.webSocket(), eve.token())) {
      e.sendMessage(room, "intrude", "hi");
      Frame refused = e.await(type("error"));
      assertEquals("not_a_member", refused.get("code"));
      e.subscribe(room, 0);
      assertEquals("not_a_member", e.await(type("error")).get("code"));
    }
    assertEquals(0L, count("SELECT count(*) FROM chat.message WHERE room_id = " + room));
  }

  @Test
  void aThousandBadFramesGetTheirAnswersWhileACanaryKeepsReceiving() throws Exception {
    Person ada = person();
    Person canary = person();
    Person mallory = person();
    long room = room(ada, canary);
    try (ChatClient sender = ChatClient.connect(system.webSocket(), ada.token());
        ChatClient listener = ChatClient.connect(system.webSocket(), canary.token())) {
      listener.subscribe(room, 0);
      listener.await(type("subscribed"));

      // Frames answered with an error frame, the socket staying open: 900 on one socket.
      List<String[]> refusable =
          List.of(
              new String[] {
                "{\"type\":\"send\",\"room\":\"x\",\"client_msg_id\":\"c\",\"body\":\"b\"}",
                "invalid_frame"
              },
              new String[] {"{\"type\":\"no-such-type\"}", "unknown_type"},
              new String[] {
                "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"bad id!\",\"body\":\"b\"}",
                "invalid_frame"
              },
              new String[] {
                "{\"type\":\"send\",\"room\":5,\"client_msg_id\":\"ok\",\"body\":\"\"}",
                "invalid_body"
              },
              new String[] {"{\"type\":\"subscribe\",\"room\":-4}", "invalid_frame"},
              new String[] {
                "{\"type\":\"send\",\"room\":9.5,\"client_msg_id\":\"ok\",\"body\":\"b\"}",
                "invalid_frame"
              },
              new String[] {
                "{\"type\":\"send\",\"room\":99999999999999999999,\"client_msg_id\":\"ok\",\"body\":\"b\"}",
                "invalid_frame"
              },
              new String[] {
                "{\"type\":\"send\",\"room\":" + room + ",\"client_msg_id\":\"m\",\"body\":\"b\"}",
                "not_a_member|rate_limited"
              },
              new String[] {
                "{\"type\":\"send\",\"room\":"
                    + room
                    + ",\"client_msg_id\":\"m\",\"body\":\""
                    + "x".repeat(4001)
                    + "\"}",
                "invalid_body"
              });
      int answered = 0;
      try (ChatClient attacker = ChatClient.connect(system.webSocket(), mallory.token())) {
        for (int i = 0; i < 900; i++) {
          String[] frame = refusable.get(i % refusable.size());
          attacker.send(frame[0]);
          if (i % 30 == 0) {
            sender.sendMessage(room, "canary-" + i / 30, "still here " + i / 30);
          }
          Frame answer = attacker.await(type("error"));
          String code = (String) answer.get("code");
          assertTrue(
              code.matches(frame[1]),
              frame[0].substring(0, Math.min(60, frame[0].length())) + " -> " + code);
          answered++;
        }
      }
      assertEquals(900, answered);

      // Frames that end the socket with their close code: 120 sockets.
      List<Person> helpers = List.of(mallory, person(), person());
      int closed = 0;
      for (int i = 0; i < 120; i++) {
        int kind = i % 6;
        ChatClient victim =
            kind == 4
                ? ChatClient.connectUnauthenticated(system.webSocket())
                // Rotating identities: sockets the server has not yet seen closed must not hit
                // the per-user connection limit.
                : ChatClient.connect(system.webSocket(), helpers.get(i % helpers.size()).token());
        try {
          int expected;
          switch (kind) {
            case 0 -> {
              victim.send("{not json");
              expected = 1007;
            }
            case 1 -> {
              victim.send("[1,2,3]");
              expected = 1007;
            }
            case 2 -> {
              victim.sendBinary(new byte[] {0, 1, 2});
              expected = 1003;
            }
            case 3 -> {
              victim.send("{\"type\":\"send\",\"body\":\"" + "y".repeat(70 * 1024) + "\"}");
              expected = 1009;
            }
            case 4 -> {
              victim.send("{\"type\":\"send\",\"room\":1}");
              expected = 1008;
            }
            default -> {
              victim.close(); // an abrupt disconnect: nothing to expect but a server that stays up
              closed++;
              continue;
            }
          }
          assertEquals(
              expected,
              (int) victim.closed().get(10, java.util.concurrent.TimeUnit.SECONDS),
              "kind " + kind);
          closed++;
        } finally {
          victim.close();
        }
      }
      assertEquals(120, closed);

      // The canary got every message of the room, once, in order, all along.
      for (int i = 0; i < 30; i++) {
        assertEquals("still here " + i, listener.await(type("message")).get("body"));
      }
      HttpResponse<String> ready =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + system.chatservPort + "/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode(), "chatserv is still up");
    }
  }

  /**
   * Issue 13, finding 16: someone who only ever signed in over the socket must be known to
   * chatfront (invites and direct messages look people up there by username), not only after their
   * first visit to the web app.
   */
  @Test
  void aPersonWhoOnlyUsedTheSocketIsKnownToChatfrontByUsername() throws Exception {
    Person socketOnly = person();
    try (ChatClient client = ChatClient.connect(system.webSocket(), socketOnly.token())) {
      String known = null;
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (known == null && System.nanoTime() < deadline) {
        try (java.sql.Connection db = system.chatDatabase();
            var query =
                db.prepareStatement("SELECT username FROM chat.chat_user WHERE subject = ?")) {
          query.setString(1, socketOnly.subject());
          try (var row = query.executeQuery()) {
            known = row.next() ? row.getString(1) : null;
          }
        }
        if (known == null) {
          Thread.sleep(100);
        }
      }
      assertEquals(socketOnly.username(), known, "chatfront knows them by their username");
    }
  }

  // ---- helpers: real accounts and tokens from auth; rooms made in the database

  private static Person person() throws Exception {
    return system.person();
  }

  private static long room(Person... members) throws Exception {
    return system.privateRoom(
        "room", java.util.Arrays.stream(members).map(Person::subject).toList());
  }

  private static long count(String sql) throws Exception {
    try (Connection db = system.chatDatabase();
        ResultSet rows = db.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
