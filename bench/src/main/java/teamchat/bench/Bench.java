package teamchat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code ./chat bench [scenario]}: starts the system and the reference peers, runs the scenarios
 * (issue 7) with the system and its reference interleaved round by round, writes the results and
 * stops everything it started. Its output is its user interface, hence plain lines.
 */
public final class Bench {

  static final List<String> SCENARIOS =
      List.of("persist", "fanout", "ack-latency", "latency", "largest-room", "idle");

  private final Path root;
  private final Path folder;
  private final Map<String, String> env;
  private final PrintStream out;
  private final Results results = new Results();
  private final int rounds;
  private final long warmupMillis;
  private final long measureMillis;
  private final long jitWarmupMillis;
  private final String serverCpus;
  private ChatSystem system;
  private NodeBroadcastServer node;

  /** Fan-out topology: ROOMS rooms of ROOM_SIZE connections each. */
  private static final int ROOM_SIZE = 50;

  private static final int USERS = 50;

  Bench(Path root, Path folder, Map<String, String> env, PrintStream out) {
    this.root = root;
    this.folder = folder;
    this.env = env;
    this.out = out;
    this.rounds = number("BENCH_ROUNDS", 5);
    this.warmupMillis = number("BENCH_WARMUP_SECONDS", 3) * 1000L;
    this.measureMillis = number("BENCH_SECONDS", 10) * 1000L;
    this.jitWarmupMillis = number("BENCH_JIT_WARMUP_SECONDS", 20) * 1000L;
    String cpus = env.getOrDefault("BENCH_SERVER_CPUS", "");
    this.serverCpus = cpus.isBlank() ? null : cpus;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: Bench <project folder> [scenario|all]   (use ./chat bench)");
      System.exit(2);
    }
    Path root = Path.of(args[0]).toAbsolutePath();
    List<String> chosen =
        args.length > 1 && !args[1].equals("all") ? List.of(args[1].split(",")) : SCENARIOS;
    for (String scenario : chosen) {
      if (!SCENARIOS.contains(scenario)) {
        System.err.println(
            "chat bench: unknown scenario '" + scenario + "'; one of " + SCENARIOS + " or all");
        System.exit(2);
      }
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path folder = root.resolve("bench-results").resolve(stamp);
    Bench bench = new Bench(root, folder, System.getenv(), System.out);
    int status = bench.run(chosen);
    System.exit(status);
  }

  int run(List<String> scenarios) throws Exception {
    Files.createDirectories(folder);
    results.run.put("scenarios", scenarios);
    results.run.put("started", LocalDateTime.now().toString());
    results.run.put("rounds", rounds);
    results.run.put("warmup_s", warmupMillis / 1000);
    results.run.put("measure_s", measureMillis / 1000);
    results.run.put("jit_warmup_s", jitWarmupMillis / 1000);
    results.run.put("server_cpus", serverCpus == null ? "not pinned" : serverCpus);
    results.run.put("generator_cpus", env.getOrDefault("BENCH_GENERATOR_CPUS", "not pinned"));
    results.run.put("load_before", loadAverage());
    results.run.put("nproc", Runtime.getRuntime().availableProcessors());
    results.run.put("chat_java_opts", javaOptions());
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "bench-stop"));
    int status = 0;
    try {
      out.println("chat bench: results in " + folder);
      system = ChatSystem.start(root, folder.resolve("system"), javaOptions(), serverCpus, out);
      system.createUsers(USERS);
      if (scenarios.stream()
          .anyMatch(s -> List.of("fanout", "latency", "largest-room", "idle").contains(s))) {
        node = NodeBroadcastServer.start(root.resolve("bench/target/node"), serverCpus, out);
        results.run.put("node", nodeVersion());
        results.run.put("ws", NodeBroadcastServer.wsVersion());
      }
      for (String scenario : scenarios) {
        out.println("== " + scenario);
        try {
          pause(); // what the previous scenario left queued is not this one's

          switch (scenario) {
            case "persist" -> persist();
            case "fanout" -> fanOut();
            case "ack-latency" -> ackLatency();
            case "latency" -> fanOutLatency();
            case "largest-room" -> largestRoom();
            case "idle" -> idle();
            default -> throw new IllegalArgumentException(scenario);
          }
        } catch (Exception e) {
          // A scenario that cannot run is reported; the others still run.
          status = 1;
          results.note(scenario + ": did not complete: " + e);
          out.println("  failed: " + e);
        }
        results.write(folder);
      }
    } finally {
      results.run.put("load_after", loadAverage());
      results.write(folder);
      stopAll();
    }
    out.println();
    out.print(results.markdown());
    out.println(
        "\nchat bench: wrote " + folder.resolve("results.md") + ", results.json, results.html");
    return status;
  }

  private synchronized void stopAll() {
    try {
      if (node != null) {
        node.close();
        node = null;
      }
      if (system != null) {
        out.println("chat bench: stopping the system ...");
        system.close();
        system = null;
        deletePostgresData();
      }
    } catch (IOException | InterruptedException e) {
      out.println("chat bench: stopping: " + e);
    }
  }

  /** The database is throw-away; the services' logs stay with the results. */
  private void deletePostgresData() throws IOException {
    Path data = folder.resolve("system/postgres");
    if (Files.isDirectory(data)) {
      try (Stream<Path> walk = Files.walk(data)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  // ---- scenario 4: persist throughput

  private void persist() throws Exception {
    int clients = 8;
    List<Long> rooms = system.createRooms(clients);
    List<Double> chain = new ArrayList<>();
    List<Double> single = new ArrayList<>();
    List<Double> batched = new ArrayList<>();
    LongAdder refused = new LongAdder();
    try (Fleet fleet = Fleet.open(system.webSocket(), clients, i -> rooms.get(i), system.tokens());
        RawJdbc raw = new RawJdbc(system.jdbcUrl(), system.superuserPassword(), clients)) {
      jitWarmUp(
          millis -> {
            Load.ClosedLoopAcks loop = new Load.ClosedLoopAcks();
            fleet.setTraffic(loop);
            window(() -> loop.start(fleet.connections), loop.acks::sum, millis);
            loop.stop();
          });
      for (int round = 1; round <= rounds; round++) {
        Load.ClosedLoopAcks loop = new Load.ClosedLoopAcks();
        fleet.setTraffic(loop);
        double chainRate =
            window(() -> loop.start(fleet.connections), loop.acks::sum, measureMillis);
        loop.stop();
        refused.add(loop.refused.sum());
        pause();
        LongAdder rows = new LongAdder();
        LongAdder failures = new LongAdder();
        RawJdbc.Running running = raw.closedLoop(false, rows, failures);
        double singleRate = window(() -> {}, rows::sum, measureMillis);
        running.stop();
        LongAdder batchRows = new LongAdder();
        RawJdbc.Running batching = raw.closedLoop(true, batchRows, failures);
        double batchRate = window(() -> {}, batchRows::sum, measureMillis);
        batching.stop();
        chain.add(chainRate);
        single.add(singleRate);
        batched.add(batchRate);
        out.printf(
            "  round %d: chain %.0f msg/s, raw single-row %.0f rows/s, raw %d-row batches %.0f rows/s%n",
            round, chainRate, singleRate, RawJdbc.BATCH, batchRate);
        pause();
      }
    }
    results.add(
        new Figure(
            "4 persist",
            "stored messages/s, 8 clients",
            "msg/s",
            "raw JDBC single-row commits, 8 clients",
            true,
            chain,
            single));
    results.add(
        new Figure(
            "4 persist",
            "stored messages/s, 8 clients",
            "msg/s",
            "raw JDBC " + RawJdbc.BATCH + "-row batches, 8 clients",
            true,
            chain,
            batched));
    results.note(
        "4 persist: each of 8 sockets (own room) sends its next message on the ack of the previous one;"
            + " refused sends (not_stored/overloaded): "
            + refused.sum());
  }

  // ---- scenario 1: fan-out throughput

  private Fleet chatFanOut;
  private Fleet nodeFanOut;
  private List<Long> fanOutRooms;

  private void openFanOutFleets() throws Exception {
    if (chatFanOut != null) {
      return;
    }
    int connections = number("BENCH_FANOUT_CONNECTIONS", 1000);
    fanOutRooms = system.createRooms(Math.max(1, connections / ROOM_SIZE));
    out.printf(
        "  opening %d connections (rooms of %d) to chatserv and to Node ws%n",
        connections, ROOM_SIZE);
    chatFanOut =
        Fleet.open(
            system.webSocket(), connections, i -> fanOutRooms.get(i / ROOM_SIZE), system.tokens());
    nodeFanOut =
        Fleet.open(
            node.webSocket(),
            connections,
            i -> fanOutRooms.get(i / ROOM_SIZE),
            List.of("no-token"));
  }

  private static List<ChatConnection> senders(Fleet fleet) {
    return fleet.connections.stream().filter(c -> c.index % ROOM_SIZE == 0).toList();
  }

  private void fanOut() throws Exception {
    openFanOutFleets();
    int window = number("BENCH_FANOUT_WINDOW", 4);
    long chatserv = system.pid("chatserv");
    long self = ProcessHandle.current().pid();
    List<Double> chatRate = new ArrayList<>();
    List<Double> nodeRate = new ArrayList<>();
    List<Double> chatPerCpu = new ArrayList<>();
    List<Double> nodePerCpu = new ArrayList<>();
    List<String> cpuNotes = new ArrayList<>();
    jitWarmUp(millis -> fanOutWindow(chatFanOut, window, chatserv, self, millis));
    for (int round = 1; round <= rounds; round++) {
      double[] a = fanOutWindow(chatFanOut, window, chatserv, self, measureMillis);
      pause();
      double[] b = fanOutWindow(nodeFanOut, window, node.pid(), self, measureMillis);
      pause();
      chatRate.add(a[0]);
      nodeRate.add(b[0]);
      chatPerCpu.add(a[0] / a[1]);
      nodePerCpu.add(b[0] / b[1]);
      cpuNotes.add(String.format("%.2f/%.2f", a[2], b[2]));
      out.printf(
          "  round %d: chatserv %.0f deliveries/s (%.2f CPU-s/s), Node ws %.0f deliveries/s (%.2f CPU-s/s); generator %.2f / %.2f CPU-s/s%n",
          round, a[0], a[1], b[0], b[1], a[2], b[2]);
    }
    results.add(
        new Figure(
            "1 fan-out", "deliveries/s", "deliveries/s", "Node ws", true, chatRate, nodeRate));
    results.add(
        new Figure(
            "1 fan-out",
            "deliveries per server CPU-second",
            "deliveries/CPU-s",
            "Node ws",
            true,
            chatPerCpu,
            nodePerCpu));
    results.note(
        "1 fan-out: "
            + chatFanOut.connections.size()
            + " sockets, rooms of "
            + ROOM_SIZE
            + ", one sender per room with "
            + window
            + " messages in flight (next on its own message's return), "
            + Load.BODY_SIZE
            + "-byte bodies; server CPU = the chatserv process only (chatfront and PostgreSQL also work for chatserv);"
            + " generator CPU-s/s per round (chatserv/Node): "
            + cpuNotes);
    closeFanOutFleets(); // the next scenario opens its own, with fresh tokens
  }

  /** deliveries/s, server CPU-s per s, generator CPU-s per s. */
  private double[] fanOutWindow(
      Fleet fleet, int window, long serverPid, long generatorPid, long millis)
      throws InterruptedException {
    Load.ClosedLoopFanOut loop = new Load.ClosedLoopFanOut();
    fleet.setTraffic(loop);
    loop.start(senders(fleet), window);
    Thread.sleep(warmupMillis);
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

  // ---- scenario 2: fan-out latency at a fixed rate

  private void fanOutLatency() throws Exception {
    openFanOutFleets();
    double rate = number("BENCH_LATENCY_RATE", 1000);
    List<List<Double>> chat = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    List<List<Double>> ref = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    double[] percentiles = {50, 99, 99.9};
    jitWarmUp(
        millis -> pacedWindow(chatFanOut, senders(chatFanOut), rate, false, ROOM_SIZE - 1, millis));
    for (int round = 1; round <= rounds; round++) {
      Histogram a =
          pacedWindow(chatFanOut, senders(chatFanOut), rate, false, ROOM_SIZE - 1, measureMillis);
      pause();
      Histogram b =
          pacedWindow(nodeFanOut, senders(nodeFanOut), rate, false, ROOM_SIZE - 1, measureMillis);
      pause();
      for (int p = 0; p < percentiles.length; p++) {
        chat.get(p).add(millis(a, percentiles[p]));
        ref.get(p).add(millis(b, percentiles[p]));
      }
      out.printf(
          "  round %d: send→receipt p50/p99/p99.9 chatserv %.1f/%.1f/%.1f ms (%d), Node ws %.1f/%.1f/%.1f ms (%d)%n",
          round,
          millis(a, 50),
          millis(a, 99),
          millis(a, 99.9),
          a.getTotalCount(),
          millis(b, 50),
          millis(b, 99),
          millis(b, 99.9),
          b.getTotalCount());
    }
    closeFanOutFleets();
    String[] names = {"p50", "p99", "p99.9"};
    for (int p = 0; p < names.length; p++) {
      results.add(
          new Figure(
              "2 fan-out latency",
              "send→receipt " + names[p] + " at " + (int) rate + " msg/s in",
              "ms",
              "Node ws",
              false,
              chat.get(p),
              ref.get(p)));
    }
    results.note(
        "2 fan-out latency: open loop at "
            + (int) rate
            + " msg/s into "
            + fanOutRooms.size()
            + " rooms of "
            + ROOM_SIZE
            + " ("
            + (int) (rate * ROOM_SIZE)
            + " deliveries/s asked), measured from the time each message was due"
            + " (no coordinated omission), on every member but the sender");
  }

  /** How long a window waits after its end for the receipts and acks of its messages. */
  private static final long LATE_LIMIT_SECONDS = 120;

  /**
   * One paced window; returns the histogram, in ns, of the acks (when {@code acks}) or else of the
   * receipts of the messages due in the measured part, waiting after the window until every one of
   * them has arrived: a late message counts with its whole delay, it is not cut off. {@code
   * receiptsPerMessage}: how many other members each message reaches.
   */
  private Histogram pacedWindow(
      Fleet fleet,
      List<ChatConnection> senders,
      double rate,
      boolean acks,
      int receiptsPerMessage,
      long millis)
      throws InterruptedException {
    Load.Paced paced = new Load.Paced();
    fleet.setTraffic(paced);
    long drops = fleet.drops.sum();
    paced.start(senders, rate);
    Thread.sleep(warmupMillis);
    paced.measureFromNow();
    Thread.sleep(millis);
    paced.measureUntilNow();
    paced.stop();
    long expected = paced.sentInWindow.sum() * (acks ? 1 : receiptsPerMessage);
    java.util.function.LongSupplier arrived =
        acks ? paced.acksInWindow::sum : paced.receiptsInWindow::sum;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LATE_LIMIT_SECONDS);
    while (arrived.getAsLong() < expected && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    long refused = paced.refused.sum();
    long dropped = fleet.drops.sum() - drops;
    if (refused > 0 || dropped > 0) {
      String note =
          String.format(
              "a window had %d sends refused (error frames: %s) and %d sockets closed by the server (%s)",
              refused, paced.lastRefusal, dropped, fleet.lastDrop);
      out.println("  (" + note + ")");
      results.note(note);
    }
    long missing = expected - arrived.getAsLong();
    if (missing > 0) {
      String note =
          String.format(
              "%d of %d %s of a window had not arrived %d s after it (left out of its percentiles)",
              missing, expected, acks ? "acks" : "receipts", LATE_LIMIT_SECONDS);
      out.println("  (" + note + ")");
      results.note(note);
    }
    return (acks ? paced.ack : paced.receipt).getIntervalHistogram();
  }

  static double millis(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
  }

  // ---- scenario 3: persisted-ack latency at a fixed rate

  private void ackLatency() throws Exception {
    int clients = 8;
    double rate = number("BENCH_ACK_RATE", 500);
    List<Long> rooms = system.createRooms(clients);
    List<Double> chat50 = new ArrayList<>();
    List<Double> chat99 = new ArrayList<>();
    List<Double> raw50 = new ArrayList<>();
    List<Double> raw99 = new ArrayList<>();
    try (Fleet fleet = Fleet.open(system.webSocket(), clients, i -> rooms.get(i), system.tokens());
        RawJdbc raw = new RawJdbc(system.jdbcUrl(), system.superuserPassword(), clients)) {
      jitWarmUp(millis -> pacedWindow(fleet, fleet.connections, rate, true, 0, millis));
      for (int round = 1; round <= rounds; round++) {
        Histogram a = pacedWindow(fleet, fleet.connections, rate, true, 0, measureMillis);
        pause();
        Histogram b = pacedJdbc(raw, rate);
        pause();
        chat50.add(millis(a, 50));
        chat99.add(millis(a, 99));
        raw50.add(millis(b, 50));
        raw99.add(millis(b, 99));
        out.printf(
            "  round %d: send→ack p50/p99 %.2f/%.2f ms (%d); raw insert+commit p50/p99 %.2f/%.2f ms (%d)%n",
            round,
            millis(a, 50),
            millis(a, 99),
            a.getTotalCount(),
            millis(b, 50),
            millis(b, 99),
            b.getTotalCount());
      }
    }
    results.add(
        new Figure(
            "3 ack latency",
            "send→ack p50 at " + (int) rate + " msg/s",
            "ms",
            "raw JDBC insert+commit p50",
            false,
            chat50,
            raw50));
    results.add(
        new Figure(
            "3 ack latency",
            "send→ack p99 at " + (int) rate + " msg/s",
            "ms",
            "raw JDBC insert+commit p99",
            false,
            chat99,
            raw99));
    results.note(
        "3 ack latency: open loop at "
            + (int) rate
            + " msg/s over 8 sockets (own rooms) vs 8 JDBC connections doing"
            + " one autocommit insert each at the same rate; both measured from the time each was due");
  }

  private Histogram pacedJdbc(RawJdbc raw, double rate) throws InterruptedException {
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
    long warmEnd = start + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
    long end = warmEnd + TimeUnit.MILLISECONDS.toNanos(measureMillis);
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
      out.println("  (" + note + ")");
      results.note(note);
    }
    return recorder.getIntervalHistogram();
  }

  // ---- scenario 6: largest room with p95 send→receipt ≤ 250 ms

  /** Send → receipt on every other member while one member of the room sends at {@code rate}. */
  private Histogram oneSenderWindow(Fleet fleet, double rate, long millis)
      throws InterruptedException {
    int others = fleet.connections.size() - 1;
    return pacedWindow(fleet, List.of(fleet.connections.get(0)), rate, false, others, millis);
  }

  private void largestRoom() throws Exception {
    double rate = number("BENCH_ROOM_RATE", 10);
    int max = number("BENCH_MAX_ROOM", 3200);
    long limitNanos = TimeUnit.MILLISECONDS.toNanos(250);
    int chatBest = 0;
    int nodeBest = 0;
    boolean chatDone = false;
    boolean nodeDone = false;
    List<String> steps = new ArrayList<>();
    // The first step would otherwise measure chatserv's cold JVM (a p95 of 234 ms in a room of 50,
    // against 60 ms in a room of 100 right after it); ten times the rate to give the JIT work.
    long warmUpRoom = system.createRoom();
    try (Fleet fleet = Fleet.open(system.webSocket(), 50, i -> warmUpRoom, system.tokens())) {
      jitWarmUp(millis -> oneSenderWindow(fleet, rate * 10, millis));
    }
    for (int size = 50; size <= max && !(chatDone && nodeDone); size *= 2) {
      long room = system.createRoom();
      int members = size;
      StringBuilder step = new StringBuilder("size " + size + ":");
      if (!chatDone) {
        try (Fleet fleet = Fleet.open(system.webSocket(), members, i -> room, system.tokens())) {
          Histogram h = oneSenderWindow(fleet, rate, measureMillis);
          double p95 = millis(h, 95);
          step.append(String.format(" chatserv p95 %.1f ms", p95));
          if (h.getTotalCount() > 0 && h.getValueAtPercentile(95) <= limitNanos) {
            chatBest = size;
          } else {
            chatDone = true;
          }
        }
        pause();
      }
      if (!nodeDone) {
        try (Fleet fleet = Fleet.open(node.webSocket(), members, i -> room, List.of("no-token"))) {
          Histogram h = oneSenderWindow(fleet, rate, measureMillis);
          double p95 = millis(h, 95);
          step.append(String.format(" Node ws p95 %.1f ms", p95));
          if (h.getTotalCount() > 0 && h.getValueAtPercentile(95) <= limitNanos) {
            nodeBest = size;
          } else {
            nodeDone = true;
          }
        }
        pause();
      }
      out.println("  " + step);
      steps.add(step.toString());
    }
    results.add(
        new Figure(
            "6 largest room",
            "members with p95 send→receipt ≤ 250 ms at " + (int) rate + " msg/s",
            "members",
            "Node ws",
            true,
            List.of((double) chatBest),
            List.of((double) nodeBest)));
    results.note(
        "6 largest room: sizes doubled from 50 up to "
            + max
            + " (BENCH_MAX_ROOM); one sender at "
            + (int) rate
            + " msg/s; one pass, not interleaved rounds (each step opens fresh sockets); a side that reaches the cap stops there: "
            + steps);
  }

  // ---- scenario 5: idle connections

  private void idle() throws Exception {
    closeFanOutFleets();
    int count = number("BENCH_IDLE_CONNECTIONS", 15_000);
    int seconds = number("BENCH_IDLE_SECONDS", 600);
    long chatserv = system.pid("chatserv");
    double[] a =
        holdIdle("chatserv", system.webSocket(), system.tokens(), chatserv, count, seconds, true);
    double[] b =
        holdIdle(
            "Node ws", node.webSocket(), List.of("no-token"), node.pid(), count, seconds, false);
    results.add(
        new Figure(
            "5 idle", "RSS per connection", "KB", "Node ws", false, List.of(a[0]), List.of(b[0])));
    results.add(
        new Figure(
            "5 idle",
            "drops while held",
            "sockets",
            "Node ws",
            false,
            List.of(a[1]),
            List.of(b[1])));
    results.note(
        String.format(
            "5 idle: %d signed-in sockets (no room followed) held %d s on each server, one after the other;"
                + " chatserv heap after a full GC: %.1f KB per connection (-Xmx from CHAT_JAVA_OPTS)",
            count, seconds, a[2]));
  }

  private void closeFanOutFleets() {
    if (chatFanOut != null) {
      chatFanOut.close();
      nodeFanOut.close();
      chatFanOut = null;
      nodeFanOut = null;
    }
  }

  /** RSS KB per connection, drops, heap KB per connection (NaN for Node). */
  private double[] holdIdle(
      String name,
      java.net.URI uri,
      List<String> tokens,
      long pid,
      int count,
      int seconds,
      boolean java)
      throws Exception {
    double heap0 = java ? heapUsedKb(pid) : Double.NaN;
    long rss0 = ProcessStats.rssBytes(pid);
    out.printf("  %s: opening %d sockets ...%n", name, count);
    long t0 = System.nanoTime();
    try (Fleet fleet = Fleet.open(uri, count, i -> 0, tokens)) {
      out.printf(
          "  %s: %d sockets open in %.1f s; holding %d s%n",
          name, count, (System.nanoTime() - t0) / 1e9, seconds);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end && fleet.drops.sum() == 0) {
        Thread.sleep(1000);
      }
      double heap1 = java ? heapUsedKb(pid) : Double.NaN;
      long rss1 = ProcessStats.rssBytes(pid);
      long drops = fleet.drops.sum();
      out.printf(
          "  %s: drops %d%s; RSS +%.1f KB/conn%s%n",
          name,
          drops,
          drops > 0 ? " (" + fleet.lastDrop + ")" : "",
          (rss1 - rss0) / 1024.0 / count,
          java ? String.format(", heap +%.1f KB/conn", (heap1 - heap0) / count) : "");
      return new double[] {(rss1 - rss0) / 1024.0 / count, drops, (heap1 - heap0) / count};
    }
  }

  /** Used heap after a full GC, from jcmd. */
  private static double heapUsedKb(long pid) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    new ProcessBuilder(jcmd, Long.toString(pid), "GC.run")
        .redirectErrorStream(true)
        .start()
        .waitFor();
    Process info =
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info")
            .redirectErrorStream(true)
            .start();
    String text = new String(info.getInputStream().readAllBytes());
    info.waitFor();
    java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(text);
    return used.find() ? Double.parseDouble(used.group(1)) : Double.NaN;
  }

  // ---- helpers

  /** Warm up, then measure a counter's rate over {@code millis}. */
  private double window(Runnable start, java.util.function.LongSupplier counter, long millis)
      throws InterruptedException {
    start.run();
    Thread.sleep(warmupMillis);
    long c0 = counter.getAsLong();
    long t0 = System.nanoTime();
    Thread.sleep(millis);
    long c1 = counter.getAsLong();
    return (c1 - c0) / ((System.nanoTime() - t0) / 1e9);
  }

  /** A window of a scenario, measured for the given milliseconds. */
  @FunctionalInterface
  private interface Window {
    void run(long millis) throws Exception;
  }

  /**
   * Runs a scenario's window once, {@code BENCH_JIT_WARMUP_SECONDS} long, and throws its figures
   * away. A fresh JVM runs Payara's request path several times slower until the JIT has compiled it
   * (a trivial GET costs ~9 ms of CPU in the first hundreds, ~2 ms after thousands), which the
   * seconds of warm-up of each round do not cover; without this, round 1 measures the JIT.
   */
  private void jitWarmUp(Window window) throws Exception {
    window.run(jitWarmupMillis);
    pause();
  }

  /** Servers using less than this share of a core count as idle. */
  private static final double IDLE_CPU = 0.15;

  /** Longest wait for the servers to become idle before the next window starts anyway. */
  private static final long SETTLE_LIMIT_SECONDS = 90;

  /**
   * Waits until the servers are idle again, so that what one window left queued (an open-loop
   * window past saturation leaves a backlog) is not measured in the next one: at least a second,
   * then until the system (services and PostgreSQL) and Node together used under {@link #IDLE_CPU}
   * of a core over a second. A wait beyond a few seconds is printed and noted in the results.
   */
  private void pause() throws InterruptedException {
    Thread.sleep(1000);
    long start = System.nanoTime();
    double before = serverCpuSeconds();
    for (int second = 1; second <= SETTLE_LIMIT_SECONDS; second++) {
      Thread.sleep(1000);
      double now = serverCpuSeconds();
      if (now - before < IDLE_CPU) {
        if (second > 3) {
          out.printf("  (servers drained a backlog for %d s)%n", second);
        }
        return;
      }
      before = now;
    }
    String busy =
        String.format(
            "servers still busy %d s after a window; the next one started anyway",
            (System.nanoTime() - start) / 1_000_000_000L);
    out.println("  (" + busy + ")");
    results.note(busy);
  }

  private double serverCpuSeconds() {
    double total = system == null ? 0 : system.cpuSeconds();
    return node == null ? total : total + ProcessStats.cpuSeconds(node.pid());
  }

  private String javaOptions() {
    String options = env.getOrDefault("CHAT_JAVA_OPTS", "");
    return options.isBlank() ? "-Xmx1g" : options;
  }

  private int number(String name, int fallback) {
    String value = env.getOrDefault(name, "");
    return value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return version;
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }
}
