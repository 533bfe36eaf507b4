package teamchat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 5, {@code idle}: many signed-in sockets that follow no room, held for a while on each
 * side, one after the other: drops, RSS per socket, and chatserv's heap per socket after a full GC.
 */
final class Idle implements Scenario {

  @Override
  public String name() {
    return "idle";
  }

  @Override
  public boolean usesNode() {
    return true;
  }

  @Override
  public void run(Bench bench) throws Exception {
    int count = bench.number("BENCH_IDLE_CONNECTIONS", 15_000);
    int seconds = bench.number("BENCH_IDLE_SECONDS", 600);
    double[] a = hold(bench, bench.chatserv, count, seconds);
    double[] b = hold(bench, bench.node, count, seconds);
    bench.results.add(
        new Figure(
            name(), "RSS per connection", "KB", "Node ws", false, List.of(a[0]), List.of(b[0])));
    bench.results.add(
        new Figure(
            name(), "drops while held", "sockets", "Node ws", false, List.of(a[1]), List.of(b[1])));
    bench.results.note(
        String.format(
            "%s: %d signed-in sockets (no room followed) held %d s on each server, one after the other;"
                + " chatserv live heap after a full GC: %.1f KB per connection (-Xmx from CHAT_JAVA_OPTS)",
            name(), count, seconds, a[2]));
  }

  /** RSS KB per connection, drops, heap KB per connection (NaN for a server that is no JVM). */
  private static double[] hold(Bench bench, Side side, int count, int seconds) throws Exception {
    long pid = side.pid();
    boolean java = side.isJava();
    Map<String, long[]> heap0 = java ? liveHeap(pid) : Map.of();
    boolean tracked = java && jcmd(pid, "VM.native_memory", "baseline").contains("Baseline");
    long rss0 = ProcessStats.rssBytes(pid);
    bench.out.printf("  %s: opening %d sockets ...%n", side.name(), count);
    // Before the clock starts: tokens() signs the bench's people in again when theirs are old.
    List<String> tokens = side.tokens();
    long t0 = System.nanoTime();
    double cpu0 = ProcessStats.cpuSeconds(pid);
    double[] measured;
    try (Fleet fleet = Fleet.open(side.webSocket(), count, i -> 0, tokens)) {
      bench.out.printf(
          "  %s: %s; holding %d s%n", side.name(), opened(pid, count, t0, cpu0), seconds);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end && fleet.drops.sum() == 0) {
        Thread.sleep(1000);
      }
      Map<String, long[]> heap1 = java ? liveHeap(pid) : Map.of();
      double heapKbPerSocket =
          java ? (bytes(heap1, TOTAL) - bytes(heap0, TOTAL)) / 1024.0 / count : Double.NaN;
      long rss1 = ProcessStats.rssBytes(pid);
      long drops = fleet.drops.sum();
      bench.out.printf(
          "  %s: drops %d%s; RSS +%.1f KB/conn%s%n",
          side.name(),
          drops,
          drops > 0 ? " (" + fleet.lastDrop + ")" : "",
          (rss1 - rss0) / 1024.0 / count,
          java ? String.format(", live heap +%.1f KB/conn", heapKbPerSocket) : "");
      if (java) {
        // What each socket keeps alive: the classes whose live bytes grew most.
        heap1.entrySet().stream()
            .filter(e -> !e.getKey().equals(TOTAL))
            .sorted(
                Comparator.comparingLong(
                    (Map.Entry<String, long[]> e) -> bytes(heap0, e.getKey()) - e.getValue()[1]))
            .limit(15)
            .forEach(
                e ->
                    bench.out.printf(
                        "    %+8.0f B/conn %+7.2f obj/conn  %s%n",
                        (e.getValue()[1] - bytes(heap0, e.getKey())) / (double) count,
                        (e.getValue()[0] - instances(heap0, e.getKey())) / (double) count,
                        e.getKey()));
      }
      if (tracked) {
        // Where the RSS went, by the JVM's own account (CHAT_JAVA_OPTS with
        // -XX:NativeMemoryTracking=summary): one line per category whose committed size moved.
        jcmd(pid, "VM.native_memory", "summary.diff", "scale=MB")
            .lines()
            .filter(line -> line.matches("^(-|Total).*committed=\\d+MB [+-]\\d+MB.*"))
            .forEach(line -> bench.out.printf("    %s%n", line.strip()));
      }
      measured = new double[] {(rss1 - rss0) / 1024.0 / count, drops, heapKbPerSocket};
    }
    if (bench.number("BENCH_IDLE_WARM_STORM", 1) > 0) {
      warmStorm(bench, side, count);
    }
    return measured;
  }

  /**
   * Opens and closes as many sockets again, once the first fleet is closed and the servers have
   * settled: the connect storm on a warm server. The first storm runs on a JVM that has just
   * started, where the JIT's compilations and the collections of a heap that grows by hundreds of
   * megabytes fall differently in each run; this one shows the cost per socket of the code itself.
   */
  private static void warmStorm(Bench bench, Side side, int count) throws Exception {
    bench.pause();
    long pid = side.pid();
    List<String> tokens = side.tokens();
    long t0 = System.nanoTime();
    double cpu0 = ProcessStats.cpuSeconds(pid);
    try (Fleet fleet = Fleet.open(side.webSocket(), count, i -> 0, tokens)) {
      bench.out.printf("  %s, warm: %s%n", side.name(), opened(pid, count, t0, cpu0));
    }
    bench.pause();
  }

  /** How long a fleet of {@code count} took to open since {@code t0}, and the server's CPU each. */
  private static String opened(long pid, int count, long t0, double cpu0) {
    return String.format(
        "%d sockets open in %.1f s, %.2f ms of server CPU each",
        count,
        (System.nanoTime() - t0) / 1e9,
        (ProcessStats.cpuSeconds(pid) - cpu0) * 1000 / count);
  }

  /** The histogram's line of all classes together. */
  private static final String TOTAL = "Total";

  /**
   * The live heap by class after a full GC ({@code jcmd GC.class_histogram}, which collects first),
   * as instances and bytes; {@link #TOTAL} holds the sum. It reads the same whatever the collector
   * (the servers run pinned to one CPU, where the JVM picks the serial collector).
   */
  private static Map<String, long[]> liveHeap(long pid) throws IOException, InterruptedException {
    Map<String, long[]> byClass = new HashMap<>();
    Matcher line =
        Pattern.compile("(?m)^\\s*(?:\\d+:|(Total))\\s+(\\d+)\\s+(\\d+)\\s*(\\S*)")
            .matcher(jcmd(pid, "GC.class_histogram"));
    while (line.find()) {
      String name = line.group(1) != null ? TOTAL : line.group(4);
      byClass.put(name, new long[] {Long.parseLong(line.group(2)), Long.parseLong(line.group(3))});
    }
    return byClass;
  }

  private static long bytes(Map<String, long[]> heap, String name) {
    long[] entry = heap.get(name);
    return entry == null ? 0 : entry[1];
  }

  private static long instances(Map<String, long[]> heap, String name) {
    long[] entry = heap.get(name);
    return entry == null ? 0 : entry[0];
  }

  /** What {@code jcmd <pid> <command...>} prints (its errors included). */
  private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    line.add(Long.toString(pid));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return text;
  }
}
