package teamchat.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for chatserv's {@code /ws}: completes the WebSocket handshake (RFC 6455), sends one
 * text frame, and remembers each handshake's request line and headers. Just enough to prove that an
 * upgrade passes through nginx; it reads no frames.
 */
final class WebSocketStub implements AutoCloseable {

  static final String GREETING = "hello through nginx";
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** A handshake as the stub saw it; header names in lower case. */
  record Handshake(String requestLine, Map<String, String> headers) {}

  private final ServerSocket server;
  private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  /** When set, the status line every handshake gets instead of the upgrade. */
  private volatile String refuseWith;

  WebSocketStub() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "websocket-stub");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        handshake(socket);
      } catch (IOException e) {
        // Closed, or a client that went away mid-handshake: keep serving the others.
      }
    }
  }

  private void handshake(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String[] lines = readHead(in).split("\r\n");
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    handshakes.add(new Handshake(lines[0], headers));
    OutputStream out = socket.getOutputStream();
    String refusal = refuseWith;
    if (refusal != null) {
      out.write(
          ("HTTP/1.1 " + refusal + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      socket.close();
      return;
    }
    String key = headers.get("sec-websocket-key");
    if (key == null || !"websocket".equalsIgnoreCase(headers.get("upgrade"))) {
      out.write(
          "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      socket.close();
      return;
    }
    out.write(
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + accept(key)
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    byte[] text = GREETING.getBytes(StandardCharsets.UTF_8);
    out.write(0x81); // FIN + text frame; server frames are not masked
    out.write(text.length);
    out.write(text);
    out.flush();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the handshake");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static String accept(String key) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-1")
                  .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** From now on every handshake is answered with this status line, e.g. {@code 404 Not Found}. */
  void refuseWith(String statusLine) {
    refuseWith = statusLine;
  }

  int port() {
    return server.getLocalPort();
  }

  List<Handshake> handshakes() {
    return List.copyOf(handshakes);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : open) {
      socket.close();
    }
  }
}
