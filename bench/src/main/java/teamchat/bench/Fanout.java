package teamchat.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 1, {@code fanout}: deliveries per second and per server CPU-second, one sender per room
 * keeping a window of messages in flight, chatserv against the Node reference round by round.
 */
final class Fanout implements Scenario {

  @Override
  public String name() {
    return "fanout";
  }

  @Override
  public boolean usesNode() {
    return true;
  }

  @Override
  public void run(Bench bench) throws Exception {
    int window = bench.number("BENCH_FANOUT_WINDOW", 4);
    long self = ProcessHandle.current().pid();
    List<Double> chatRate = new ArrayList<>();
    List<Double> nodeRate = new ArrayList<>();
    List<Double> chatPerCpu = new ArrayList<>();
    List<Double> nodePerCpu = new ArrayList<>();
    List<String> cpuNotes = new ArrayList<>();
    // Fresh sockets (and tokens) for this scenario alone.
    try (FanOutRooms fanOut = FanOutRooms.open(bench)) {
      long chatserv = bench.chatserv.pid();
      long node = bench.node.pid();
      bench.jitWarmUp(millis -> window(bench, fanOut.chatserv, window, chatserv, self, millis));
      for (int round = 1; round <= bench.rounds; round++) {
        double[] a = window(bench, fanOut.chatserv, window, chatserv, self, bench.measureMillis);
        bench.pause();
        double[] b = window(bench, fanOut.node, window, node, self, bench.measureMillis);
        bench.pause();
        chatRate.add(a[0]);
        nodeRate.add(b[0]);
        chatPerCpu.add(a[0] / a[1]);
        nodePerCpu.add(b[0] / b[1]);
        cpuNotes.add(String.format("%.2f/%.2f", a[2], b[2]));
        bench.out.printf(
            "  round %d: chatserv %.0f deliveries/s (%.2f CPU-s/s), Node ws %.0f deliveries/s (%.2f CPU-s/s); generator %.2f / %.2f CPU-s/s%n",
            round, a[0], a[1], b[0], b[1], a[2], b[2]);
      }
      bench.results.add(
          new Figure(name(), "deliveries/s", "deliveries/s", "Node ws", true, chatRate, nodeRate));
      bench.results.add(
          new Figure(
              name(),
              "deliveries per server CPU-second",
              "deliveries/CPU-s",
              "Node ws",
              true,
              chatPerCpu,
              nodePerCpu));
      bench.results.note(
          name()
              + ": "
              + fanOut.chatserv.connections.size()
              + " sockets, rooms of "
              + FanOutRooms.ROOM_SIZE
              + ", one sender per room with "
              + window
              + " messages in flight (next on its own message's return), "
              + Load.BODY_SIZE
              + "-byte bodies; server CPU = the chatserv process only (chatfront and PostgreSQL also work for chatserv);"
              + " generator CPU-s/s per round (chatserv/Node): "
              + cpuNotes);
    }
  }

  /** deliveries/s, server CPU-s per s, generator CPU-s per s. */
  private static double[] window(
      Bench bench, Fleet fleet, int window, long serverPid, long generatorPid, long millis)
      throws InterruptedException {
    Load.ClosedLoopFanOut loop = new Load.ClosedLoopFanOut();
    fleet.setTraffic(loop);
    loop.start(FanOutRooms.senders(fleet), window);
    Thread.sleep(bench.warmupMillis);
    long d0 = loop.deliveries.sum();
    double cpu0 = ProcessStats.cpuSeconds(serverPid);
    double gen0 = ProcessStats.cpuSeconds(generatorPid);
    long t0 = System.nanoTime();
    Thread.sleep(millis);
    long d1 = loop.deliveries.sum();
    double cpu1 = ProcessStats.cpuSeconds(serverPid);
    double gen1 = ProcessStats.cpuSeconds(generatorPid);
    double seconds = (System.nanoTime() - t0) / 1e9;
    loop.stop();
    return new double[] {(d1 - d0) / seconds, (cpu1 - cpu0) / seconds, (gen1 - gen0) / seconds};
  }
}
