package teamchat.chatserv.storage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoreResult;

/**
 * The store call over the JDK's client against a real HTTP server on loopback: what it sends, how
 * it reads chatfront's answers, and that every call that gets no answer fails as a {@link
 * ProcessingException} (what the circuit counts and chatserv reports as an unknown outcome).
 */
class BatchPosterTest {

  private static final Jsonb JSON = JsonbBuilder.create();
  private static final StoreBatch BATCH =
      new StoreBatch(
          List.of(
              NewMessage.message("s-ada", 7L, "c1", "hello"),
              NewMessage.message("s-ada", 7L, "c2", "h\u00e9llo \uD83D\uDE00")));

  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  interface Handler {
    void handle(HttpExchange exchange, int call) throws IOException;
  }

  private String serve(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger calls = new AtomicInteger();
    server.createContext(
        "/chatfront/api/messages/batch",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
          clientPorts.add(exchange.getRemoteAddress().getPort());
          handler.handle(exchange, calls.incrementAndGet());
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/chatfront";
  }

  private BatchPoster poster(String url, Duration timeout) {
    AtomicInteger signed = new AtomicInteger();
    return new BatchPoster(url, timeout, () -> "Bearer assertion-" + signed.incrementAndGet());
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static String outcomes() {
    Instant time = Instant.parse("2026-12-07T08:30:00.123456Z");
    return JSON.toJson(
        new StoreResult(
            List.of(
                new StoreOutcome("c1", "s-ada", 201, null, 11L, 7L, 101L, time, null),
                new StoreOutcome("c2", "s-ada", 403, "not_a_member", null, 7L, null, null, null))));
  }

  @Test
  void postsTheBatchAsJsonWithTheAssertionAndReadsTheOutcomes() throws Exception {
    BatchPoster poster = poster(serve((exchange, call) -> answer(exchange, 200, outcomes())), T);

    BatchPoster.Answer first = poster.post(BATCH);
    poster.post(BATCH);

    assertEquals(200, first.status());
    List<StoreOutcome> read = first.result().outcomes();
    assertEquals(2, read.size());
    assertEquals("c1", read.get(0).clientMsgId());
    assertEquals(101L, read.get(0).seq());
    assertEquals(Instant.parse("2026-12-07T08:30:00.123456Z"), read.get(0).time());
    assertEquals("not_a_member", read.get(1).code());
    assertEquals(BATCH, JSON.fromJson(bodies.get(0), StoreBatch.class), "the batch as sent");
    assertTrue(bodies.get(0).contains("\"client_msg_id\":\"c1\""), bodies.get(0));
    assertEquals("application/json", contentTypes.get(0));
    assertEquals(
        List.of("Bearer assertion-1", "Bearer assertion-2"),
        authorizations,
        "the assertion is asked for anew on every call");
    assertEquals(
        clientPorts.get(0), clientPorts.get(1), "the second call on the kept-alive connection");
  }

  @Test
  void anAnswerWithAnErrorStatusLeavesTheConnectionForTheNextCall() throws Exception {
    BatchPoster poster =
        poster(
            serve(
                (exchange, call) ->
                    answer(exchange, call == 1 ? 503 : 200, call == 1 ? "{}" : outcomes())),
            T);

    assertEquals(503, poster.post(BATCH).status());
    assertEquals(200, poster.post(BATCH).status());
    assertEquals(clientPorts.get(0), clientPorts.get(1));
  }

  @Test
  void anAnswerWithAnotherStatusIsAnAnswer() throws Exception {
    BatchPoster poster = poster(serve((exchange, call) -> answer(exchange, 401, "")), T);

    BatchPoster.Answer answer = poster.post(BATCH);

    assertEquals(401, answer.status());
    assertNull(answer.result());
  }

  @Test
  void aConnectionClosedBeforeAnyAnswerIsTriedOnceMore() throws Exception {
    BatchPoster poster =
        poster(
            serve(
                (exchange, call) -> {
                  if (call == 1) {
                    exchange.close(); // no status line: as a kept-alive connection closed as idle
                  } else {
                    answer(exchange, 200, outcomes());
                  }
                }),
            T);

    assertEquals(200, poster.post(BATCH).status());
    assertEquals(2, bodies.size());
    assertEquals(bodies.get(0), bodies.get(1), "the same batch again, with the same client ids");
  }

  @Test
  void aConnectionThatBreaksTwiceIsNoAnswer() throws Exception {
    BatchPoster poster = poster(serve((exchange, call) -> exchange.close()), T);

    assertThrows(ProcessingException.class, () -> poster.post(BATCH));
    assertEquals(2, bodies.size(), "sent once more, not more");
  }

  @Test
  void noAnswerWithinTheTimeoutIsNoAnswerAndTheCallReturnsWithinIt() throws Exception {
    Duration timeout = Duration.ofMillis(500);
    BatchPoster poster =
        poster(
            serve(
                (exchange, call) -> {
                  try {
                    Thread.sleep(10_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }),
            timeout);

    long start = System.nanoTime();
    ProcessingException failed = assertThrows(ProcessingException.class, () -> poster.post(BATCH));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertTrue(failed.getMessage().contains("no answer"), failed.getMessage());
    assertEquals(1, bodies.size(), "a call that timed out is not sent again");
    // A bound, not a speed: the call waits for the timeout, not for the server's 10 s.
    assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "returned after " + took);
  }

  @Test
  void aRefusedConnectionIsNoAnswer() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    BatchPoster poster = poster("http://127.0.0.1:" + closedPort + "/chatfront/", T);

    assertThrows(ProcessingException.class, () -> poster.post(BATCH));
  }

  @Test
  void anAnswerThatDoesNotReadAsOutcomesIsNoAnswer() throws Exception {
    BatchPoster poster = poster(serve((exchange, call) -> answer(exchange, 200, "<html>")), T);

    assertThrows(ProcessingException.class, () -> poster.post(BATCH));
  }

  private static final Duration T = Duration.ofSeconds(5);
}
