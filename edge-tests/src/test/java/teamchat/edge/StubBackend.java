package teamchat.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a service behind nginx: answers every request with 200 and a small body (HTML, or
 * JSON under {@code /auth/}), and remembers what it was sent.
 */
final class StubBackend implements AutoCloseable {

  /** A request as the backend saw it. */
  record Seen(String method, String pathAndQuery, Map<String, List<String>> headers) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> String.join(",", e.getValue()))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  StubBackend(String name) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> answer(name, exchange));
    server.start();
  }

  private void answer(String name, HttpExchange exchange) throws IOException {
    try (InputStream body = exchange.getRequestBody()) {
      body.readAllBytes();
    }
    String path = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    seen.add(
        new Seen(
            exchange.getRequestMethod(),
            query == null ? path : path + "?" + query,
            Map.copyOf(exchange.getRequestHeaders())));
    boolean json = path.startsWith("/auth/");
    byte[] answer =
        (json
                ? "{\"service\":\"" + name + "\"}"
                : "<!DOCTYPE html><html><body>" + name + "</body></html>")
            .getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .set("Content-Type", json ? "application/json" : "text/html;charset=UTF-8");
    exchange.sendResponseHeaders(200, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
