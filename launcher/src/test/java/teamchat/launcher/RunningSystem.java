package teamchat.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole system as {@code ./chat up} starts it, on free ports and a fresh data folder, for tests
 * that need auth, chatfront and chatserv together. {@link #stop()} sends SIGINT, as a developer's
 * Ctrl-C does.
 */
final class RunningSystem {

  static final Path ROOT = Path.of(System.getProperty("teamchat.root"));
  private static final long BOOT_TIMEOUT_SECONDS = 300;

  final int chatfrontPort;
  final int authPort;
  final int chatservPort;
  final Map<String, String> environment;
  final Process process;
  final StringBuilder transcript = new StringBuilder();
  int postgresPort = -1;
  private final Thread reader;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private RunningSystem(Path dataDirectory, Ports ports, Map<String, String> settings)
      throws IOException {
    chatfrontPort = ports.chatfront();
    authPort = ports.auth();
    chatservPort = ports.chatserv();
    Map<String, String> all = new HashMap<>(settings);
    all.put("CHATFRONT_PORT", Integer.toString(chatfrontPort));
    all.put("AUTH_PORT", Integer.toString(authPort));
    all.put("CHATSERV_PORT", Integer.toString(chatservPort));
    all.put("CHAT_DATA_DIR", dataDirectory.toString());
    environment = Map.copyOf(all);
    process = chatUp(environment);
    reader = readLines(process, lines);
  }

  /** The services' ports, chosen before the system starts (a proxy in front needs them first). */
  record Ports(int chatfront, int auth, int chatserv) {
    static Ports free() throws IOException {
      return new Ports(freePort(), freePort(), freePort());
    }
  }

  /** Starts {@code ./chat up} and waits until it says everything is running. */
  static RunningSystem start(Path dataDirectory) throws Exception {
    return start(dataDirectory, Ports.free(), Map.of());
  }

  /** The same on given ports, with more of {@code ./chat up}'s settings (README). */
  static RunningSystem start(Path dataDirectory, Ports ports, Map<String, String> settings)
      throws Exception {
    RunningSystem system = new RunningSystem(dataDirectory, ports, settings);
    system.awaitRunning();
    return system;
  }

  private void awaitRunning() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOOT_TIMEOUT_SECONDS);
    Pattern postgresReady = Pattern.compile("ready on 127\\.0\\.0\\.1:(\\d+)");
    while (true) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        transcript.append(line).append('\n');
        Matcher matcher = postgresReady.matcher(line);
        if (matcher.find()) {
          postgresPort = Integer.parseInt(matcher.group(1));
        }
        if (line.startsWith("Team chat is running: open ")) {
          return;
        }
      }
      if (!process.isAlive() && lines.isEmpty()) {
        throw new AssertionError(
            "./chat up ended with " + process.exitValue() + " before it was ready:\n" + transcript);
      }
      if (System.nanoTime() > deadline) {
        process.destroy();
        throw new AssertionError(
            "./chat up not ready after " + BOOT_TIMEOUT_SECONDS + " s:\n" + transcript);
      }
    }
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/teamchat";
  }

  List<ProcessHandle> children() {
    return process.descendants().toList();
  }

  /** SIGINT, then waits; true when everything ended in time. */
  boolean stop() throws Exception {
    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
    boolean ended = process.waitFor(90, TimeUnit.SECONDS);
    reader.join(5000);
    if (!ended) {
      List<ProcessHandle> left = children();
      process.destroyForcibly();
      left.forEach(ProcessHandle::destroyForcibly);
    }
    return ended;
  }

  static Process chatUp(Map<String, String> environment) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(ROOT.resolve("chat").toString(), "up")
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(environment);
    return builder.start();
  }

  private static Thread readLines(Process process, LinkedBlockingQueue<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  System.out.println("[chat up] " + line);
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(output closed: " + e.getMessage() + ")");
              }
            },
            "chat-up-output");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
