package teamchat.chatserv.storage.control;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreResult;

/**
 * The call chatserv makes for every batch of messages, {@code POST api/messages/batch}, over the
 * JDK's {@link HttpClient} with one {@link Jsonb}, where chatserv's other calls to chatfront go
 * through the MicroProfile Rest Client ({@link ChatfrontApi}). It is the one call on the path of
 * every message, and there the Rest Client cost a third of chatserv's CPU (Jersey's client and its
 * provider lookups per request, {@code HttpURLConnection}, Payara's tracing filter): BENCHMARKS.md,
 * "A lean client for the store call".
 *
 * <p>The contract is the Rest Client's: HTTP/1.1 on kept-alive connections, chatserv's assertion on
 * each request, every call bounded by {@code chatserv.chatfront-timeout} from sending to the whole
 * answer read, and every call that gets no answer fails with a {@link ProcessingException}, which
 * is what {@link GuardedChatfrontApi}'s circuit counts and {@link Chatfront} reports as an unknown
 * outcome. An answer with any status is an answer: the caller reads it.
 */
final class BatchPoster {

  /** chatfront's answer: its status, and the outcomes when it stored the batch (200). */
  record Answer(int status, StoreResult result) {}

  private final HttpClient client;
  private final URI endpoint;
  private final Duration timeout;
  private final Supplier<String> authorization;
  private final Jsonb json = JsonbBuilder.create();

  /**
   * @param chatfrontUrl chatfront's base URL ({@code chatfront.url}, ending in a slash or not)
   * @param authorization the {@code Authorization} header for each request, asked anew each time
   * @param executor where the client completes its exchanges (chatserv's own threads)
   */
  BatchPoster(
      String chatfrontUrl, Duration timeout, Supplier<String> authorization, Executor executor) {
    this.endpoint =
        URI.create(chatfrontUrl.endsWith("/") ? chatfrontUrl : chatfrontUrl + "/")
            .resolve("api/messages/batch");
    this.timeout = timeout;
    this.authorization = authorization;
    this.client =
        HttpClient.newBuilder()
            // chatfront speaks HTTP/1.1 in clear on the private network; without this the client
            // would offer an h2c upgrade on every new connection.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  /**
   * Posts the batch and reads chatfront's answer.
   *
   * @throws ProcessingException when no answer came: not connected, the connection broke, no whole
   *     answer within the timeout, or one that does not read as the contract says. chatfront may
   *     have committed the batch all the same.
   */
  Answer post(StoreBatch batch) {
    byte[] body = write(batch);
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<byte[]> response;
    try {
      response = exchange(body, deadline);
    } catch (IOException stale) {
      // A kept-alive connection that chatfront closed as idle at the moment it was taken fails
      // before any answer. Sending the batch again is safe: chatfront never stores a client id
      // twice, and answers 200 with the entry for one it stored before (which the Batcher
      // delivers as found). HttpURLConnection, under the Rest Client, resent in the same case.
      try {
        response = exchange(body, deadline);
      } catch (IOException e) {
        e.addSuppressed(stale);
        throw new ProcessingException(e);
      }
    }
    int status = response.statusCode();
    if (status != 200) {
      return new Answer(status, null);
    }
    try {
      String outcomes = new String(response.body(), StandardCharsets.UTF_8);
      return new Answer(status, json.fromJson(outcomes, StoreResult.class));
    } catch (JsonbException e) {
      throw new ProcessingException("chatfront's answer does not read as outcomes", e);
    }
  }

  private byte[] write(StoreBatch batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * batch.messages().size());
    json.toJson(batch, out);
    return out.toByteArray();
  }

  /**
   * One exchange, over by {@code deadline} (of {@link System#nanoTime}) with its whole answer or
   * cancelled: {@link HttpRequest#timeout} alone would stop waiting at the answer's headers.
   *
   * @throws IOException when the exchange failed on the wire (worth one more try)
   */
  private HttpResponse<byte[]> exchange(byte[] body, long deadline) throws IOException {
    long left = Math.max(1, deadline - System.nanoTime());
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofNanos(left))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("Authorization", authorization.get())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    CompletableFuture<HttpResponse<byte[]>> pending =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return pending.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new ProcessingException("no answer from chatfront within " + timeout, e);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProcessingException("interrupted while storing", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException timedOut) {
        throw new ProcessingException("no answer from chatfront within " + timeout, timedOut);
      }
      if (cause instanceof IOException wire) {
        throw wire;
      }
      throw new ProcessingException(cause);
    }
  }
}
