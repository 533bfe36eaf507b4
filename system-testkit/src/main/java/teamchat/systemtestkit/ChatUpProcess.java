package teamchat.systemtestkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import teamchat.launcher.ReadyFile;

/**
 * {@code ./chat up} started as a developer starts it, and known through its ready file ({@link
 * ReadyFile}): ports, addresses and pids as data, not read from its console. {@link #stop} sends
 * SIGINT, as Ctrl-C does.
 */
public final class ChatUpProcess {

  private final Process process;
  private final Path dataDirectory;
  private final Thread output;

  private ChatUpProcess(Process process, Path dataDirectory, Thread output) {
    this.process = process;
    this.dataDirectory = dataDirectory;
    this.output = output;
  }

  /**
   * Starts {@code ./chat up} in the project folder.
   *
   * @param prefix words before {@code ./chat up} (e.g. {@code taskset -c 0}); they must exec it, so
   *     that the ready file names this process
   * @param environment its settings (README), {@code CHAT_DATA_DIR} among them
   * @param lines gets each line of its output, on a thread of its own
   */
  public static ChatUpProcess start(
      Path root, List<String> prefix, Map<String, String> environment, Consumer<String> lines)
      throws IOException {
    String dataDirectory = environment.get("CHAT_DATA_DIR");
    if (dataDirectory == null) {
      throw new IllegalArgumentException(
          "CHAT_DATA_DIR must be set: the ready file is found there");
    }
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(root.resolve("chat").toString(), "up"));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    return new ChatUpProcess(process, Path.of(dataDirectory), readLines(process, lines));
  }

  /**
   * Waits until this {@code ./chat up} has written its ready file; fails if it ends first or takes
   * longer than {@code timeout}.
   */
  public ReadyFile awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<ReadyFile> ready = ReadyFile.read(dataDirectory);
      if (ready.isPresent() && ready.get().pid() == process.pid()) {
        return ready.get();
      }
      if (!process.isAlive()) {
        throw new IOException(
            "./chat up ended with " + process.exitValue() + " before it was ready");
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("./chat up not ready after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(250);
    }
  }

  public Process process() {
    return process;
  }

  /**
   * SIGINT, then waits; true when {@code ./chat up} ended in time. Otherwise it and everything it
   * started are killed. After a clean end nothing is killed, so that a test can still see what a
   * stop left behind.
   */
  public boolean stop(Duration grace) throws IOException, InterruptedException {
    List<ProcessHandle> started = process.descendants().toList();
    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
    boolean ended = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    output.join(5000);
    if (!ended) {
      process.destroyForcibly();
      started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
    return ended;
  }

  /** Reads its output to the end, so that it never blocks on a full pipe. */
  private static Thread readLines(Process process, Consumer<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.accept(line);
                }
              } catch (IOException e) {
                lines.accept("(output closed: " + e.getMessage() + ")");
              }
            },
            "chat-up-output");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }
}
