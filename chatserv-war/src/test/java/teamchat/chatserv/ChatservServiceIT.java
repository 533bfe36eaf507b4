package teamchat.chatserv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import teamchat.tokentestkit.ForgedTokens;
import teamchat.tokentestkit.ServerLog;
import teamchat.tokentestkit.TestAuthority;
import teamchat.tokentestkit.TestServiceKey;

/**
 * The chatserv WAR as built, on Payara Micro with the project's domain config. Tokens come from a
 * test-only authority standing in for auth; its test settings (chatserv-war/pom.xml) give a new
 * socket 5 s to authenticate (a loaded CI machine needs the margin) and ping every second.
 */
@ExtendWith(ArquillianExtension.class)
class ChatservServiceIT {

  private static final int POLICY_VIOLATION = 1008;

  @Deployment(testable = false)
  static WebArchive builtWar() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("teamchat.test.war")));
  }

  private static TestAuthority authority;

  @BeforeAll
  static void startTestAuthority() {
    authority = TestAuthority.startOnReservedPort();
    // chatserv's assertion key (chatserv.assertion-key, read at its first call to chatfront): the
    // calls to chatfront below fail only because there is no chatfront here.
    TestServiceKey.write();
  }

  @AfterAll
  static void stopTestAuthorityAndCheckTheLog() throws Exception {
    authority.close();
    // Every token this class sent, valid or forged: none may have been logged.
    ServerLog.assertHoldsNone(authority.issued(), "successfully deployed");
  }

  @ArquillianResource URL base;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .build(); // no h2c upgrade with Payara

  @Test
  void healthIsUp() throws Exception {
    for (String check : new String[] {"/health/live", "/health/ready"}) {
      URI uri = URI.create(base.getProtocol() + "://" + base.getAuthority() + check);
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), check + ": " + health.body());
    }
  }

  @Test
  void greetsThenWelcomesAVerifiedUserAndAcceptsAFreshTokenInBand() throws Exception {
    String subject = UUID.randomUUID().toString();
    try (TestSocket socket = connect(null)) {
      String hello = socket.next();
      assertTrue(hello.contains("\"type\":\"hello\"") && hello.contains("\"protocol\":1"), hello);
      socket.send("{\"type\":\"auth\",\"token\":\"" + authority.userToken(subject, "ada") + "\"}");
      String welcome = socket.next();
      assertTrue(welcome.contains("\"type\":\"welcome\"") && welcome.contains(subject), welcome);

      socket.send("{\"type\":\"auth\",\"token\":\"" + authority.userToken(subject, "ada") + "\"}");
      assertTrue(socket.next().contains("\"type\":\"reauthenticated\""));
      socket.send(
          "{\"type\":\"auth\",\"token\":\"" + authority.userToken("someone-else", "eve") + "\"}");
      assertEquals(POLICY_VIOLATION, socket.closeCode(), "another user's token on the same socket");
    }
  }

  @Test
  void everyForgedTokenIsRefusedAtConnect() throws Exception {
    Map<String, String> forged = ForgedTokens.against(authority);
    StringBuilder accepted = new StringBuilder();
    for (Map.Entry<String, String> attack : forged.entrySet()) {
      try (TestSocket socket = connect(null)) {
        socket.next(); // hello
        socket.send(
            "{\"type\":\"auth\",\"token\":\"" + attack.getValue().replace("\"", "\\\"") + "\"}");
        int code = socket.closeCode();
        if (code != POLICY_VIOLATION && code != 1009) {
          accepted.append(attack.getKey()).append(" -> close ").append(code).append('\n');
        }
        assertTrue(
            socket.frames.stream().noneMatch(f -> f.contains("welcome")),
            attack.getKey() + " welcomed");
      }
    }
    assertEquals("", accepted.toString(), "forged tokens not refused");
    assertTrue(forged.size() >= 19, "the whole matrix ran: " + forged.size());
  }

  @Test
  void aSocketThatDoesNotAuthenticateIsClosed() throws Exception {
    try (TestSocket socket = connect(null)) {
      socket.next(); // hello
      assertEquals(POLICY_VIOLATION, socket.closeCode());
      assertEquals("auth_timeout", socket.closeReason);
    }
  }

  @Test
  void anIdleSocketIsPingedAndStaysOpenWhileItsClientAnswers() throws Exception {
    try (TestSocket socket = authenticatedSocket()) {
      // Four ping intervals of the test settings (1 s), more than the three that close a silent
      // one.
      Thread.sleep(4_500);
      assertTrue(socket.pings.get() >= 3, "pings received: " + socket.pings);
      assertFalse(socket.closed.isDone(), "closed: " + socket.closeReason);
      socket.send("{\"type\":\"no-such-frame\"}");
      assertTrue(socket.next().contains("unknown_type"), "the socket still answers");
    }
  }

  @Test
  void aClientThatStopsAnsweringPingsIsClosedWith1013NoPong() throws Exception {
    // A raw socket: the JDK client would answer the pings it reads, and once chatserv has closed
    // the connection its pongs can fail before the close frame is read. This one signs in, then
    // stops reading and writing (a vanished peer); afterwards it reads what chatserv sent.
    try (Socket raw = new Socket(base.getHost(), base.getPort())) {
      raw.setSoTimeout(10_000);
      RawWebSocket socket = new RawWebSocket(raw, "/ws");
      assertTrue(socket.nextText().contains("hello"));
      socket.sendText(
          "{\"type\":\"auth\",\"token\":\""
              + authority.userToken(UUID.randomUUID().toString(), "t")
              + "\"}");
      assertTrue(socket.nextText().contains("welcome"));
      Thread.sleep(6_500); // more than three ping intervals (1 s in the test settings)
      RawWebSocket.Close close = socket.awaitClose(Duration.ofSeconds(10));
      assertTrue(close.pings() >= 2, "pinged before it was closed: " + close.pings());
      assertEquals(1013, close.code());
      assertEquals("no_pong", close.reason());
    }
  }

  /**
   * Issue 13, finding 14: a frame header claiming 2^63 bytes was answered 1011, with a {@code
   * NegativeArraySizeException} stack trace in the log. A length with its top bit set is illegal
   * (RFC 6455 5.2): 1002. 2^63-1 is a legal length: the payload never comes, and the socket is
   * closed like any silent one, at the sign-in deadline (1008 {@code auth_timeout}) or, signed in,
   * for want of pongs (1013 {@code no_pong}). docs/protocol.md, limits.
   */
  @Test
  void aFrameHeaderClaimingAnImpossibleLengthIsClosedAsDocumentedWithoutAStackTrace()
      throws Exception {
    int logBefore = ServerLog.read().length();

    RawWebSocket.Close topBit = closeAfterAHeaderClaiming(Long.MIN_VALUE, false); // 2^63
    assertEquals(1002, topBit.code(), topBit.toString());
    // Silent before sign-in: whichever comes first, the sign-in deadline (5 s here and in
    // production) or three unanswered pings (3 s with the test settings' 1 s, 90 s in production).
    RawWebSocket.Close beforeSignIn = closeAfterAHeaderClaiming(Long.MAX_VALUE, false);
    assertTrue(
        Set.of("1008 auth_timeout", "1013 no_pong")
            .contains(beforeSignIn.code() + " " + beforeSignIn.reason()),
        beforeSignIn.toString());
    RawWebSocket.Close signedIn = closeAfterAHeaderClaiming(Long.MAX_VALUE, true);
    assertEquals(1013, signedIn.code(), signedIn.toString());
    assertEquals("no_pong", signedIn.reason());

    String log = ServerLog.read().substring(logBefore);
    assertFalse(log.contains("Exception"), "no exception logged: " + log);
    assertFalse(log.contains("\tat "), "no stack trace: " + log);
  }

  private RawWebSocket.Close closeAfterAHeaderClaiming(long length, boolean signIn)
      throws Exception {
    try (Socket raw = new Socket(base.getHost(), base.getPort())) {
      raw.setSoTimeout(15_000); // longer than the sign-in deadline (5 s in the test settings)
      RawWebSocket socket = new RawWebSocket(raw, "/ws");
      assertTrue(socket.nextText().contains("hello"));
      if (signIn) {
        socket.sendText(
            "{\"type\":\"auth\",\"token\":\""
                + authority.userToken(UUID.randomUUID().toString(), "t")
                + "\"}");
        assertTrue(socket.nextText().contains("welcome"));
      }
      socket.sendHeaderClaiming(length);
      return socket.awaitClose(Duration.ofSeconds(12));
    }
  }

  @Test
  void aForeignOriginIsRefusedBeforeTheUpgrade() throws Exception {
    try (TestSocket allowed = connect("http://localhost:8080")) {
      assertTrue(allowed.next().contains("hello"));
    }
    for (int i = 0; i < 3; i++) {
      try {
        connect("https://evil.example").close();
        fail("a foreign Origin was upgraded");
      } catch (ExecutionException | CompletionException e) {
        WebSocketHandshakeException handshake = handshakeFailure(e);
        assertEquals(403, handshake.getResponse().statusCode());
      }
    }
  }

  @Test
  void logoutClosesTheSocketWithinFiveSeconds() throws Exception {
    String sid = UUID.randomUUID().toString();
    try (TestSocket socket = connect(null)) {
      socket.next();
      socket.send(
          "{\"type\":\"auth\",\"token\":\"" + authority.token(c -> c.claim("sid", sid)) + "\"}");
      assertTrue(socket.next().contains("welcome"));
      long revokedAt = System.nanoTime();
      authority.revoke(sid);
      assertEquals(POLICY_VIOLATION, socket.closeCode());
      long millis = (System.nanoTime() - revokedAt) / 1_000_000;
      assertTrue(millis <= 5000, "closed " + millis + " ms after the logout");
    }
  }

  @Test
  void protocolViolationsGetTheirCloseCodes() throws Exception {
    try (TestSocket socket = authenticatedSocket()) {
      socket.send("{not json");
      assertEquals(1007, socket.closeCode());
    }
    try (TestSocket socket = authenticatedSocket()) {
      socket
          .socket
          .sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true)
          .get(5, TimeUnit.SECONDS);
      assertEquals(1003, socket.closeCode());
    }
    try (TestSocket socket = authenticatedSocket()) {
      socket.send("{\"type\":\"auth\",\"token\":\"" + "x".repeat(70 * 1024) + "\"}");
      assertEquals(1009, socket.closeCode());
    }
    try (TestSocket socket = connect(null)) {
      socket.next();
      socket.send("{\"type\":\"send\",\"room\":1}");
      assertEquals(POLICY_VIOLATION, socket.closeCode(), "nothing before auth");
    }
    try (TestSocket socket = authenticatedSocket()) {
      socket.send("{\"type\":\"no-such-frame\"}");
      String error = socket.next();
      assertTrue(error.contains("\"type\":\"error\"") && error.contains("unknown_type"), error);
      assertNull(
          socket.closed.getNow(null), "an unknown frame type is an error, not a reason to close");
    }
  }

  @Test
  void sendsBeyondTheRateAreRefusedWithAWait() throws Exception {
    try (TestSocket socket = authenticatedSocket()) {
      // Test settings: 5 sends per second. There is no chatfront here, so sends within the
      // limit are answered "unavailable"; what matters is which ones are "rate_limited".
      for (int i = 0; i < 12; i++) {
        socket.send(
            "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"r" + i + "\",\"body\":\"x\"}");
      }
      int limited = 0;
      for (int i = 0; i < 12; i++) {
        String answer = socket.next();
        if (answer.contains("rate_limited")) {
          limited++;
          assertTrue(
              answer.contains("\"retry\":true") && answer.contains("retry_after_ms"), answer);
        }
      }
      assertTrue(limited >= 5 && limited <= 7, "about 12 - 5 refused, was " + limited);
    }
  }

  /**
   * Issue 21: while chatfront does not answer (none in this deployment), the membership check's
   * circuit (MicroProfile Fault Tolerance, GuardedChatfrontApi) opens, so that frames are answered
   * "unavailable" at once rather than each holding a frame thread for the timeout. Payara's Fault
   * Tolerance metrics show that the circuit really opened, that is, that the annotations apply.
   */
  @Test
  void whileChatfrontDoesNotAnswerTheMembershipCircuitOpens() throws Exception {
    try (TestSocket socket = authenticatedSocket()) {
      for (int i = 0; i < 6; i++) {
        socket.send("{\"type\":\"subscribe\",\"room\":1,\"after\":0}");
        String answer = socket.next();
        assertTrue(answer.contains("\"code\":\"unavailable\""), answer);
      }
    }
    URI uri = URI.create(base.getProtocol() + "://" + base.getAuthority() + "/metrics");
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(uri).header("Accept", "text/plain").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode(), metrics.body());
    // Payara lists the base scope's Fault Tolerance metrics twice (the same values each time).
    double opened =
        metrics
            .body()
            .lines()
            .filter(line -> line.startsWith("ft_circuitbreaker_opened_total"))
            .filter(line -> line.contains("GuardedChatfrontApi.roomsOf"))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .max()
            .orElseThrow(() -> new AssertionError("no metric of roomsOf's circuit"));
    assertTrue(opened >= 1, "roomsOf's circuit opened " + opened + " times");
  }

  private static final String FILE_ID = "0b9e8a57-3f0c-4c3e-9a53-6f0b1c2d3e4f";

  /**
   * Issue 18: the batcher's totals (storage/control/StoreMetrics) are gauges on chatserv's own
   * {@code /metrics}, under the names the bench's persist scenario reads.
   */
  @Test
  void theBatchersTotalsAreGaugesOnMetrics() throws Exception {
    URI uri = URI.create(base.getProtocol() + "://" + base.getAuthority() + "/metrics");
    String metrics =
        http.send(
                HttpRequest.newBuilder(uri).header("Accept", "text/plain").GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String gauge :
        List.of(
            "chatserv_store_batches",
            "chatserv_store_entries",
            "chatserv_store_seconds_in_flight",
            "chatserv_store_seconds_calling",
            "chatserv_store_seconds_waiting")) {
      double value =
          metrics
              .lines()
              .filter(line -> line.startsWith(gauge + "{") || line.startsWith(gauge + " "))
              .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no gauge " + gauge + " in " + metrics));
      assertTrue(value >= 0, gauge + " " + value);
    }
  }

  /**
   * Issue 15: edit, delete, react and a reply are checked at the door like a send, each refusal
   * with its code and the frame's client id, the socket staying open; what passes the door goes on
   * to the membership check (here "unavailable": there is no chatfront in this deployment).
   */
  @Test
  void changesToMessagesAreCheckedAtTheDoorEachWithItsCode() throws Exception {
    String[][] refused = {
      {"{\"type\":\"edit\",\"room\":1,\"client_msg_id\":\"e1\",\"body\":\"x\"}", "invalid_frame"},
      {
        "{\"type\":\"edit\",\"room\":1,\"client_msg_id\":\"e2\",\"target\":5,\"body\":\"\"}",
        "invalid_body"
      },
      {
        "{\"type\":\"edit\",\"room\":1,\"client_msg_id\":\"e3\",\"target\":5,\"body\":\"a\\u0000\"}",
        "invalid_body"
      },
      {
        "{\"type\":\"delete\",\"room\":1,\"client_msg_id\":\"d1\",\"target\":\"5\"}",
        "invalid_frame"
      },
      {
        "{\"type\":\"react\",\"room\":1,\"client_msg_id\":\"r1\",\"target\":5,\"emoji\":\"👍\"}",
        "invalid_frame"
      },
      {
        "{\"type\":\"react\",\"room\":1,\"client_msg_id\":\"r2\",\"target\":5,\"emoji\":\"👍\","
            + "\"on\":\"yes\"}",
        "invalid_frame"
      },
      {
        "{\"type\":\"react\",\"room\":1,\"client_msg_id\":\"r3\",\"target\":5,"
            + "\"emoji\":\"<img src=x>\",\"on\":true}",
        "invalid_emoji"
      },
      {
        "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"s1\",\"body\":\"x\",\"parent\":\"5\"}",
        "invalid_frame"
      },
      {
        "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"s2\",\"body\":\"x\",\"parent\":-5}",
        "invalid_frame"
      },
      // Issue 19: files are at most 10 distinct file ids; with none, a body is needed.
      {
        "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"s3\",\"body\":\"x\","
            + "\"files\":[\"../../etc/passwd\"]}",
        "invalid_frame"
      },
      {
        "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"s4\",\"body\":\"x\",\"files\":\""
            + FILE_ID
            + "\"}",
        "invalid_frame"
      },
      {"{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"s5\",\"body\":\"\"}", "invalid_body"},
    };
    try (TestSocket socket = authenticatedSocket()) {
      for (String[] frame : refused) {
        socket.send(frame[0]);
        String answer = socket.next();
        assertTrue(
            answer.contains("\"type\":\"error\"")
                && answer.contains("\"code\":\"" + frame[1] + "\"")
                && answer.contains("\"retry\":false"),
            frame[0] + " -> " + answer);
        String clientMsgId = frame[0].replaceAll(".*\"client_msg_id\":\"([^\"]*)\".*", "$1");
        assertTrue(answer.contains("\"client_msg_id\":\"" + clientMsgId + "\""), answer);
      }
      String[] admitted = {
        "{\"type\":\"edit\",\"room\":1,\"client_msg_id\":\"ok1\",\"target\":5,\"body\":\"new\"}",
        "{\"type\":\"delete\",\"room\":1,\"client_msg_id\":\"ok2\",\"target\":5}",
        "{\"type\":\"react\",\"room\":1,\"client_msg_id\":\"ok3\",\"target\":5,\"emoji\":\":+1:\","
            + "\"on\":false}",
        "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"ok4\",\"body\":\"re\",\"parent\":5}",
        // A message of files only passes the door; chatfront checks the files are the sender's.
        "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"ok5\",\"body\":\"\",\"files\":[\""
            + FILE_ID
            + "\"]}",
      };
      for (String frame : admitted) {
        socket.send(frame);
        String answer = socket.next();
        // Past the door: the membership check, which cannot reach a chatfront here.
        assertTrue(
            answer.contains("\"code\":\"unavailable\"")
                || answer.contains("\"code\":\"not_a_member\""),
            frame + " -> " + answer);
      }
      assertNull(socket.closed.getNow(null), "refusals never close the socket");
    }
  }

  /** One send rate for every entry a user adds: a flood of reactions is limited like messages. */
  @Test
  void editsDeletesAndReactionsShareTheSendRate() throws Exception {
    try (TestSocket socket = authenticatedSocket()) {
      String[] kinds = {
        "{\"type\":\"react\",\"room\":1,\"client_msg_id\":\"k%d\",\"target\":5,\"emoji\":\"👍\","
            + "\"on\":true}",
        "{\"type\":\"edit\",\"room\":1,\"client_msg_id\":\"k%d\",\"target\":5,\"body\":\"x\"}",
        "{\"type\":\"delete\",\"room\":1,\"client_msg_id\":\"k%d\",\"target\":5}",
        "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"k%d\",\"body\":\"x\"}",
      };
      for (int i = 0; i < 12; i++) {
        socket.send(String.format(kinds[i % kinds.length], i));
      }
      int limited = 0;
      for (int i = 0; i < 12; i++) {
        String answer = socket.next();
        if (answer.contains("rate_limited")) {
          limited++;
        } else {
          assertTrue(answer.contains("unavailable") || answer.contains("not_a_member"), answer);
        }
      }
      assertTrue(limited >= 5 && limited <= 7, "about 12 - 5 refused, was " + limited);
    }
  }

  @Test
  void aUserHoldsAtMostTheConfiguredNumberOfSockets() throws Exception {
    String subject = UUID.randomUUID().toString();
    List<TestSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        TestSocket socket = connect(null);
        open.add(socket);
        socket.next();
        socket.send(
            "{\"type\":\"auth\",\"token\":\"" + authority.userToken(subject, "ada") + "\"}");
        assertTrue(socket.next().contains("welcome"));
      }
      TestSocket fourth = connect(null);
      open.add(fourth);
      fourth.next();
      fourth.send("{\"type\":\"auth\",\"token\":\"" + authority.userToken(subject, "ada") + "\"}");
      assertEquals(POLICY_VIOLATION, fourth.closeCode());
      assertEquals("too_many_connections", fourth.closeReason);

      open.get(0).socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
      open.get(0).closeCode();
      Thread.sleep(300);
      TestSocket again = connect(null);
      open.add(again);
      again.next();
      again.send("{\"type\":\"auth\",\"token\":\"" + authority.userToken(subject, "ada") + "\"}");
      assertTrue(again.next().contains("welcome"), "a closed socket frees its place");
    } finally {
      open.forEach(TestSocket::close);
    }
  }

  private TestSocket authenticatedSocket() throws Exception {
    TestSocket socket = connect(null);
    socket.next();
    socket.send(
        "{\"type\":\"auth\",\"token\":\""
            + authority.userToken(UUID.randomUUID().toString(), "t")
            + "\"}");
    assertTrue(socket.next().contains("welcome"));
    return socket;
  }

  private TestSocket connect(String origin) throws Exception {
    TestSocket listener = new TestSocket();
    WebSocket.Builder builder = http.newWebSocketBuilder();
    if (origin != null) {
      builder.header("Origin", origin);
    }
    URI ws = URI.create(base.toString().replaceFirst("^http", "ws").replaceAll("/$", "") + "/ws");
    listener.socket = builder.buildAsync(ws, listener).get(10, TimeUnit.SECONDS);
    return listener;
  }

  private static WebSocketHandshakeException handshakeFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof WebSocketHandshakeException handshake) {
        return handshake;
      }
    }
    throw new AssertionError("not a refused handshake", e);
  }

  /** A client socket that records frames and how it was closed. */
  static final class TestSocket implements WebSocket.Listener, AutoCloseable {
    final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String closeReason;
    final AtomicInteger pings = new AtomicInteger();

    /** While set, nothing more is read: the JDK answers a ping only when it reads it. */
    volatile boolean paused;

    WebSocket socket;
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      readOn(webSocket);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      pings.incrementAndGet(); // the JDK has sent the pong already
      readOn(webSocket);
      return null;
    }

    private void readOn(WebSocket webSocket) {
      if (!paused) {
        webSocket.request(1);
      }
    }

    void resume() {
      paused = false;
      socket.request(1);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeReason = reason;
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }

    String next() throws Exception {
      String frame = frames.poll(10, TimeUnit.SECONDS);
      if (frame == null) {
        fail(
            "no frame within 10 s"
                + (closed.isDone() ? "; closed with " + closed.get() + " " + closeReason : ""));
      }
      return frame;
    }

    void send(String text) throws Exception {
      socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    int closeCode() throws Exception {
      return closed.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      if (socket != null) {
        socket.abort();
      }
    }
  }
}
