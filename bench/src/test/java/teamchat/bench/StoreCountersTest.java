package teamchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading chatserv's group commit gauges from its Prometheus text, and what two readings say. */
class StoreCountersTest {

  private static final String METRICS =
      """
      # TYPE chatserv_store_batches gauge
      chatserv_store_batches{mp_scope="application"} 120.0
      # TYPE chatserv_store_entries gauge
      chatserv_store_entries{mp_scope="application"} 480.0
      chatserv_store_seconds_in_flight{mp_scope="application"} 3.5
      chatserv_store_seconds_calling{mp_scope="application"} 2.5
      ft_circuitbreaker_opened_total{method="x"} 0.0
      """;

  @Test
  void gaugesAreReadByTheirExactName() {
    assertEquals(120.0, StoreCounters.gauge(METRICS, "chatserv_store_batches"));
    assertEquals(480.0, StoreCounters.gauge(METRICS, "chatserv_store_entries"));
    assertEquals(3.5, StoreCounters.gauge(METRICS, "chatserv_store_seconds_in_flight"));
    assertEquals(2.5, StoreCounters.gauge(METRICS, "chatserv_store_seconds_calling"));
    assertTrue(Double.isNaN(StoreCounters.gauge(METRICS, "chatserv_store")));
  }

  @Test
  void twoReadingsGiveTheBatchSizeTheMeanInFlightAndWhereABatchsTimeGoes() {
    StoreCounters before = new StoreCounters(100, 400, 2.0, 1.0, 0.5, 0);
    StoreCounters after = new StoreCounters(120, 480, 5.0, 2.0, 2.1, 2_000_000_000L);
    assertEquals(4.0, after.entriesPerBatchSince(before));
    assertEquals(1.5, after.meanInFlightSince(before));
    assertEquals(150.0, after.millisInFlightPerBatchSince(before), 1e-9);
    assertEquals(50.0, after.millisCallingPerBatchSince(before), 1e-9);
    assertEquals(20.0, after.millisWaitingPerEntrySince(before), 1e-9);
  }
}
