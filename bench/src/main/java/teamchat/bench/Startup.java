package teamchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import teamchat.systemtestkit.FreePorts;

/**
 * Scenario {@code startup}: how long {@code ./chat up} takes until everything is ready (its ready
 * file: PostgreSQL initialised, the three services deployed, migrated and answering), on a fresh
 * data folder as on a first start and in every test run, against one bare Payara Micro boot with no
 * application (until its HTTP port answers), with the same JVM options and on the same CPUs. The
 * bare boot is the floor the three WARs add to: what they do at deploy, and three JVMs starting
 * together on the servers' CPUs.
 *
 * <p>{@code ./chat up} starts its services from class data archives of their uber-jars, written
 * when they first stop after a build (the launcher's {@code ClassDataSharing}). Each round measures
 * it both ways, from the archives and with {@code CHAT_CLASS_DATA_SHARING=off}, in alternating
 * order; a start and stop before the rounds writes the archives when they are missing or older than
 * the jars (not measured), and each round says how each service started.
 */
final class Startup implements Scenario {

  private static final Duration BARE_BOOT_LIMIT = Duration.ofMinutes(10);

  private static final Map<String, String> WITHOUT_ARCHIVES =
      Map.of("CHAT_CLASS_DATA_SHARING", "off");

  @Override
  public String name() {
    return "startup";
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
    int rounds = bench.number("BENCH_STARTUP_ROUNDS", 3);
    Path micro = bench.root().resolve("bench/target/payara/payara-micro.jar");
    if (!Files.isRegularFile(micro)) {
      throw new IOException(micro + " is missing: build the bench module (./chat bench does)");
    }
    try (ChatSystem first = bench.startFreshSystem("startup-archives")) {
      Map<String, String> how = first.classDataSharing();
      bench.out.printf(
          "  class data sharing before the rounds: %s%s%n",
          how, how.containsValue("writes") ? " (written as this start stops; not measured)" : "");
    }
    List<Double> archived = new ArrayList<>();
    List<Double> without = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    List<Double> bareCpu = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      bare.add(bareBoot(bench, micro, round, bareCpu));
      Map<String, String> how = new TreeMap<>();
      Map<Boolean, String> cpu = new TreeMap<>();
      boolean archivesFirst = round % 2 == 1;
      for (boolean fromArchives : List.of(archivesFirst, !archivesFirst)) {
        String name = "startup-system-" + round + (fromArchives ? "-archives" : "-without");
        long t0 = System.nanoTime();
        try (ChatSystem started =
            bench.startFreshSystem(name, fromArchives ? Map.of() : WITHOUT_ARCHIVES)) {
          (fromArchives ? archived : without).add((System.nanoTime() - t0) / 1e9);
          cpu.put(fromArchives, cpuToReady(started));
          if (fromArchives) {
            how = started.classDataSharing();
          }
        }
      }
      bench.out.printf(
          "  round %d: bare Payara Micro %.1f s (%.1f CPU-s), ./chat up %.1f s from class data"
              + " archives %s (CPU-s to ready: %s), %.1f s without (CPU-s: %s)%n",
          round,
          bare.get(round - 1),
          bareCpu.get(round - 1),
          archived.get(round - 1),
          how,
          cpu.get(true),
          without.get(round - 1),
          cpu.get(false));
    }
    bench.results.add(
        new Figure(
            name(),
            "./chat up to all ready, fresh data folder (class data archives)",
            "s",
            "one bare Payara Micro boot",
            false,
            archived,
            bare));
    bench.results.add(
        new Figure(
            name(),
            "./chat up to all ready, fresh data folder, CHAT_CLASS_DATA_SHARING=off",
            "s",
            "one bare Payara Micro boot",
            false,
            without,
            bare));
    bench.results.add(
        new Figure(
            name(),
            "./chat up to all ready from class data archives",
            "s",
            "the same without them",
            false,
            archived,
            without));
  }

  /**
   * The CPU seconds each service used until the system was ready, and all of {@code ./chat up}'s
   * processes together (PostgreSQL's server and backends; not its {@code initdb}, which has ended).
   */
  private static String cpuToReady(ChatSystem started) {
    StringBuilder cpu = new StringBuilder();
    started
        .serviceCpuSeconds()
        .forEach((service, seconds) -> cpu.append(String.format("%s %.1f, ", service, seconds)));
    return cpu.append(String.format("all %.1f", started.cpuSeconds())).toString();
  }

  /**
   * Seconds from starting a Payara Micro without an application until its HTTP port answers; adds
   * the CPU seconds it used by then to {@code cpu}.
   */
  private static double bareBoot(Bench bench, Path micro, int round, List<Double> cpu)
      throws IOException, InterruptedException {
    int port = FreePorts.distinct(1).get(0);
    List<String> command = new ArrayList<>();
    if (bench.serverCpus() != null) {
      command.addAll(List.of("taskset", "-c", bench.serverCpus()));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(bench.javaOptions().trim().split("\\s+")));
    command.addAll(
        List.of("-jar", micro.toString(), "--nocluster", "--port", Integer.toString(port)));
    Path log = bench.folder().resolve("startup-bare-" + round + ".log");
    Files.createDirectories(log.getParent());
    long t0 = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      HttpRequest probe =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
              .timeout(Duration.ofSeconds(5))
              .build();
      long deadline = t0 + BARE_BOOT_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException("the bare Payara Micro exited; see " + log);
        }
        try {
          client.send(probe, HttpResponse.BodyHandlers.discarding()); // any status: it answers
          double seconds = (System.nanoTime() - t0) / 1e9;
          cpu.add(ProcessStats.cpuSeconds(process.pid()));
          return seconds;
        } catch (IOException notYet) {
          Thread.sleep(100);
        }
      }
      throw new IOException("the bare Payara Micro did not answer within " + BARE_BOOT_LIMIT);
    } finally {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
