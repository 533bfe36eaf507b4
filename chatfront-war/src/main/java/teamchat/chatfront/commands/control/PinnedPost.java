package teamchat.chatfront.commands.control;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * One POST to a checked target ({@link TargetGuard.Target}), with Apache HttpClient connecting to
 * the address the guard checked: its resolver answers every name with that address alone, so a name
 * cannot switch to a private address between check and connection (DNS rebinding), which
 * java.net.http's client, resolving again when it connects, would allow. TLS still verifies the
 * certificate against the URL's host name. No proxy, no redirect followed (a 3xx is an answer like
 * any other), no retry (the dispatcher's {@link RetryPolicy} decides), the head bounded, the body
 * read up to {@link #MAX_ANSWER_BYTES}, and the whole exchange within the read timeout: a target
 * that sends a byte now and then is cut off, not waited for.
 */
public final class PinnedPost {

  /** An answer's status and body. */
  public record Answer(int status, String body) {}

  /** The most of an answer read; a longer one is cut (and is then no valid JSON). */
  public static final int MAX_ANSWER_BYTES = 64 * 1024;

  /** Bounds on the answer's head: no target makes chatfront read megabytes of headers. */
  private static final Http1Config HEAD_LIMITS =
      Http1Config.custom().setMaxLineLength(8 * 1024).setMaxHeaderCount(100).build();

  private final Duration connectTimeout;
  private final Duration readTimeout;

  public PinnedPost(Duration connectTimeout, Duration readTimeout) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  /** POSTs {@code json} with {@code signature} to the target; throws when no answer came. */
  public Answer post(TargetGuard.Target target, byte[] json, String signature) throws IOException {
    HttpPost request = new HttpPost(target.uri());
    request.setHeader("User-Agent", "teamchat-commands/1");
    request.setHeader("Accept", "application/json");
    request.setHeader(CallSigner.HEADER, signature);
    request.setEntity(new ByteArrayEntity(json, ContentType.APPLICATION_JSON));
    AtomicBoolean late = new AtomicBoolean();
    CompletableFuture<Void> deadline =
        CompletableFuture.runAsync(
            () -> {
              late.set(true);
              request.cancel();
            },
            CompletableFuture.delayedExecutor(readTimeout.toMillis(), TimeUnit.MILLISECONDS));
    try (CloseableHttpClient client = client(target.address());
        ClassicHttpResponse response = client.executeOpen(null, request, null)) {
      HttpEntity entity = response.getEntity();
      byte[] body = new byte[0];
      if (entity != null) {
        try (InputStream in = entity.getContent()) {
          body = in.readNBytes(MAX_ANSWER_BYTES);
        }
      }
      if (late.get()) {
        throw new SocketTimeoutException("the answer took too long");
      }
      return new Answer(response.getCode(), new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      if (late.get() && !(e instanceof SocketTimeoutException)) {
        throw new SocketTimeoutException("the answer took too long");
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
  }

  /** A client for one call, whose every connection goes to {@code address}. */
  private CloseableHttpClient client(InetAddress address) {
    DnsResolver pinned =
        new DnsResolver() {
          @Override
          public InetAddress[] resolve(String host) {
            return new InetAddress[] {address};
          }

          @Override
          public String resolveCanonicalHostname(String host) {
            return host;
          }
        };
    PoolingHttpClientConnectionManager connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(pinned)
            .setConnectionFactory(
                ManagedHttpClientConnectionFactory.builder().http1Config(HEAD_LIMITS).build())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(connectTimeout))
                    .setSocketTimeout(Timeout.of(readTimeout))
                    .build())
            .build();
    return HttpClients.custom()
        .setConnectionManager(connections)
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .build();
  }
}
