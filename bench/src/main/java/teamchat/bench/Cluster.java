package teamchat.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Scenario {@code cluster} (issue 17): two chatserv instances in one Data Grid cluster, on a system
 * of its own ({@code CHATSERV_INSTANCES=2}; the sockets go to each instance's port, no load
 * balancer). Two figures, each a ratio in one run:
 *
 * <ul>
 *   <li>cross-instance delivery latency: open loop into rooms whose members alternate between the
 *       instances; send → receipt on the other instance (through the grid) against send → receipt
 *       on the sender's own instance, same messages, same windows;
 *   <li>throughput of two instances against one: closed-loop fan-out (as {@code fanout}) with each
 *       room's members spread over both instances, against the same number of sockets and rooms all
 *       on the first instance, alternating round by round.
 * </ul>
 */
final class Cluster implements Scenario {

  private static final int ROOM_SIZE = FanOutRooms.ROOM_SIZE;
  private static final String FOLDER = "cluster-system";
  private static final String FIRST = "chatserv";
  private static final String SECOND = "chatserv-2";

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public boolean usesNode() {
    return false;
  }

  @Override
  public boolean usesSharedSystem() {
    return false;
  }

  @Override
  public void run(Bench bench) throws Exception {
    int connections = bench.number("BENCH_CLUSTER_CONNECTIONS", 400);
    // Below what the chain stores on this machine (run B in BENCHMARKS.md): a saturated open loop
    // measures its queue, not the grid.
    double rate = bench.number("BENCH_CLUSTER_RATE", 10);
    int window = bench.number("BENCH_FANOUT_WINDOW", 4);
    int roomCount = Math.max(2, connections / ROOM_SIZE);
    int sockets = roomCount * ROOM_SIZE;
    List<Double> crossP50 = new ArrayList<>();
    List<Double> localP50 = new ArrayList<>();
    List<Double> crossP99 = new ArrayList<>();
    List<Double> localP99 = new ArrayList<>();
    List<Double> twoRate = new ArrayList<>();
    List<Double> oneRate = new ArrayList<>();
    bench.out.println("  starting a system with two chatserv instances in one Data Grid cluster");
    try (ChatSystem system = bench.startSystem(FOLDER, 2)) {
      URI first = system.webSocket(FIRST);
      URI second = system.webSocket(SECOND);
      List<Long> spreadRooms = system.createRooms(roomCount);
      List<Long> singleRooms = system.createRooms(roomCount);
      bench.out.printf(
          "  opening %d sockets spread over %s and %s, and %d all on %s (rooms of %d)%n",
          sockets, first, second, sockets, first, ROOM_SIZE);
      List<String> tokens = system.tokens();
      Fleet spread =
          Fleet.open(
              i -> onSecond(i) ? second : first,
              sockets,
              i -> spreadRooms.get(i / ROOM_SIZE),
              tokens);
      Fleet single =
          Fleet.open(first, sockets, i -> singleRooms.get(i / ROOM_SIZE), system.tokens());
      try {
        deliveries(bench, spread, window, bench.jitWarmupMillis);
        bench.pause(system);
        deliveries(bench, single, window, bench.jitWarmupMillis);
        bench.pause(system);
        for (int round = 1; round <= bench.rounds; round++) {
          double two = deliveries(bench, spread, window, bench.measureMillis);
          bench.pause(system);
          double one = deliveries(bench, single, window, bench.measureMillis);
          bench.pause(system);
          Histogram[] latency = latency(bench, spread, rate);
          bench.pause(system);
          twoRate.add(two);
          oneRate.add(one);
          crossP50.add(Bench.millis(latency[0], 50));
          localP50.add(Bench.millis(latency[1], 50));
          crossP99.add(Bench.millis(latency[0], 99));
          localP99.add(Bench.millis(latency[1], 99));
          bench.out.printf(
              "  round %d: two instances %.0f deliveries/s, one %.0f; send→receipt p50/p99 on the"
                  + " other instance %.1f/%.1f ms (%d), on the sender's %.1f/%.1f ms (%d)%n",
              round,
              two,
              one,
              Bench.millis(latency[0], 50),
              Bench.millis(latency[0], 99),
              latency[0].getTotalCount(),
              Bench.millis(latency[1], 50),
              Bench.millis(latency[1], 99),
              latency[1].getTotalCount());
        }
      } finally {
        spread.close();
        single.close();
      }
    } finally {
      bench.deletePostgresData(FOLDER);
    }
    bench.results.add(
        new Figure(
            name(),
            "deliveries/s, two instances",
            "deliveries/s",
            "one instance",
            true,
            twoRate,
            oneRate));
    bench.results.add(
        new Figure(
            name(),
            "send→receipt p50 on the other instance",
            "ms",
            "on the sender's instance",
            false,
            crossP50,
            localP50));
    bench.results.add(
        new Figure(
            name(),
            "send→receipt p99 on the other instance",
            "ms",
            "on the sender's instance",
            false,
            crossP99,
            localP99));
    bench.results.note(
        name()
            + ": its own system with CHATSERV_INSTANCES=2 (one Data Grid cluster over loopback,"
            + " four Payara Micros and PostgreSQL on this machine); throughput: "
            + sockets
            + " sockets in "
            + roomCount
            + " rooms of "
            + ROOM_SIZE
            + ", one sender per room with "
            + window
            + " messages in flight, each room's members alternating between the instances (and"
            + " its sender on either), against as many sockets and rooms all on the first instance"
            + " (the second, idle, still hears every entry on the grid); latency: open loop at "
            + (int) rate
            + " msg/s into the spread rooms, measured from the time each message was due, split"
            + " by whether the receiver is on the sender's instance");
  }

  /**
   * Whether socket {@code i} goes to the second instance: members alternate within a room, and the
   * sender (the room's first socket) is on the first instance in even rooms, the second in odd.
   */
  private static boolean onSecond(int i) {
    return (i / ROOM_SIZE + i) % 2 == 1;
  }

  /** Closed-loop fan-out, as {@code fanout}: deliveries per second over {@code millis}. */
  private static double deliveries(Bench bench, Fleet fleet, int window, long millis)
      throws InterruptedException {
    Load.ClosedLoopFanOut loop = new Load.ClosedLoopFanOut();
    fleet.setTraffic(loop);
    loop.start(FanOutRooms.senders(fleet), window);
    double rate = bench.window(() -> {}, loop.deliveries::sum, millis);
    loop.stop();
    return rate;
  }

  /**
   * One open-loop window on the spread fleet; the receipts of sockets on the sender's instance and
   * on the other one are recorded apart. Returns {other instance, sender's instance}.
   */
  private static Histogram[] latency(Bench bench, Fleet fleet, double rate)
      throws InterruptedException {
    Load.Paced sameInstance = new Load.Paced();
    Load.Paced otherInstance = new Load.Paced();
    for (ChatConnection connection : fleet.connections) {
      int sender = connection.index / ROOM_SIZE * ROOM_SIZE;
      connection.traffic =
          onSecond(connection.index) == onSecond(sender) ? sameInstance : otherInstance;
    }
    sameInstance.start(FanOutRooms.senders(fleet), rate);
    Thread.sleep(bench.warmupMillis);
    otherInstance.measureFromNow();
    sameInstance.measureFromNow();
    Thread.sleep(bench.measureMillis);
    sameInstance.measureUntilNow();
    otherInstance.measureUntilNow();
    sameInstance.stop();
    // Every member but the sender gets each message: half of them on the other instance.
    long expected = sameInstance.sentInWindow.sum() * (ROOM_SIZE - 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (sameInstance.receiptsInWindow.sum() + otherInstance.receiptsInWindow.sum() < expected
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    long missing =
        expected - sameInstance.receiptsInWindow.sum() - otherInstance.receiptsInWindow.sum();
    if (missing > 0 || sameInstance.refused.sum() > 0) {
      String note =
          String.format(
              "cluster: a latency window had %d of %d receipts missing after 60 s and %d sends"
                  + " refused (%s)",
              missing, expected, sameInstance.refused.sum(), sameInstance.lastRefusal);
      bench.out.println("  (" + note + ")");
      bench.results.note(note);
    }
    return new Histogram[] {
      otherInstance.receipt.getIntervalHistogram(), sameInstance.receipt.getIntervalHistogram()
    };
  }
}
