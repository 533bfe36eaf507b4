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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * {@code ./chat bench [scenario]}: starts the system and the reference peers, runs the scenarios
 * (issue 7; one class each, see {@link Scenario}) with the system and its reference interleaved
 * round by round, writes the results and stops everything it started. What the scenarios share
 * lives here: the settings, the started system and reference, the windows they measure in, and the
 * pause between them. Its output is its user interface, hence plain lines.
 */
public final class Bench {

  private final Path root;
  private final Path folder;
  private final Map<String, String> env;
  final PrintStream out;
  final Results results = new Results();
  final int rounds;
  final long warmupMillis;
  final long measureMillis;
  final long jitWarmupMillis;
  private final String serverCpus;
  ChatSystem system;
  private NodeBroadcastServer nodeServer;

  /** The two sides a scenario compares, once started. */
  Side chatserv;

  Side node;

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
    List<String> names =
        args.length > 1 && !args[1].equals("all") ? List.of(args[1].split(",")) : Scenario.names();
    List<Scenario> chosen = new ArrayList<>();
    for (String name : names) {
      Optional<Scenario> scenario = Scenario.named(name);
      if (scenario.isEmpty()) {
        System.err.println(
            "chat bench: unknown scenario '" + name + "'; one of " + Scenario.names() + " or all");
        System.exit(2);
      }
      chosen.add(scenario.get());
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path folder = root.resolve("bench-results").resolve(stamp);
    Bench bench = new Bench(root, folder, System.getenv(), System.out);
    int status = bench.run(chosen);
    System.exit(status);
  }

  int run(List<Scenario> scenarios) throws Exception {
    Files.createDirectories(folder);
    results.run.put("scenarios", scenarios.stream().map(Scenario::name).toList());
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
      if (scenarios.stream().anyMatch(Scenario::usesSharedSystem)) {
        system = startSystem("system", 1);
        chatserv = Side.chatserv(system);
      }
      if (scenarios.stream().anyMatch(Scenario::usesNode)) {
        Optional<NodeBroadcastServer.TokenCheck> tokenCheck =
            system == null
                ? Optional.empty()
                : Optional.of(
                    new NodeBroadcastServer.TokenCheck(
                        system.keySet(),
                        root.resolve(
                            "contract/src/main/resources/META-INF/microprofile-config.properties")));
        nodeServer =
            NodeBroadcastServer.start(
                root.resolve("bench/target/node"), serverCpus, out, tokenCheck);
        node = Side.node(nodeServer, system);
        results.run.put("node", nodeVersion());
        results.run.put("ws", NodeBroadcastServer.wsVersion());
      }
      for (Scenario scenario : scenarios) {
        out.println("== " + scenario.name());
        try {
          pause(); // what the previous scenario left queued is not this one's
          scenario.run(this);
        } catch (Exception e) {
          // A scenario that cannot run is reported; the others still run.
          status = 1;
          results.note(scenario.name() + ": did not complete: " + e);
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
      if (nodeServer != null) {
        nodeServer.close();
        nodeServer = null;
      }
      if (system != null) {
        out.println("chat bench: stopping the system ...");
        system.close();
        system = null;
        deletePostgresData("system");
      }
    } catch (IOException | InterruptedException e) {
      out.println("chat bench: stopping: " + e);
    }
  }

  /**
   * The database of the system in folder {@code name} is throw-away; the services' logs stay with
   * the results.
   */
  void deletePostgresData(String name) throws IOException {
    Path data = folder.resolve(name).resolve("postgres");
    if (Files.isDirectory(data)) {
      try (Stream<Path> walk = Files.walk(data)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  // ---- what the scenarios share

  /**
   * Starts {@code ./chat up} with {@code chatservInstances} chatserv instances, its data in the
   * results' folder {@code name}, and creates the bench users. A scenario that needs a system of
   * its own (a cluster) starts it with this and closes it when done.
   */
  /**
   * Starts a system of a scenario's own on a new data folder {@code name} of the results, with no
   * bench users: as a first {@code ./chat up} starts.
   */
  ChatSystem startFreshSystem(String name) throws Exception {
    return startFreshSystem(name, Map.of());
  }

  /** As above, with {@code settings} for {@code ./chat up} (e.g. one switched off). */
  ChatSystem startFreshSystem(String name, Map<String, String> settings) throws Exception {
    return ChatSystem.start(
        root, folder.resolve(name), javaOptions(), serverCpus, out, 1, settings);
  }

  /** The project folder. */
  Path root() {
    return root;
  }

  /** This run's results folder. */
  Path folder() {
    return folder;
  }

  /** The CPUs the servers are pinned to (taskset's list), or null when they are not. */
  String serverCpus() {
    return serverCpus;
  }

  ChatSystem startSystem(String name, int chatservInstances) throws Exception {
    ChatSystem started =
        ChatSystem.start(
            root,
            folder.resolve(name),
            javaOptions(),
            serverCpus,
            out,
            chatservInstances,
            Map.of());
    started.createUsers(USERS);
    return started;
  }

  /** How long a window waits after its end for the receipts and acks of its messages. */
  private static final long LATE_LIMIT_SECONDS = 120;

  /** The send→receipt and send→ack histograms (ns) of one paced window's measured messages. */
  record PacedWindow(Histogram receipts, Histogram acks) {}

  /**
   * One paced window; returns the histograms of the acks and of the receipts of the messages due in
   * the measured part, waiting after the window until every one of those it waits for has arrived:
   * the acks when {@code acks}, else the receipts (the other histogram holds what arrived of its
   * kind meanwhile). A late message counts with its whole delay, it is not cut off. {@code
   * receiptsPerMessage}: how many other members each message reaches.
   */
  PacedWindow pacedWindow(
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
    return new PacedWindow(paced.receipt.getIntervalHistogram(), paced.ack.getIntervalHistogram());
  }

  static double millis(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
  }

  // ---- helpers

  /** Warm up, then measure a counter's rate over {@code millis}. */
  double window(Runnable start, java.util.function.LongSupplier counter, long millis)
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
  interface Window {
    void run(long millis) throws Exception;
  }

  /**
   * Runs a scenario's window once, {@code BENCH_JIT_WARMUP_SECONDS} long, and throws its figures
   * away. A fresh JVM runs Payara's request path several times slower until the JIT has compiled it
   * (a trivial GET costs ~9 ms of CPU in the first hundreds, ~2 ms after thousands), which the
   * seconds of warm-up of each round do not cover; without this, round 1 measures the JIT.
   */
  void jitWarmUp(Window window) throws Exception {
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
  void pause() throws InterruptedException {
    pause(system);
  }

  /** As {@link #pause()}, watching {@code watched} (a scenario's own system) instead. */
  void pause(ChatSystem watched) throws InterruptedException {
    Thread.sleep(1000);
    long start = System.nanoTime();
    double before = serverCpuSeconds(watched);
    for (int second = 1; second <= SETTLE_LIMIT_SECONDS; second++) {
      Thread.sleep(1000);
      double now = serverCpuSeconds(watched);
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

  private double serverCpuSeconds(ChatSystem watched) {
    double total = watched == null ? 0 : watched.cpuSeconds();
    return nodeServer == null ? total : total + ProcessStats.cpuSeconds(nodeServer.pid());
  }

  /** The services' JVM options: {@code CHAT_JAVA_OPTS}, or -Xmx1g. */
  String javaOptions() {
    String options = env.getOrDefault("CHAT_JAVA_OPTS", "");
    return options.isBlank() ? "-Xmx1g" : options;
  }

  int number(String name, int fallback) {
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
