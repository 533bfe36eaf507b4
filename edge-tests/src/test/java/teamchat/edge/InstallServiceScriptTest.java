package teamchat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/install-service.sh, run for real in a test folder instead of /opt, /etc and systemd: a
 * {@code systemctl} stand-in records its calls, and the health endpoint is ready unless the release
 * {@code current} points at holds a broken jar. Checks the first run (env file from the example,
 * then stop), an install, a rollback, the checksum and the three kept releases. Not checked:
 * useradd (CREATE_USER=no) and the real service starting.
 */
class InstallServiceScriptTest {

  @TempDir Path work;
  private Path opt;
  private Path etc;
  private Path units;
  private Path calls;
  private HttpServer health;

  @BeforeEach
  void standIns() throws IOException {
    opt = Files.createDirectories(work.resolve("opt"));
    etc = work.resolve("etc");
    units = Files.createDirectories(work.resolve("units"));
    calls = work.resolve("calls.log");
    Files.writeString(calls, "");
    Path systemctl = work.resolve("systemctl");
    Files.writeString(systemctl, "#!/bin/sh\necho \"systemctl $*\" >> '" + calls + "'\n");
    Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path current = opt.resolve("chatserv/current/chatserv-micro.jar");
    health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    health.createContext(
        "/health/ready",
        exchange -> {
          boolean ready = Files.exists(current) && !Files.readString(current).contains("broken");
          exchange.sendResponseHeaders(ready ? 200 : 503, -1);
          exchange.close();
        });
    health.start();
  }

  @AfterEach
  void stop() {
    health.stop(0);
  }

  private Command install(String jarText, String checksum) throws Exception {
    Path jar = Files.createTempFile(work, "chatserv-micro", ".jar");
    Files.writeString(jar, jarText);
    List<String> line =
        new java.util.ArrayList<>(
            List.of(
                "bash",
                Repository.resolve("deploy/install-service.sh").toString(),
                "chatserv",
                jar.toString()));
    if (checksum != null) {
      Path sum = work.resolve("sum");
      Files.writeString(sum, checksum + "  chatserv-micro.jar\n");
      line.add(sum.toString());
    }
    return Command.run(
        line,
        Map.of(
            "TEAMCHAT_OPT", opt.toString(),
            "TEAMCHAT_ETC", etc.toString(),
            "UNIT_DIR", units.toString(),
            "HEALTH_URL", "http://127.0.0.1:" + health.getAddress().getPort() + "/health/ready",
            "HEALTH_TIMEOUT", "4",
            "SYSTEMCTL", work.resolve("systemctl").toString(),
            "CREATE_USER", "no"),
        Duration.ofSeconds(60));
  }

  @Test
  void theFirstRunWritesTheSettingsFileAndStops() throws Exception {
    Command first = install("release 1", null);
    assertEquals(3, first.exitCode(), first.toString());
    assertEquals(
        Files.readString(Repository.resolve("deploy/vm2/chatserv.env.example")),
        Files.readString(etc.resolve("chatserv.env")));
    assertEquals(
        "rw-r-----",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve("chatserv.env"))));
    assertEquals("", Files.readString(calls), "nothing started before the settings are filled in");
    // chatserv's key pair for its calls to chatfront: the private key kept, the public one shown.
    Path key = etc.resolve("keys/chatserv-assertion.key");
    assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"), first.toString());
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve("keys"))));
    assertTrue(first.output().contains("-----BEGIN PUBLIC KEY-----"), first.toString());
    String made = Files.readString(key);
    install("release 1", null);
    assertEquals(made, Files.readString(key), "made once, kept");
  }

  @Test
  void releasesAreInstalledRolledBackAndPruned() throws Exception {
    install("release 1", null);
    Command good = install("release 1", null);
    assertEquals(0, good.exitCode(), good.toString());
    assertTrue(Files.exists(units.resolve("teamchat-chatserv.service")));
    Path current = opt.resolve("chatserv/current");
    String first = Files.readSymbolicLink(current).toString();

    Command broken = install("release 2 broken", null);
    assertEquals(1, broken.exitCode(), broken.toString());
    assertEquals(first, Files.readSymbolicLink(current).toString(), "rolled back");
    assertTrue(broken.output().contains("rolled back"), broken.output());

    for (int i = 3; i <= 5; i++) {
      Thread.sleep(1100); // release folders are named by the second
      assertEquals(0, install("release " + i, null).exitCode());
    }
    try (Stream<Path> releases = Files.list(opt.resolve("chatserv/releases"))) {
      assertEquals(3, releases.count(), "three releases kept");
    }
    assertEquals("release 5", Files.readString(opt.resolve("chatserv/current/chatserv-micro.jar")));
    assertTrue(Files.readString(calls).contains("systemctl restart teamchat-chatserv.service"));
  }

  @Test
  void aJarThatIsNotTheReleasedOneIsRefused() throws Exception {
    install("release 1", null);
    Command result = install("tampered", "0".repeat(64));
    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.output().contains("checksum mismatch"), result.output());
    assertTrue(Files.notExists(opt.resolve("chatserv/current")));
  }
}
