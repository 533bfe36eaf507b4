package teamchat.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks chatfront for its sign-in page and its readiness every few seconds, on a thread of its own,
 * while another service is away: a hung or dead dependency must not hang chatfront's own pages and
 * health (issue 21). Readiness is about chatfront's database only, so it stays 200 as well.
 */
final class PageProbes extends Thread {

  /** "Within a few seconds": a person waits this long for a page at most. */
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

  private static final Duration EVERY = Duration.ofSeconds(5);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(ANSWER_WITHIN)
          .build();

  private final List<URI> pages;
  private final CountDownLatch stop = new CountDownLatch(1);

  /** Every probe made, as text, for the report. */
  final List<String> probes = new CopyOnWriteArrayList<>();

  /** The probes that got no 200 within {@link #ANSWER_WITHIN}. */
  final List<String> failures = new CopyOnWriteArrayList<>();

  PageProbes(int chatfrontPort) {
    super("page-probes");
    setDaemon(true);
    String site = "http://127.0.0.1:" + chatfrontPort;
    pages = List.of(URI.create(site + "/login.xhtml"), URI.create(site + "/health/ready"));
  }

  @Override
  public void run() {
    try {
      do {
        for (URI page : pages) {
          probe(page);
        }
      } while (!stop.await(EVERY.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void probe(URI page) {
    long began = System.nanoTime();
    String outcome;
    boolean ok;
    try {
      int status =
          HTTP.send(
                  HttpRequest.newBuilder(page).timeout(ANSWER_WITHIN).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      outcome = Integer.toString(status);
      ok = status == 200;
    } catch (Exception e) {
      outcome = e.getClass().getSimpleName();
      ok = false;
    }
    long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();
    String probe = page.getPath() + " " + outcome + " in " + millis + " ms";
    probes.add(probe);
    if (!ok || millis > ANSWER_WITHIN.toMillis()) {
      failures.add(probe);
    }
  }

  void finish() throws InterruptedException {
    stop.countDown();
    join(ANSWER_WITHIN.multipliedBy(3).toMillis());
  }
}
