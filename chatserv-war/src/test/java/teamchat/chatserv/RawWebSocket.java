package teamchat.chatserv;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The least of a WebSocket client (RFC 6455) on a plain socket, for tests that need a client which
 * does nothing by itself: it never answers a ping and never reads unless asked to.
 */
final class RawWebSocket {

  private static final int TEXT = 1;
  private static final int CLOSE = 8;
  private static final int PING = 9;

  private final DataInputStream in;
  private final OutputStream out;

  /** How the server closed the connection, and how many pings came before. */
  record Close(int code, String reason, int pings) {}

  RawWebSocket(Socket socket, String path) throws IOException {
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + socket.getInetAddress().getHostAddress()
            + ":"
            + socket.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    StringBuilder response = new StringBuilder();
    while (!response.toString().endsWith("\r\n\r\n")) {
      response.append((char) in.readUnsignedByte());
    }
    if (!response.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + response);
    }
  }

  /** Sends one text frame, masked as a client must. */
  void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.write(0x80 | TEXT);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xff);
    }
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }

  /**
   * Sends only the header of a masked text frame claiming {@code length} bytes, in RFC 6455's
   * 64-bit form whatever its top bit; no payload follows.
   */
  void sendHeaderClaiming(long length) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(14);
    header.put((byte) (0x80 | TEXT)).put((byte) (0x80 | 127)).putLong(length);
    header.putInt(ThreadLocalRandom.current().nextInt()); // the mask key
    out.write(header.array());
    out.flush();
  }

  /** The next text frame; pings before it are skipped (and not answered). */
  String nextText() throws IOException {
    while (true) {
      Frame frame = next();
      if (frame.opcode == TEXT) {
        return new String(frame.payload, StandardCharsets.UTF_8);
      }
      if (frame.opcode == CLOSE) {
        throw new IOException("closed: " + close(frame, 0));
      }
    }
  }

  /** Reads until the close frame, counting the pings on the way; fails after {@code patience}. */
  Close awaitClose(Duration patience) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    int pings = 0;
    while (true) {
      if (System.nanoTime() > deadline) {
        throw new IOException("not closed within " + patience + "; pings meanwhile: " + pings);
      }
      Frame frame = next();
      if (frame.opcode == PING) {
        pings++;
      } else if (frame.opcode == CLOSE) {
        return close(frame, pings);
      }
    }
  }

  private static Close close(Frame frame, int pings) {
    int code =
        frame.payload.length >= 2 ? (frame.payload[0] & 0xff) << 8 | frame.payload[1] & 0xff : 1005;
    String reason =
        frame.payload.length > 2
            ? new String(frame.payload, 2, frame.payload.length - 2, StandardCharsets.UTF_8)
            : "";
    return new Close(code, reason, pings);
  }

  private record Frame(int opcode, byte[] payload) {}

  /** One unfragmented, unmasked frame from the server. */
  private Frame next() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }
}
