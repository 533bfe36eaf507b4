package teamchat.chatfront.commands.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST to a checked target ({@link TargetGuard.Target}), over a socket connected to
 * the address the guard checked. Not java.net.http: its client resolves the host name again when it
 * connects, which would let a name switch to a private address between check and connection (DNS
 * rebinding). TLS still verifies the certificate against the URL's host name (SNI and endpoint
 * identification). Redirects are not followed (a 3xx is an answer like any other), and the answer
 * is read up to {@link #MAX_ANSWER_BYTES}.
 */
public final class PinnedPost {

  /** An answer's status and body. */
  public record Answer(int status, String body) {}

  /** The most of an answer read; a longer one is cut (and is then no valid JSON). */
  public static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final Duration connectTimeout;
  private final Duration readTimeout;

  public PinnedPost(Duration connectTimeout, Duration readTimeout) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  /** POSTs {@code json} with {@code signature} to the target; throws when no answer came. */
  public Answer post(TargetGuard.Target target, byte[] json, String signature) throws IOException {
    String host = target.uri().getHost();
    try (Socket plain = new Socket()) {
      plain.connect(
          new InetSocketAddress(target.address(), target.port()), (int) connectTimeout.toMillis());
      plain.setSoTimeout((int) readTimeout.toMillis());
      Socket socket = plain;
      if (target.tls()) {
        SSLSocket tls =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, host, target.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.startsWith("[") && !Character.isDigit(host.charAt(host.length() - 1))) {
          parameters.setServerNames(java.util.List.of(new SNIHostName(host)));
        }
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        socket = tls;
      }
      String path =
          target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty()
              ? "/"
              : target.uri().getRawPath();
      if (target.uri().getRawQuery() != null) {
        path += "?" + target.uri().getRawQuery();
      }
      boolean defaultPort = target.port() == (target.tls() ? 443 : 80);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\n"
              + "Host: "
              + host
              + (defaultPort ? "" : ":" + target.port())
              + "\r\n"
              + "User-Agent: teamchat-commands/1\r\n"
              + "Content-Type: application/json\r\n"
              + "Accept: application/json\r\n"
              + CallSigner.HEADER
              + ": "
              + signature
              + "\r\n"
              + "Content-Length: "
              + json.length
              + "\r\n"
              + "Connection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(json);
      out.flush();
      long deadline = System.nanoTime() + readTimeout.toNanos();
      return read(new Deadline(socket.getInputStream(), deadline));
    }
  }

  /**
   * The read timeout for the whole answer, not only for each read: a target that sends a byte now
   * and then would otherwise hold the dispatcher as long as it likes.
   */
  private static final class Deadline extends java.io.FilterInputStream {
    private final long deadline;

    Deadline(InputStream in, long deadline) {
      super(in);
      this.deadline = deadline;
    }

    private void check() throws IOException {
      if (System.nanoTime() > deadline) {
        throw new java.net.SocketTimeoutException("the answer took too long");
      }
    }

    @Override
    public int read() throws IOException {
      check();
      return super.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      check();
      return super.read(buffer, offset, length);
    }
  }

  /** Reads a response to a request with {@code Connection: close}: status, headers, body. */
  static Answer read(InputStream in) throws IOException {
    String status = line(in);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x answer");
    }
    int code;
    try {
      code = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status");
    }
    long length = -1;
    boolean chunked = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).strip();
      if (name.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equals("transfer-encoding")) {
        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
        copy(in, body, size);
        line(in);
      }
    } else {
      copy(in, body, length < 0 ? Long.MAX_VALUE : length);
    }
    return new Answer(code, body.toString(StandardCharsets.UTF_8));
  }

  private static long chunkSize(InputStream in) throws IOException {
    String line = line(in);
    int extension = line.indexOf(';');
    try {
      return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).strip(), 16);
    } catch (NumberFormatException e) {
      throw new IOException("a broken chunk");
    }
  }

  /** Copies up to {@code length} bytes, keeping at most {@link #MAX_ANSWER_BYTES} in all. */
  private static void copy(InputStream in, ByteArrayOutputStream body, long length)
      throws IOException {
    byte[] buffer = new byte[8192];
    long left = length;
    while (left > 0 && body.size() < MAX_ANSWER_BYTES) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        return;
      }
      body.write(buffer, 0, (int) Math.min(read, MAX_ANSWER_BYTES - body.size()));
      left -= read;
    }
  }

  /** A line of the head, without its CRLF; at most 8 KB. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        if (line.size() == 0) {
          throw new IOException("the answer ended early");
        }
        break;
      }
      if (line.size() > 8192) {
        throw new IOException("a header line too long");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }
}
