package teamchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Scenario 3, {@code ack-latency}: send → ack (stored) percentiles at a fixed rate over 8 sockets
 * in their own rooms, against 8 JDBC connections doing one autocommit insert each at the same rate.
 */
final class AckLatency implements Scenario {

  private static final int CLIENTS = 8;

  @Override
  public String name() {
    return "ack-latency";
  }

  @Override
  public boolean usesNode() {
    return false;
  }

  @Override
  public void run(Bench bench) throws Exception {
    ChatSystem system = bench.system;
    double rate = bench.number("BENCH_ACK_RATE", 500);
    List<Long> rooms = system.createRooms(CLIENTS);
    List<Double> chat50 = new ArrayList<>();
    List<Double> chat99 = new ArrayList<>();
    List<Double> raw50 = new ArrayList<>();
    List<Double> raw99 = new ArrayList<>();
    try (Fleet fleet = Fleet.open(system.webSocket(), CLIENTS, i -> rooms.get(i), system.tokens());
        RawJdbc raw = new RawJdbc(system.jdbcUrl(), system.superuserPassword(), CLIENTS)) {
      bench.jitWarmUp(millis -> bench.pacedWindow(fleet, fleet.connections, rate, true, 0, millis));
      for (int round = 1; round <= bench.rounds; round++) {
        long before = Persist.lastMessageId(system);
        Histogram a =
            bench.pacedWindow(fleet, fleet.connections, rate, true, 0, bench.measureMillis).acks();
        double batchSize = Persist.messagesPerTransaction(system, before);
        bench.pause();
        Histogram b = pacedJdbc(bench, raw, rate);
        bench.pause();
        chat50.add(Bench.millis(a, 50));
        chat99.add(Bench.millis(a, 99));
        raw50.add(Bench.millis(b, 50));
        raw99.add(Bench.millis(b, 99));
        bench.out.printf(
            "  round %d: send→ack p50/p99 %.2f/%.2f ms (%d, %.1f per batch); raw insert+commit"
                + " p50/p99 %.2f/%.2f ms (%d)%n",
            round,
            Bench.millis(a, 50),
            Bench.millis(a, 99),
            a.getTotalCount(),
            batchSize,
            Bench.millis(b, 50),
            Bench.millis(b, 99),
            b.getTotalCount());
      }
    }
    bench.results.add(
        new Figure(
            name(),
            "send→ack p50 at " + (int) rate + " msg/s",
            "ms",
            "raw JDBC insert+commit p50",
            false,
            chat50,
            raw50));
    bench.results.add(
        new Figure(
            name(),
            "send→ack p99 at " + (int) rate + " msg/s",
            "ms",
            "raw JDBC insert+commit p99",
            false,
            chat99,
            raw99));
    bench.results.note(
        name()
            + ": open loop at "
            + (int) rate
            + " msg/s over 8 sockets (own rooms) vs 8 JDBC connections doing"
            + " one autocommit insert each at the same rate; both measured from the time each was due");
  }

  /** The raw JDBC side: inserts due at {@code rate}, timed from when each was due. */
  private static Histogram pacedJdbc(Bench bench, RawJdbc raw, double rate)
      throws InterruptedException {
    BlockingQueue<Long> due = new ArrayBlockingQueue<>(100_000);
    LongAdder failures = new LongAdder();
    Recorder recorder = new Recorder(3);
    List<Thread> workers = new ArrayList<>();
    long period = (long) (1e9 / rate);
    long poison = Long.MIN_VALUE;
    for (int c = 0; c < raw.clients(); c++) {
      int client = c;
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (long t = due.take(); t != poison; t = due.take()) {
                    try {
                      raw.insertOne(client);
                    } catch (java.sql.SQLException e) {
                      failures.increment();
                      continue;
                    }
                    recorder.recordValue(Math.max(0, System.nanoTime() - t));
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "raw-jdbc-paced-" + c);
      worker.start();
      workers.add(worker);
    }
    long start = System.nanoTime();
    long warmEnd = start + TimeUnit.MILLISECONDS.toNanos(bench.warmupMillis);
    long end = warmEnd + TimeUnit.MILLISECONDS.toNanos(bench.measureMillis);
    boolean reset = false;
    for (long k = 0; ; k++) {
      long when = start + k * period;
      if (when > end) {
        break;
      }
      long wait;
      while ((wait = when - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      if (!reset && when >= warmEnd) {
        recorder.getIntervalHistogram();
        reset = true;
      }
      due.offer(when);
    }
    for (int c = 0; c < workers.size(); c++) {
      due.put(poison);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (failures.sum() > 0) {
      String note = "raw JDBC: " + failures.sum() + " inserts failed in a paced window";
      bench.out.println("  (" + note + ")");
      bench.results.note(note);
    }
    return recorder.getIntervalHistogram();
  }
}
