package teamchat.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Scenario 6, {@code largest-room}: the largest room (sizes doubled from 50) in which one sender at
 * a fixed rate still reaches every other member with p95 send → receipt ≤ 250 ms; on each side
 * until it fails or reaches {@code BENCH_MAX_ROOM}. Doubling only says that a side's limit lies
 * between its largest room and twice that, so a side that failed tries once more half-way between.
 */
final class LargestRoom implements Scenario {

  private static final long LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  @Override
  public String name() {
    return "largest-room";
  }

  @Override
  public boolean usesNode() {
    return true;
  }

  @Override
  public void run(Bench bench) throws Exception {
    ChatSystem system = bench.system;
    double rate = bench.number("BENCH_ROOM_RATE", 10);
    int max = bench.number("BENCH_MAX_ROOM", 3200);
    // Each side's largest room so far; a side leaves the map when a size fails it.
    Map<Side, Integer> best = new LinkedHashMap<>();
    best.put(bench.chatserv, 0);
    best.put(bench.node, 0);
    List<Side> going = new ArrayList<>(best.keySet());
    List<String> steps = new ArrayList<>();
    // The first step would otherwise measure chatserv's cold JVM (a p95 of 234 ms in a room of 50,
    // against 60 ms in a room of 100 right after it); ten times the rate to give the JIT work.
    long warmUpRoom = system.createRoom();
    try (Fleet fleet = Fleet.open(system.webSocket(), 50, i -> warmUpRoom, system.tokens())) {
      bench.jitWarmUp(millis -> oneSenderWindow(bench, fleet, rate * 10, millis));
    }
    for (int size = 50; size <= max && !going.isEmpty(); size *= 2) {
      StringBuilder step = new StringBuilder("size " + size + ":");
      for (Side side : List.copyOf(going)) {
        if (holds(bench, side, size, rate, step)) {
          best.put(side, size);
        } else {
          going.remove(side);
        }
        bench.pause();
      }
      bench.out.println("  " + step);
      steps.add(step.toString());
    }
    for (Side side : best.keySet()) {
      int largest = best.get(side);
      if (largest == 0 || going.contains(side)) {
        continue; // failed at the first size, or reached the cap: nothing lies between
      }
      int between = largest + largest / 2;
      StringBuilder step = new StringBuilder("size " + between + " (half-way):");
      if (holds(bench, side, between, rate, step)) {
        best.put(side, between);
      }
      bench.pause();
      bench.out.println("  " + step);
      steps.add(step.toString());
    }
    bench.results.add(
        new Figure(
            name(),
            "members with p95 send→receipt ≤ 250 ms at " + (int) rate + " msg/s",
            "members",
            "Node ws",
            true,
            List.of((double) best.get(bench.chatserv)),
            List.of((double) best.get(bench.node))));
    bench.results.note(
        name()
            + ": sizes doubled from 50 up to "
            + max
            + " (BENCH_MAX_ROOM), then half-way between a side's largest room and the size that"
            + " failed it; one sender at "
            + (int) rate
            + " msg/s; one pass, not interleaved rounds (each step opens fresh sockets); a side that reaches the cap stops there: "
            + steps);
  }

  /**
   * Whether a new room of {@code size} on this side gets every message to every other member with a
   * p95 within the limit; the p95 goes into {@code step}.
   */
  private static boolean holds(Bench bench, Side side, int size, double rate, StringBuilder step)
      throws Exception {
    long room = bench.system.createRoom();
    try (Fleet fleet = Fleet.open(side.webSocket(), size, i -> room, side.tokens())) {
      Histogram h = oneSenderWindow(bench, fleet, rate, bench.measureMillis);
      step.append(String.format(" %s p95 %.1f ms", side.name(), Bench.millis(h, 95)));
      return h.getTotalCount() > 0 && h.getValueAtPercentile(95) <= LIMIT_NANOS;
    }
  }

  /** Send → receipt on every other member while one member of the room sends at {@code rate}. */
  private static Histogram oneSenderWindow(Bench bench, Fleet fleet, double rate, long millis)
      throws InterruptedException {
    int others = fleet.connections.size() - 1;
    return bench
        .pacedWindow(fleet, List.of(fleet.connections.get(0)), rate, false, others, millis)
        .receipts();
  }
}
