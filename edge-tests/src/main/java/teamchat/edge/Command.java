package teamchat.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A finished external command: its exit status and everything it printed (stdout and stderr
 * together, in order).
 */
public record Command(List<String> line, int exitCode, String output) {

  /**
   * Runs a command to its end, with the caller's environment plus {@code environment}; fails the
   * caller when it takes longer than the timeout.
   */
  public static Command run(List<String> line, Map<String, String> environment, Duration timeout)
      throws IOException, InterruptedException {
    return run(line, environment, timeout, true, "");
  }

  /** As {@link #run(List, Map, Duration)}, with {@code input} on the command's standard input. */
  public static Command run(
      List<String> line, Map<String, String> environment, Duration timeout, String input)
      throws IOException, InterruptedException {
    return run(line, environment, timeout, true, input);
  }

  /** As {@link #run(List, Map, Duration)}, with nothing of the caller's environment but PATH. */
  public static Command runIsolated(
      List<String> line, Map<String, String> environment, Duration timeout)
      throws IOException, InterruptedException {
    return run(line, environment, timeout, false, "");
  }

  private static Command run(
      List<String> line,
      Map<String, String> environment,
      Duration timeout,
      boolean inherit,
      String input)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("teamchat-command", ".out");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile());
      if (!inherit) {
        String path = builder.environment().get("PATH");
        builder.environment().clear();
        builder.environment().put("PATH", path);
      }
      builder.environment().putAll(environment);
      Process process = builder.start();
      try (var stdin = process.getOutputStream()) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The command did not read its input: its exit status tells the rest.
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IOException(
            "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", line));
      }
      return new Command(
          line, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  public static Command run(List<String> line) throws IOException, InterruptedException {
    return run(line, Map.of(), Duration.ofMinutes(2));
  }

  public boolean succeeded() {
    return exitCode == 0;
  }

  @Override
  public String toString() {
    return String.join(" ", line) + " → exit " + exitCode + "\n" + output;
  }
}
