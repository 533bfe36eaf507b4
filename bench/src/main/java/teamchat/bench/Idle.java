package teamchat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
                + " chatserv heap after a full GC: %.1f KB per connection (-Xmx from CHAT_JAVA_OPTS)",
            name(), count, seconds, a[2]));
  }

  /** RSS KB per connection, drops, heap KB per connection (NaN for a server that is no JVM). */
  private static double[] hold(Bench bench, Side side, int count, int seconds) throws Exception {
    long pid = side.pid();
    boolean java = side.isJava();
    double heap0 = java ? heapUsedKb(pid) : Double.NaN;
    long rss0 = ProcessStats.rssBytes(pid);
    bench.out.printf("  %s: opening %d sockets ...%n", side.name(), count);
    long t0 = System.nanoTime();
    try (Fleet fleet = Fleet.open(side.webSocket(), count, i -> 0, side.tokens())) {
      bench.out.printf(
          "  %s: %d sockets open in %.1f s; holding %d s%n",
          side.name(), count, (System.nanoTime() - t0) / 1e9, seconds);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end && fleet.drops.sum() == 0) {
        Thread.sleep(1000);
      }
      double heap1 = java ? heapUsedKb(pid) : Double.NaN;
      long rss1 = ProcessStats.rssBytes(pid);
      long drops = fleet.drops.sum();
      bench.out.printf(
          "  %s: drops %d%s; RSS +%.1f KB/conn%s%n",
          side.name(),
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
}
