package teamchat.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Scenario 2, {@code latency}: send → receipt percentiles at a fixed rate into the fan-out rooms,
 * open loop, chatserv against the Node reference round by round.
 */
final class Latency implements Scenario {

  @Override
  public String name() {
    return "latency";
  }

  @Override
  public boolean usesNode() {
    return true;
  }

  @Override
  public void run(Bench bench) throws Exception {
    double rate = bench.number("BENCH_LATENCY_RATE", 1000);
    List<List<Double>> chat = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    List<List<Double>> ref = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    double[] percentiles = {50, 99, 99.9};
    int receipts = FanOutRooms.ROOM_SIZE - 1;
    int rooms;
    // Fresh sockets (and tokens) for this scenario alone.
    try (FanOutRooms fanOut = FanOutRooms.open(bench)) {
      rooms = fanOut.rooms.size();
      Fleet chatserv = fanOut.chatserv;
      Fleet node = fanOut.node;
      bench.jitWarmUp(
          millis ->
              bench.pacedWindow(
                  chatserv, FanOutRooms.senders(chatserv), rate, false, receipts, millis));
      for (int round = 1; round <= bench.rounds; round++) {
        Histogram a =
            bench.pacedWindow(
                chatserv,
                FanOutRooms.senders(chatserv),
                rate,
                false,
                receipts,
                bench.measureMillis);
        bench.pause();
        Histogram b =
            bench.pacedWindow(
                node, FanOutRooms.senders(node), rate, false, receipts, bench.measureMillis);
        bench.pause();
        for (int p = 0; p < percentiles.length; p++) {
          chat.get(p).add(Bench.millis(a, percentiles[p]));
          ref.get(p).add(Bench.millis(b, percentiles[p]));
        }
        bench.out.printf(
            "  round %d: send→receipt p50/p99/p99.9 chatserv %.1f/%.1f/%.1f ms (%d), Node ws %.1f/%.1f/%.1f ms (%d)%n",
            round,
            Bench.millis(a, 50),
            Bench.millis(a, 99),
            Bench.millis(a, 99.9),
            a.getTotalCount(),
            Bench.millis(b, 50),
            Bench.millis(b, 99),
            Bench.millis(b, 99.9),
            b.getTotalCount());
      }
    }
    String[] names = {"p50", "p99", "p99.9"};
    for (int p = 0; p < names.length; p++) {
      bench.results.add(
          new Figure(
              name(),
              "send→receipt " + names[p] + " at " + (int) rate + " msg/s in",
              "ms",
              "Node ws",
              false,
              chat.get(p),
              ref.get(p)));
    }
    bench.results.note(
        name()
            + ": open loop at "
            + (int) rate
            + " msg/s into "
            + rooms
            + " rooms of "
            + FanOutRooms.ROOM_SIZE
            + " ("
            + (int) (rate * FanOutRooms.ROOM_SIZE)
            + " deliveries/s asked), measured from the time each message was due"
            + " (no coordinated omission), on every member but the sender");
  }
}
