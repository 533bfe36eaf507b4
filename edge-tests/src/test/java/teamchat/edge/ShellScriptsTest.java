package teamchat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * shellcheck (Debian package, installed by {@code ./chat test}) on every shell script of the edge
 * and the deploy: nginx/render and deploy/**.sh, which run as root on the VMs.
 */
class ShellScriptsTest {

  private static final Path SHELLCHECK = Path.of("/usr/bin/shellcheck");

  static List<Path> scripts() throws IOException {
    List<Path> scripts = new ArrayList<>();
    scripts.add(Repository.resolve("nginx/render"));
    try (Stream<Path> files = Files.walk(Repository.resolve("deploy"))) {
      files.filter(f -> f.toString().endsWith(".sh")).sorted().forEach(scripts::add);
    }
    return scripts;
  }

  @Test
  void everyScriptPassesShellcheck() throws Exception {
    assertTrue(
        Files.isExecutable(SHELLCHECK),
        "shellcheck not found: ./chat test installs it (apt-get install shellcheck)");
    List<Path> scripts = scripts();
    assertTrue(scripts.size() >= 5, "scripts: " + scripts);
    List<String> line = new ArrayList<>(List.of(SHELLCHECK.toString(), "--shell=bash"));
    scripts.forEach(s -> line.add(s.toString()));
    Command result = Command.run(line, Map.of(), Duration.ofMinutes(1));
    assertEquals(0, result.exitCode(), result.toString());
    for (Path script : scripts) {
      assertTrue(Files.isExecutable(script), script + " is not executable");
    }
  }
}
