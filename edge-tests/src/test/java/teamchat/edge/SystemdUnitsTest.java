package teamchat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * {@code systemd-analyze verify} on every unit in deploy/, in a throw-away root, since these
 * machines do not run systemd as PID 1 and have neither the VMs' binaries nor their users.
 *
 * <p>The root holds this machine's stock unit set (for targets such as multi-user.target), the
 * units under test, minimal stand-ins for docker.service and postgresql.service (which the units
 * require or order after), and an empty executable at every absolute path an Exec line names. So
 * checked: syntax, every key and value systemd 252 knows, dependencies, that Exec paths are
 * absolute. Not checked: that the real binaries, users and files exist on the VM, and how the
 * sandboxing behaves at run time. verify exits 0 on unknown keys and bad values (it only prints a
 * warning), so any output at all fails the test.
 */
class SystemdUnitsTest {

  private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
  private static final Path STOCK_UNITS = Path.of("/usr/lib/systemd/system");
  private static final Pattern EXEC =
      Pattern.compile("^-?Exec\\w+=[-@:+!]*(/\\S+)", Pattern.MULTILINE);

  @TempDir static Path work;

  @BeforeAll
  static void tools() {
    assertTrue(Files.isExecutable(SYSTEMD_ANALYZE), "systemd-analyze not found (package systemd)");
    assertTrue(Files.isDirectory(STOCK_UNITS), STOCK_UNITS + " not found");
  }

  static List<Path> units() throws IOException {
    try (Stream<Path> files = Files.walk(Repository.resolve("deploy"))) {
      return files
          .filter(f -> f.toString().matches(".*\\.(service|timer|socket|path|mount)$"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void everyUnitPassesVerifyWithoutAWord() throws Exception {
    List<Path> units = units();
    assertTrue(units.size() >= 5, "units found: " + units);
    Command verify = verify(work.resolve("root"), units);
    assertEquals(0, verify.exitCode(), verify.toString());
    assertEquals("", verify.output().strip(), verify.toString());
  }

  @Test
  void theCheckHasTeeth() throws Exception {
    Path broken = work.resolve("broken/teamchat-broken.service");
    Files.createDirectories(broken.getParent());
    Files.writeString(
        broken,
        "[Unit]\nDescription=broken\n[Service]\nExecStart=/usr/bin/java\n"
            + "ProtectSystm=strict\nRestart=sometimes\n");
    Command verify = verify(work.resolve("broken-root"), List.of(broken));
    assertTrue(verify.output().contains("Unknown key"), verify.toString());
    assertTrue(verify.output().contains("restart"), verify.toString());
    Path missingBinary = work.resolve("broken/teamchat-relative.service");
    Files.writeString(missingBinary, "[Service]\nExecStart=java -jar x.jar\n");
    assertFalse(
        verify(work.resolve("relative-root"), List.of(missingBinary)).output().isBlank(),
        "a relative Exec path is reported");
  }

  private static Command verify(Path root, List<Path> units)
      throws IOException, InterruptedException {
    Path unitDir = Files.createDirectories(root.resolve("etc/systemd/system"));
    copyTree(STOCK_UNITS, root.resolve("usr/lib/systemd/system"));
    for (String standIn : List.of("docker.service", "postgresql.service")) {
      Files.writeString(
          unitDir.resolve(standIn),
          "[Unit]\nDescription=stand-in for the VM's "
              + standIn
              + "\n[Service]\nExecStart=/bin/true\n");
    }
    List<String> names = new ArrayList<>();
    for (Path unit : units) {
      Files.copy(unit, unitDir.resolve(unit.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      names.add(unit.getFileName().toString());
      Matcher exec = EXEC.matcher(Files.readString(unit));
      while (exec.find()) {
        stubExecutable(root, exec.group(1));
      }
    }
    stubExecutable(root, "/bin/true");
    List<String> command = new ArrayList<>();
    command.add(SYSTEMD_ANALYZE.toString());
    command.add("verify");
    command.add("--root=" + root);
    command.add("--man=no");
    command.addAll(names);
    return Command.run(command, Map.of("SYSTEMD_LOG_COLOR", "0"), Duration.ofMinutes(1));
  }

  private static void stubExecutable(Path root, String absolute) throws IOException {
    Path file = root.resolve(absolute.substring(1));
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      Files.writeString(file, "#!/bin/sh\nexit 0\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      return;
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isSymbolicLink(source)) {
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, Files.readSymbolicLink(source));
        } else if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
