package teamchat.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Scenario 2, {@code latency}: send → receipt percentiles at fixed rates into the fan-out rooms,
 * open loop, chatserv against the Node reference round by round. Two rates: one both sides sustain
 * ({@code BENCH_LATENCY_SUSTAINED_RATE}), whose percentiles are service times, and one beyond the
 * chain's capacity ({@code BENCH_LATENCY_RATE}), whose percentiles say where saturation is: queues,
 * not service. Each round measures both, the sustained one first; {@link Bench#pause} lets the
 * servers drain a backlog before each next window.
 */
final class Latency implements Scenario {

  private static final double[] PERCENTILES = {50, 99, 99.9};
  private static final String[] PERCENTILE_NAMES = {"p50", "p99", "p99.9"};

  @Override
  public String name() {
    return "latency";
  }

  @Override
  public boolean usesNode() {
    return true;
  }

  /**
   * The percentiles of each round at one rate, of each side: send→receipt, and send→ack (chatserv
   * acks once the message is committed, Node as soon as it has it), which splits chatserv's delay
   * into storing and fanning out.
   */
  private record AtRate(
      double rate,
      List<List<Double>> chat,
      List<List<Double>> ref,
      List<List<Double>> chatAck,
      List<List<Double>> refAck,
      List<StorePath> storePaths) {
    AtRate(double rate) {
      this(rate, lists(), lists(), lists(), lists(), new ArrayList<>());
    }

    private static List<List<Double>> lists() {
      return List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  /**
   * Where chatserv's store path spent a window, from its own totals ({@link StoreCounters}):
   * entries per batch, an entry's wait in the queue, a batch's time in flight and the call to
   * chatfront in it (the rest of in flight: answering the senders and handing the entries to their
   * followers).
   */
  private record StorePath(double batchSize, double waiting, double inFlight, double calling) {
    static StorePath between(StoreCounters before, StoreCounters after) {
      return new StorePath(
          after.entriesPerBatchSince(before),
          after.millisWaitingPerEntrySince(before),
          after.millisInFlightPerBatchSince(before),
          after.millisCallingPerBatchSince(before));
    }

    static String describe(List<StorePath> paths) {
      return String.format(
          "%.1f entries per batch, an entry waited %.1f ms in the queue, a batch was %.1f ms in"
              + " flight, of which %.1f ms in the call to chatfront",
          Figure.median(paths.stream().map(StorePath::batchSize).toList()),
          Figure.median(paths.stream().map(StorePath::waiting).toList()),
          Figure.median(paths.stream().map(StorePath::inFlight).toList()),
          Figure.median(paths.stream().map(StorePath::calling).toList()));
    }
  }

  @Override
  public void run(Bench bench) throws Exception {
    List<AtRate> rates =
        List.of(
            new AtRate(bench.number("BENCH_LATENCY_SUSTAINED_RATE", 250)),
            new AtRate(bench.number("BENCH_LATENCY_RATE", 1000)));
    int receipts = FanOutRooms.ROOM_SIZE - 1;
    int rooms;
    // Fresh sockets (and tokens) for this scenario alone.
    try (FanOutRooms fanOut = FanOutRooms.open(bench)) {
      rooms = fanOut.rooms.size();
      Fleet chatserv = fanOut.chatserv;
      Fleet node = fanOut.node;
      double warmRate = rates.get(0).rate();
      bench.jitWarmUp(
          millis ->
              bench.pacedWindow(
                  chatserv, FanOutRooms.senders(chatserv), warmRate, false, receipts, millis));
      bench.pause();
      for (int round = 1; round <= bench.rounds; round++) {
        for (AtRate at : rates) {
          StoreCounters before = StoreCounters.read(bench.chatserv.webSocket());
          Bench.PacedWindow chatWindow =
              bench.pacedWindow(
                  chatserv,
                  FanOutRooms.senders(chatserv),
                  at.rate(),
                  false,
                  receipts,
                  bench.measureMillis);
          StorePath storePath =
              StorePath.between(before, StoreCounters.read(bench.chatserv.webSocket()));
          at.storePaths().add(storePath);
          bench.pause();
          Bench.PacedWindow refWindow =
              bench.pacedWindow(
                  node, FanOutRooms.senders(node), at.rate(), false, receipts, bench.measureMillis);
          bench.pause();
          Histogram a = chatWindow.receipts();
          Histogram b = refWindow.receipts();
          for (int p = 0; p < PERCENTILES.length; p++) {
            at.chat().get(p).add(Bench.millis(a, PERCENTILES[p]));
            at.ref().get(p).add(Bench.millis(b, PERCENTILES[p]));
            at.chatAck().get(p).add(Bench.millis(chatWindow.acks(), PERCENTILES[p]));
            at.refAck().get(p).add(Bench.millis(refWindow.acks(), PERCENTILES[p]));
          }
          bench.out.printf(
              "  round %d at %d msg/s: send→ack p50/p99 chatserv %.1f/%.1f ms, Node ws %.1f/%.1f ms;"
                  + " chatserv's store path: %s%n",
              round,
              (int) at.rate(),
              Bench.millis(chatWindow.acks(), 50),
              Bench.millis(chatWindow.acks(), 99),
              Bench.millis(refWindow.acks(), 50),
              Bench.millis(refWindow.acks(), 99),
              StorePath.describe(List.of(storePath)));
          bench.out.printf(
              "  round %d at %d msg/s: send→receipt p50/p99/p99.9 chatserv %.1f/%.1f/%.1f ms (%d), Node ws %.1f/%.1f/%.1f ms (%d)%n",
              round,
              (int) at.rate(),
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
    }
    for (AtRate at : rates) {
      for (int p = 0; p < PERCENTILE_NAMES.length; p++) {
        bench.results.add(
            new Figure(
                name(),
                "send→receipt " + PERCENTILE_NAMES[p] + " at " + (int) at.rate() + " msg/s in",
                "ms",
                "Node ws",
                false,
                at.chat().get(p),
                at.ref().get(p)));
        bench.results.add(
            new Figure(
                name(),
                "send→ack " + PERCENTILE_NAMES[p] + " at " + (int) at.rate() + " msg/s in",
                "ms",
                "Node ws",
                false,
                at.chatAck().get(p),
                at.refAck().get(p)));
      }
      bench.results.note(
          name()
              + ": open loop at "
              + (int) at.rate()
              + " msg/s into "
              + rooms
              + " rooms of "
              + FanOutRooms.ROOM_SIZE
              + " ("
              + (int) (at.rate() * receipts)
              + " deliveries/s asked), measured from the time each message was due"
              + " (no coordinated omission), on every member but the sender; send→ack on the"
              + " sender: chatserv acks once the message is committed, Node as soon as it has it;"
              + " chatserv's store path, medians of the rounds: "
              + StorePath.describe(at.storePaths()));
    }
  }
}
