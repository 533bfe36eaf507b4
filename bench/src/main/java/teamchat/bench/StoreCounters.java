package teamchat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * chatserv's group commit totals since its start, from its own {@code /metrics} (the gauges of
 * {@code storage/control/StoreMetrics}): batches stored, their entries, the seconds they spent in
 * flight and the part of those in the call to chatfront, and the seconds entries waited in the
 * queue, added up. The difference of two readings over a window gives the batch size as chatserv
 * formed it, the mean number of batches in flight, and where a batch's time goes.
 */
record StoreCounters(
    double batches,
    double entries,
    double secondsInFlight,
    double secondsCalling,
    double secondsWaiting,
    long nanoTime) {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The totals now, from the chatserv whose socket is {@code webSocket}; NaN when not there. */
  static StoreCounters read(URI webSocket) {
    long now = System.nanoTime();
    try {
      URI metrics = URI.create("http://" + webSocket.getAuthority() + "/metrics");
      String text =
          HTTP.send(
                  HttpRequest.newBuilder(metrics)
                      .header("Accept", "text/plain")
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return new StoreCounters(
          gauge(text, "chatserv_store_batches"),
          gauge(text, "chatserv_store_entries"),
          gauge(text, "chatserv_store_seconds_in_flight"),
          gauge(text, "chatserv_store_seconds_calling"),
          gauge(text, "chatserv_store_seconds_waiting"),
          now);
    } catch (java.io.IOException e) {
      return unknown(now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unknown(now);
    }
  }

  private static StoreCounters unknown(long now) {
    return new StoreCounters(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, now);
  }

  /** A gauge's value in the Prometheus text ({@code name{tags} value}); NaN when absent. */
  static double gauge(String text, String name) {
    return text.lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(Double.NaN);
  }

  /** Entries per batch between {@code earlier} and this reading. */
  double entriesPerBatchSince(StoreCounters earlier) {
    return (entries - earlier.entries) / (batches - earlier.batches);
  }

  /** A batch's mean time in flight (ms), from the call until its entries are handed on. */
  double millisInFlightPerBatchSince(StoreCounters earlier) {
    return (secondsInFlight - earlier.secondsInFlight) * 1e3 / (batches - earlier.batches);
  }

  /** The mean time (ms) of a batch's call to chatfront, its answer awaited. */
  double millisCallingPerBatchSince(StoreCounters earlier) {
    return (secondsCalling - earlier.secondsCalling) * 1e3 / (batches - earlier.batches);
  }

  /** An entry's mean wait (ms) in the queue before its batch went. */
  double millisWaitingPerEntrySince(StoreCounters earlier) {
    return (secondsWaiting - earlier.secondsWaiting) * 1e3 / (entries - earlier.entries);
  }

  /** The mean number of batches in flight between {@code earlier} and this reading. */
  double meanInFlightSince(StoreCounters earlier) {
    return (secondsInFlight - earlier.secondsInFlight) / ((nanoTime - earlier.nanoTime) / 1e9);
  }
}
