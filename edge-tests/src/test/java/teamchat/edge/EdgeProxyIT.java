package teamchat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teamchat.edge.NginxTemplates.Vm;

/**
 * Real nginx, rendered from nginx/ by {@link EdgeProxy}, in front of stub services: what the edge
 * promises (redirects, routes, the /api block, headers, the login limit, the WebSocket upgrade, the
 * logs) checked on the wire. Each test gets its own nginx, so rate-limit state does not leak.
 */
class EdgeProxyIT {

  @TempDir Path work;

  /** The upload limit these tests render VM1 with: small, so a test sends a body just over it. */
  private static final long FILES_MAX_BYTES = 1024 * 1024;

  private StubBackend chatfront;
  private StubBackend auth;
  private WebSocketStub chatserv;
  private EdgeProxy edge;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    chatfront = new StubBackend("chatfront");
    auth = new StubBackend("auth");
    chatserv = new WebSocketStub();
    Path staticRoot = Files.createDirectories(work.resolve("static-files"));
    Files.writeString(staticRoot.resolve("app.css"), "body { margin: 0 }");
    edge =
        EdgeProxy.builder(work.resolve("edge"))
            .chatfront(chatfront.port())
            .auth(auth.port())
            .chatserv(chatserv.port())
            .staticRoot(staticRoot)
            .filesMaxBytes(FILES_MAX_BYTES)
            .start();
    client = edge.httpClient();
  }

  @AfterEach
  void stop() throws IOException {
    if (edge != null) {
      edge.close();
    }
    chatfront.close();
    auth.close();
    chatserv.close();
  }

  @Test
  void plainHttpIsRedirectedToHttpsWithPathAndQuery() throws Exception {
    HttpResponse<String> vm1 = get(edge.vm1Http().resolve("/chat.xhtml?room=7"));
    assertEquals(301, vm1.statusCode());
    assertEquals(
        edge.vm1().resolve("/chat.xhtml?room=7").toString(),
        vm1.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> vm2 = get(edge.vm2Http().resolve("/ws"));
    assertEquals(301, vm2.statusCode());
    assertEquals(
        edge.vm2().resolve("/ws").toString(), vm2.headers().firstValue("Location").orElseThrow());
    assertTrue(chatfront.seen().isEmpty(), "nothing reaches chatfront over plain HTTP");
  }

  @Test
  void internalPathsAnswer404AndNeverReachTheServices() throws Exception {
    for (String path :
        List.of(
            "/api/rooms",
            "/api/",
            "/API/rooms",
            "/api/../api/rooms",
            "/%61pi/rooms",
            "/health",
            "/health/ready",
            "/metrics",
            "/openapi",
            "/auth/revocations",
            "/auth/tokens/service",
            "/auth/tokens/introspect",
            "/api/v1/../messages/batch",
            "/api/v1/%2e%2e/messages/batch")) {
      assertEquals(404, get(edge.vm1().resolve(path)).statusCode(), path);
    }
    assertEquals(404, post(edge.vm1().resolve("/api/messages/batch"), "{}").statusCode());
    assertEquals(404, post(edge.vm1().resolve("/auth/tokens/service"), "").statusCode());
    assertEquals(404, post(edge.vm1().resolve("/auth/tokens/introspect"), "token=x").statusCode());
    assertTrue(chatfront.seen().isEmpty(), "chatfront saw " + chatfront.seen());
    assertTrue(auth.seen().isEmpty(), "auth saw " + auth.seen());
    assertEquals(404, get(edge.vm2().resolve("/")).statusCode());
    assertEquals(404, get(edge.vm2().resolve("/api/rooms")).statusCode());
  }

  @Test
  void thePublicApiReachesChatfrontUnderV1Only() throws Exception {
    get(edge.vm1().resolve("/api/v1/rooms?limit=5"));
    post(edge.vm1().resolve("/api/v1/rooms"), "{}");
    assertEquals(
        List.of("GET /api/v1/rooms?limit=5", "POST /api/v1/rooms"),
        chatfront.seen().stream().map(seen -> seen.method() + " " + seen.pathAndQuery()).toList());
    assertTrue(auth.seen().isEmpty(), "auth saw " + auth.seen());
  }

  @Test
  void pagesAndErrorsCarryTheSecurityHeaders() throws Exception {
    for (String path : List.of("/", "/index.xhtml", "/jakarta.faces.resource/x.js", "/nope")) {
      HttpResponse<String> response = get(edge.vm1().resolve(path));
      assertSecurityHeaders(path, response);
      String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertTrue(csp.contains("frame-ancestors 'none'"), csp);
      assertTrue(csp.contains("connect-src 'self' " + edge.chatservOrigin()), csp);
      assertTrue(csp.contains("script-src 'self'"), csp);
    }
    HttpResponse<String> page = get(edge.vm1().resolve("/index.xhtml"));
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("chatfront"));
    assertSecurityHeaders("429", post(edge.vm1().resolve("/nope"), ""));
    assertSecurityHeaders("vm2 404", get(edge.vm2().resolve("/")));

    StubBackend.Seen seen = chatfront.seen().get(chatfront.seen().size() - 1);
    assertEquals("https", seen.header("X-Forwarded-Proto"));
    assertEquals("127.0.0.1", seen.header("X-Forwarded-For"));
    assertEquals(edge.vm1().getAuthority(), seen.header("Host"));
  }

  @Test
  void staticFilesAreCachedForAYearAndChatfrontResponsesAreNot() throws Exception {
    HttpResponse<String> css = get(edge.vm1().resolve("/static/app.css"));
    assertEquals(200, css.statusCode());
    assertEquals("body { margin: 0 }", css.body());
    assertEquals(
        List.of("public, max-age=31536000, immutable"), css.headers().allValues("Cache-Control"));
    assertSecurityHeaders("/static/app.css", css);
    assertEquals(404, get(edge.vm1().resolve("/static/.hidden")).statusCode());
    assertEquals(
        List.of(), get(edge.vm1().resolve("/index.xhtml")).headers().allValues("Cache-Control"));
  }

  /**
   * Files (docs/web-app.md, "Files and images"): an upload to {@code /session/files} may be as
   * large as chatfront's limit, one byte more is refused by nginx without reaching chatfront, and
   * other {@code /session/} posts keep the 256 KB limit; {@code /files/} reaches chatfront, and
   * nothing at the edge makes its answers cacheable.
   */
  @Test
  void uploadsPassUpToTheFilesLimitAndDownloadsReachChatfrontUncached() throws Exception {
    URI upload = edge.vm1().resolve("/session/files?room=7&name=a.png");
    assertEquals(200, postBytes(upload, (int) FILES_MAX_BYTES).statusCode());
    StubBackend.Seen seen = chatfront.seen().get(chatfront.seen().size() - 1);
    assertEquals("/session/files?room=7&name=a.png", seen.pathAndQuery());
    assertEquals(Long.toString(FILES_MAX_BYTES), seen.header("Content-Length"));
    int before = chatfront.seen().size();
    assertEquals(413, postBytes(upload, (int) FILES_MAX_BYTES + 1).statusCode());
    assertEquals(413, postBytes(edge.vm1().resolve("/session/token"), 256 * 1024 + 1).statusCode());
    assertEquals(before, chatfront.seen().size(), "nothing too large reached chatfront");

    HttpResponse<String> download =
        get(edge.vm1().resolve("/files/3f1c1a52-9d7e-4b8e-9a51-7c1f4d2e8b10/a%20b.png"));
    assertEquals(200, download.statusCode());
    assertEquals(
        "/files/3f1c1a52-9d7e-4b8e-9a51-7c1f4d2e8b10/a%20b.png",
        chatfront.seen().get(chatfront.seen().size() - 1).pathAndQuery());
    assertSecurityHeaders("/files/", download);
    assertEquals(List.of(), download.headers().allValues("Cache-Control"), "none added here");
  }

  @Test
  void loginsAreLimitedPerAddressWithABurstThen429() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> limited = null;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response =
          post(edge.vm1().resolve("/auth/tokens"), "{\"username\":\"a\",\"password\":\"b\"}");
      statuses.add(response.statusCode());
      if (response.statusCode() == 429 && limited == null) {
        limited = response;
      }
    }
    // 10 per minute with a burst of 5: the first and five more pass, the rest wait a minute.
    assertEquals(List.of(200, 200, 200, 200, 200, 200), statuses.subList(0, 6), "" + statuses);
    assertTrue(statuses.subList(6, 10).stream().allMatch(s -> s == 429), "" + statuses);
    assertNotNull(limited);
    assertEquals("60", limited.headers().firstValue("Retry-After").orElse(null));
    assertTrue(limited.body().contains("\"code\":\"too_many_requests\""), limited.body());
    assertSecurityHeaders("429", limited);
    assertEquals(6, auth.seen().size(), "limited attempts never reach auth");

    // The same address's page loads (GET) are not counted; its form posts share the limit.
    for (int i = 0; i < 10; i++) {
      assertEquals(200, get(edge.vm1().resolve("/login.xhtml")).statusCode());
    }
    assertEquals(429, post(edge.vm1().resolve("/login.xhtml"), "user=a").statusCode());
    // Other auth calls (refresh) are not part of it.
    assertEquals(200, post(edge.vm1().resolve("/auth/tokens/refresh"), "{}").statusCode());
  }

  @Test
  void anonymousPageLoadsAreLimitedPerAddress() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      statuses.add(get(edge.vm1().resolve(i % 2 == 0 ? "/" : "/login.xhtml")).statusCode());
    }
    // 60 per minute with a burst of 30: the first and thirty more pass, the rest get 429.
    assertTrue(statuses.subList(0, 31).stream().allMatch(s -> s == 200), "" + statuses);
    assertTrue(statuses.subList(33, 40).stream().allMatch(s -> s == 429), "" + statuses);
    HttpResponse<String> limited = get(edge.vm1().resolve("/register.xhtml"));
    assertEquals(429, limited.statusCode());
    assertEquals("60", limited.headers().firstValue("Retry-After").orElse(null));
    assertSecurityHeaders("429", limited);
    // The pages of signed-in people are not part of it.
    assertEquals(200, get(edge.vm1().resolve("/rooms.xhtml")).statusCode());
  }

  @Test
  void tlsIsVersion12Or13WithAeadCiphersOnly() throws Exception {
    for (Vm vm : Vm.values()) {
      int port = (vm == Vm.VM1 ? edge.vm1() : edge.vm2()).getPort();
      assertEquals("TLSv1.3", handshake(port, "TLSv1.3", null));
      assertEquals("TLSv1.2", handshake(port, "TLSv1.2", null));
      assertEquals(
          "TLSv1.2", handshake(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
      // CBC suites are outside Mozilla's intermediate profile: refused.
      assertThrows(
          SSLHandshakeException.class,
          () -> handshake(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"));
    }
  }

  private String handshake(int port, String protocol, String cipherSuite) throws IOException {
    try (SSLSocket socket =
        (SSLSocket)
            edge.certificate()
                .sslContext()
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port)) {
      socket.setEnabledProtocols(new String[] {protocol});
      if (cipherSuite != null) {
        socket.setEnabledCipherSuites(new String[] {cipherSuite});
      }
      socket.setSoTimeout(5000);
      socket.startHandshake();
      return socket.getSession().getProtocol();
    }
  }

  @Test
  void webSocketUpgradesPassThroughVm2() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    WebSocket socket =
        client
            .newWebSocketBuilder()
            .header("Origin", edge.vm1Origin())
            .buildAsync(
                edge.webSocket(),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    received.complete(data.toString());
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    assertEquals(WebSocketStub.GREETING, received.get(10, TimeUnit.SECONDS));
    socket.abort();
    WebSocketStub.Handshake handshake = chatserv.handshakes().get(0);
    assertEquals("GET /ws HTTP/1.1", handshake.requestLine());
    assertEquals("websocket", handshake.headers().get("upgrade"));
    assertEquals("upgrade", handshake.headers().get("connection"));
    assertEquals(edge.vm1Origin(), handshake.headers().get("origin"));
    assertEquals("https", handshake.headers().get("x-forwarded-proto"));
    assertEquals("127.0.0.1", handshake.headers().get("x-forwarded-for"));
  }

  /**
   * A restarting chatserv answers its port before /ws exists (404, then 500 while deploying), or
   * not at all: the client hears 503 with Retry-After and reconnects; a refusal of chatserv's own
   * (403, a foreign Origin) passes unchanged.
   */
  @Test
  void aChatservThatIsStartingIsAnsweredAs503WithRetryAfter() throws Exception {
    for (String starting : List.of("404 Not Found", "500 Internal Server Error")) {
      chatserv.refuseWith(starting);
      HttpResponse<String> answer = upgrade();
      assertEquals(503, answer.statusCode(), "chatserv answered " + starting);
      assertEquals("5", answer.headers().firstValue("Retry-After").orElse(null));
    }
    chatserv.refuseWith("403 Forbidden");
    assertEquals(403, upgrade().statusCode(), "chatserv's own refusal passes");

    chatserv.close(); // not listening at all
    awaitRefused(chatserv.port());
    HttpResponse<String> down = upgrade();
    assertEquals(503, down.statusCode());
    assertEquals("5", down.headers().firstValue("Retry-After").orElse(null));
  }

  /** Waits until nothing listens on the port (a closing socket may still take one connection). */
  private static void awaitRefused(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      try (java.net.Socket probe = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
        Thread.sleep(50);
      } catch (java.net.ConnectException refused) {
        return;
      }
    }
    throw new AssertionError("port " + port + " still accepts connections");
  }

  /** A WebSocket upgrade request as a browser sends it, read as a plain HTTP answer. */
  private HttpResponse<String> upgrade() throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(edge.vm2().resolve("/ws"))
            .header("Origin", edge.vm1Origin())
            .header("Sec-WebSocket-Version", "13")
            .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void accessLogsNeverContainQueryStringsTokensOrCookies() throws Exception {
    String queryToken = "q" + UUID.randomUUID().toString().replace("-", "");
    String bearer = "b" + UUID.randomUUID().toString().replace("-", "");
    String cookie = "c" + UUID.randomUUID().toString().replace("-", "");
    List<URI> targets =
        List.of(
            edge.vm1().resolve("/index.xhtml?access_token=" + queryToken),
            edge.vm1().resolve("/api/rooms?token=" + queryToken),
            edge.vm1().resolve("/api/v1/hooks/7/whk_" + queryToken),
            edge.vm1().resolve("/api/v1/hooks/whk_" + queryToken),
            edge.vm1().resolve("/auth/tokens?refresh_token=" + queryToken),
            edge.vm1().resolve("/static/app.css?v=" + queryToken),
            edge.vm1Http().resolve("/chat.xhtml?access_token=" + queryToken),
            edge.vm2().resolve("/ws?access_token=" + queryToken),
            edge.vm2Http().resolve("/ws?access_token=" + queryToken));
    for (URI target : targets) {
      for (String method : List.of("GET", "POST")) {
        client.send(
            HttpRequest.newBuilder(target)
                .method(method, HttpRequest.BodyPublishers.ofString("password=" + queryToken))
                .header("Authorization", "Bearer " + bearer)
                .header("Cookie", "JSESSIONID=" + cookie)
                .header("Referer", edge.vm1() + "chat.xhtml?access_token=" + queryToken)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      }
    }
    Pattern requestField = Pattern.compile("\"([A-Z]+) (\\S*) HTTP/[0-9.]+\"");
    for (Vm vm : Vm.values()) {
      List<String> lines = Files.readAllLines(edge.accessLog(vm), StandardCharsets.UTF_8);
      assertFalse(lines.isEmpty(), vm + " logged nothing");
      for (String line : lines) {
        Matcher request = requestField.matcher(line);
        assertTrue(request.find(), "no request field in: " + line);
        assertFalse(request.group(2).contains("?"), "query string logged: " + line);
        for (String secret : List.of(queryToken, bearer, cookie)) {
          assertFalse(line.contains(secret), "secret logged: " + line);
        }
      }
      String errors = Files.readString(edge.errorLog(vm), StandardCharsets.UTF_8);
      assertFalse(errors.contains(bearer) || errors.contains(cookie), vm + " error log: " + errors);
    }
    String vm1Log = Files.readString(edge.accessLog(Vm.VM1), StandardCharsets.UTF_8);
    assertTrue(vm1Log.contains("\"GET /index.xhtml HTTP/1.1\" 200"), vm1Log);
    assertTrue(vm1Log.contains("\"POST /api/v1/hooks/7/* HTTP/1.1\""), "webhook, secret cut");
    assertTrue(vm1Log.contains("\"" + edge.vm1() + "chat.xhtml\""), "referer without query");
  }

  private static void assertSecurityHeaders(String what, HttpResponse<?> response) {
    for (String header :
        List.of(
            "Strict-Transport-Security",
            "Content-Security-Policy",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "X-Frame-Options")) {
      assertTrue(
          response.headers().firstValue(header).isPresent(),
          what + " (" + response.statusCode() + ") lacks " + header);
    }
    assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
    assertTrue(
        response
            .headers()
            .firstValue("Strict-Transport-Security")
            .orElseThrow()
            .startsWith("max-age="));
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postBytes(URI uri, int length)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("X-Chat-Request", "1")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[length]))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
