package teamchat.chatserv.storage.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The batcher's totals as MicroProfile Metrics gauges on chatserv's own {@code /metrics} (internal,
 * like {@code /health}): batches stored, their entries, the seconds they spent in flight and the
 * part of those in the call to chatfront, and the seconds the entries waited in the queue, all
 * since start. Over a window, entries ÷ batches is the batch size, seconds in flight ÷ the window's
 * seconds the mean number of batches in flight, seconds calling ÷ batches chatfront's answer time
 * as chatserv sees it, and seconds waiting ÷ entries an entry's wait for its batch; the bench's
 * {@code persist} and {@code latency} print them.
 */
@ApplicationScoped
public class StoreMetrics {

  @Inject MetricRegistry metrics;

  @Inject Batcher batcher;

  void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
    metrics.gauge("chatserv_store_batches", batcher, Batcher::batchesStored);
    metrics.gauge("chatserv_store_entries", batcher, Batcher::entriesStored);
    metrics.gauge("chatserv_store_seconds_in_flight", batcher, Batcher::secondsInFlight);
    metrics.gauge("chatserv_store_seconds_calling", batcher, Batcher::secondsCalling);
    metrics.gauge("chatserv_store_seconds_waiting", batcher, Batcher::secondsWaiting);
  }
}
