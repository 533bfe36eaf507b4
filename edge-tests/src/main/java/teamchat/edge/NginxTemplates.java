package teamchat.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The repository's {@code nginx/render}, run as an admin runs it, with a file of values. */
public final class NginxTemplates {

  /** The two configurations nginx/ renders. */
  public enum Vm {
    VM1,
    VM2;

    public String argument() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private NginxTemplates() {}

  /**
   * Renders {@code vm} into {@code outputDir} ({@code nginx.conf} and {@code teamchat-site.conf})
   * and returns the command's result; the caller decides whether a failure is expected.
   */
  public static Command render(Vm vm, Path outputDir, Map<String, String> values)
      throws IOException, InterruptedException {
    Files.createDirectories(outputDir);
    Path valuesFile = outputDir.resolve("values.env");
    Files.writeString(
        valuesFile,
        values.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n", "", "\n")),
        StandardCharsets.UTF_8);
    // A clean environment: only the file's values count, not whatever the build happens to export.
    return Command.runIsolated(
        List.of(
            "bash",
            Repository.resolve("nginx/render").toString(),
            vm.argument(),
            outputDir.toString(),
            valuesFile.toString()),
        Map.of(),
        Duration.ofSeconds(30));
  }
}
