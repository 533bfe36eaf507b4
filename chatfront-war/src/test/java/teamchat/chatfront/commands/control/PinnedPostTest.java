package teamchat.chatfront.commands.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PinnedPostTest {

  /** A target on 127.0.0.1 that answers every request with {@code raw}, as it is, and closes. */
  private static PinnedPost.Answer answerTo(String raw) throws Exception {
    try (java.net.ServerSocket server =
        new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Thread answering =
          new Thread(
              () -> {
                try (java.net.Socket socket = server.accept()) {
                  socket.getInputStream().read(new byte[8192]); // the request
                  socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                  // the client went away: its side of the test says how
                }
              });
      answering.start();
      TargetGuard.Target target =
          new TargetGuard.Target(
              URI.create("http://hooks.example.com:" + server.getLocalPort() + "/"),
              InetAddress.getByName("127.0.0.1"),
              server.getLocalPort(),
              false);
      try {
        return new PinnedPost(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .post(target, "{}".getBytes(StandardCharsets.UTF_8), "t=1,v1=ab");
      } finally {
        answering.join(5000);
      }
    }
  }

  @Test
  void readsALengthChunkedOrClosedBody() throws Exception {
    assertEquals(
        new PinnedPost.Answer(200, "{\"text\":\"hi\"}"),
        answerTo("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{\"text\":\"hi\"}trailing"));
    assertEquals(
        new PinnedPost.Answer(201, "{\"text\":\"hello\"}"),
        answerTo(
            "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n{\"tex\r\nb;x=1\r\nt\":\"hello\"}\r\n0\r\n\r\n"));
    assertEquals(
        new PinnedPost.Answer(503, "busy"),
        answerTo("HTTP/1.0 503 Busy\r\nConnection: close\r\n\r\nbusy"));
  }

  @Test
  void aLongAnswerIsCutAndBrokenAnswersAreNoAnswer() throws Exception {
    String big = "x".repeat(PinnedPost.MAX_ANSWER_BYTES + 10);
    assertEquals(
        PinnedPost.MAX_ANSWER_BYTES,
        answerTo("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + big).body().length());
    assertThrows(IOException.class, () -> answerTo(""));
    assertThrows(IOException.class, () -> answerTo("SSH-2.0-OpenSSH\r\n\r\n"));
    assertThrows(IOException.class, () -> answerTo("HTTP/1.1 abc\r\n\r\n"));
    assertThrows(
        IOException.class,
        () -> answerTo("HTTP/1.1 200 OK\r\n" + "X-Pad: y\r\n".repeat(500) + "\r\n"),
        "a head of 500 headers is refused");
  }

  /** The request goes to the pinned address whatever the URL's host, and a redirect is returned. */
  @Test
  void postsToThePinnedAddressSignedAndFollowsNoRedirect() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicReference<String> seen = new AtomicReference<>();
    server.createContext(
        "/",
        exchange -> {
          seen.set(
              exchange.getRequestHeaders().getFirst("Host")
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("X-Chat-Signature")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.getResponseHeaders().add("Location", "http://169.254.169.254/");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      TargetGuard.Target target =
          new TargetGuard.Target(
              URI.create("http://hooks.example.com:" + port + "/deploy?x=1"),
              InetAddress.getByName("127.0.0.1"),
              port,
              false);
      PinnedPost.Answer answer =
          new PinnedPost(Duration.ofSeconds(2), Duration.ofSeconds(2))
              .post(target, "{}".getBytes(StandardCharsets.UTF_8), "t=1,v1=ab");
      assertEquals(302, answer.status());
      assertEquals("hooks.example.com:" + port + " /deploy?x=1 t=1,v1=ab {}", seen.get());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aTargetThatNeverAnswersTimesOut() throws Exception {
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      TargetGuard.Target target =
          new TargetGuard.Target(
              URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"),
              InetAddress.getByName("127.0.0.1"),
              silent.getLocalPort(),
              false);
      assertThrows(
          SocketTimeoutException.class,
          () ->
              new PinnedPost(Duration.ofSeconds(1), Duration.ofMillis(300))
                  .post(target, new byte[0], "t=1,v1=ab"));
    }
  }

  /** The read timeout bounds the whole answer: a byte now and then does not keep it going. */
  @Test
  void aTargetThatAnswersAByteAtATimeIsCutOffAtTheReadTimeout() throws Exception {
    try (java.net.ServerSocket server =
        new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Thread dripping =
          new Thread(
              () -> {
                try (java.net.Socket socket = server.accept()) {
                  socket.getInputStream().read(new byte[8192]);
                  var out = socket.getOutputStream();
                  out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes());
                  for (int i = 0; i < 200; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(50);
                  }
                } catch (IOException | InterruptedException e) {
                  // cut off by the client, as it should be
                }
              });
      dripping.start();
      TargetGuard.Target target =
          new TargetGuard.Target(
              URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
              InetAddress.getByName("127.0.0.1"),
              server.getLocalPort(),
              false);
      long started = System.nanoTime();
      assertThrows(
          SocketTimeoutException.class,
          () ->
              new PinnedPost(Duration.ofSeconds(1), Duration.ofMillis(600))
                  .post(target, new byte[0], "t=1,v1=ab"));
      long took = (System.nanoTime() - started) / 1_000_000;
      org.junit.jupiter.api.Assertions.assertTrue(took < 3000, "cut off after " + took + " ms");
      dripping.join(15000);
    }
  }
}
