package teamchat.chatserv.storage.control;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreResult;

/**
 * The call chatserv makes for every batch of messages, {@code POST api/messages/batch}, with the
 * JDK's {@link HttpURLConnection} and one {@link Jsonb}, where chatserv's other calls to chatfront
 * go through the MicroProfile Rest Client ({@link ChatfrontApi}). It is the one call on the path of
 * every message, and there the Rest Client cost a third of chatserv's CPU (Jersey's client and its
 * provider lookups per request, Payara's tracing filter): BENCHMARKS.md, "A lean client for the
 * store call". {@code HttpURLConnection} is what the Rest Client used underneath; the JDK's newer
 * {@code HttpClient} was tried and cost more, in threads handing each exchange over to each other.
 *
 * <p>The contract is the Rest Client's: HTTP/1.1 on kept-alive connections (the JDK keeps them per
 * host), chatserv's assertion on each request, no redirect followed, {@code
 * chatserv.chatfront-timeout} to connect and for each wait for chatfront's bytes, and every call
 * that gets no answer fails with a {@link ProcessingException}, which is what {@link
 * GuardedChatfrontApi}'s circuit counts and {@link Chatfront} reports as an unknown outcome. An
 * answer with any status is an answer: the caller reads it.
 */
final class BatchPoster {

  /** chatfront's answer: its status, and the outcomes when it stored the batch (200). */
  record Answer(int status, StoreResult result) {}

  private final URL endpoint;
  private final int timeoutMillis;
  private final Supplier<String> authorization;
  private final Jsonb json = JsonbBuilder.create();

  /**
   * @param chatfrontUrl chatfront's base URL ({@code chatfront.url}, ending in a slash or not)
   * @param authorization the {@code Authorization} header for each request, asked anew each time
   */
  BatchPoster(String chatfrontUrl, Duration timeout, Supplier<String> authorization) {
    try {
      this.endpoint =
          URI.create(chatfrontUrl.endsWith("/") ? chatfrontUrl : chatfrontUrl + "/")
              .resolve("api/messages/batch")
              .toURL();
    } catch (IOException e) {
      throw new IllegalArgumentException("chatfront.url is no HTTP URL: " + chatfrontUrl, e);
    }
    this.timeoutMillis = Math.toIntExact(Math.max(1, timeout.toMillis()));
    this.authorization = authorization;
  }

  /**
   * Posts the batch and reads chatfront's answer.
   *
   * @throws ProcessingException when no answer came: not connected, the connection broke, no answer
   *     within the timeout, or one that does not read as the contract says. chatfront may have
   *     committed the batch all the same.
   */
  Answer post(StoreBatch batch) {
    byte[] body = write(batch);
    Exchanged answer;
    try {
      answer = exchange(body);
    } catch (SocketTimeoutException e) {
      throw new ProcessingException("no answer from chatfront within " + timeoutMillis + " ms", e);
    } catch (IOException stale) {
      // A kept-alive connection that chatfront closed as idle at the moment it was taken fails
      // before any answer. Sending the batch again is safe: chatfront never stores a client id
      // twice, and answers 200 with the entry for one it stored before (which the Batcher
      // delivers as found). HttpURLConnection resends on its own in this case only when it
      // buffers the body; this one streams it, so the one resend is here.
      try {
        answer = exchange(body);
      } catch (IOException e) {
        e.addSuppressed(stale);
        throw new ProcessingException(e);
      }
    }
    if (answer.status() != 200) {
      return new Answer(answer.status(), null);
    }
    try {
      String outcomes = new String(answer.body(), StandardCharsets.UTF_8);
      return new Answer(200, json.fromJson(outcomes, StoreResult.class));
    } catch (JsonbException e) {
      throw new ProcessingException("chatfront's answer does not read as outcomes", e);
    }
  }

  private byte[] write(StoreBatch batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * batch.messages().size());
    json.toJson(batch, out);
    return out.toByteArray();
  }

  private record Exchanged(int status, byte[] body) {}

  /**
   * One exchange. The answer is read to its end and its stream closed, so that the connection goes
   * back to the JDK's keep-alive cache for the next batch.
   *
   * @throws IOException when the exchange failed on the wire
   */
  private Exchanged exchange(byte[] body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) endpoint.openConnection();
    connection.setConnectTimeout(timeoutMillis);
    connection.setReadTimeout(timeoutMillis);
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setRequestMethod("POST");
    connection.setRequestProperty("Content-Type", "application/json");
    connection.setRequestProperty("Accept", "application/json");
    connection.setRequestProperty("Authorization", authorization.get());
    connection.setDoOutput(true);
    connection.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
    int status = connection.getResponseCode();
    InputStream answer = status < 400 ? connection.getInputStream() : connection.getErrorStream();
    if (answer == null) {
      return new Exchanged(status, new byte[0]);
    }
    try (answer) {
      return new Exchanged(status, answer.readAllBytes());
    }
  }
}
