package teamchat.chatserv.storage.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The batcher's totals as MicroProfile Metrics gauges on chatserv's own {@code /metrics} (internal,
 * like {@code /health}): batches stored, their entries, and the seconds they spent in flight, all
 * since start. Over a window, entries ÷ batches is the batch size, and seconds in flight ÷ the
 * window's seconds the mean number of batches in flight; the bench's {@code persist} prints both.
 */
@ApplicationScoped
public class StoreMetrics {

  @Inject MetricRegistry metrics;

  @Inject Batcher batcher;

  void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
    metrics.gauge("chatserv_store_batches", batcher, Batcher::batchesStored);
    metrics.gauge("chatserv_store_entries", batcher, Batcher::entriesStored);
    metrics.gauge("chatserv_store_seconds_in_flight", batcher, Batcher::secondsInFlight);
  }
}
