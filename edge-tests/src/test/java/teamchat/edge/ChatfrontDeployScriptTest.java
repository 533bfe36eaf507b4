package teamchat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/vm1/deploy-chatfront.sh, the remote half of the chatfront deploy, run for real against
 * stand-ins: a {@code docker} and a {@code systemctl} that record their calls (restart "runs" the
 * image named in chatfront.image), and a health endpoint that is ready unless the running image is
 * a broken one. Checks the order (pull, backup, switch, health), the rollback, and that the
 * registry token never reaches a command line.
 */
class ChatfrontDeployScriptTest {

  private static final String UNIT = "teamchat-chatfront.service";

  @TempDir Path work;
  private Path etc;
  private Path calls;
  private Path running;
  private HttpServer health;

  @BeforeEach
  void standIns() throws IOException {
    etc = Files.createDirectories(work.resolve("etc"));
    calls = work.resolve("calls.log");
    running = work.resolve("running");
    Files.writeString(calls, "");
    Path bin = Files.createDirectories(work.resolve("bin"));
    executable(
        bin.resolve("docker"),
        "#!/bin/sh\n"
            + "echo \"docker $*\" >> '"
            + calls
            + "'\n"
            + "if [ \"$1\" = login ]; then cat > '"
            + work.resolve("token-received")
            + "'; echo \"config=$DOCKER_CONFIG\" >> '"
            + calls
            + "'; fi\n"
            + "case \"$*\" in *missing*) exit 1 ;; esac\n");
    executable(
        bin.resolve("systemctl"),
        "#!/bin/sh\n"
            + "echo \"systemctl $*\" >> '"
            + calls
            + "'\n"
            + "if [ \"$1\" = restart ]; then sed -n 's/^CHATFRONT_IMAGE=//p' '"
            + etc.resolve("chatfront.image")
            + "' > '"
            + running
            + "'; fi\n");
    health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    health.createContext(
        "/health/ready",
        exchange -> {
          boolean broken = !Files.exists(running) || Files.readString(running).contains("broken");
          exchange.sendResponseHeaders(broken ? 503 : 200, -1);
          exchange.close();
        });
    health.start();
  }

  @AfterEach
  void stop() {
    health.stop(0);
  }

  private Command deploy(String stdin, String... args) throws Exception {
    List<String> line =
        new java.util.ArrayList<>(
            List.of("bash", Repository.resolve("deploy/vm1/deploy-chatfront.sh").toString()));
    line.addAll(List.of(args));
    return Command.run(
        line,
        Map.of(
            "TEAMCHAT_ETC", etc.toString(),
            "HEALTH_URL", "http://127.0.0.1:" + health.getAddress().getPort() + "/health/ready",
            "HEALTH_TIMEOUT", "4",
            "DOCKER", work.resolve("bin/docker").toString(),
            "SYSTEMCTL", work.resolve("bin/systemctl").toString()),
        Duration.ofSeconds(60),
        stdin);
  }

  @Test
  void aHealthyImageIsPulledBackedUpStartedAndKept() throws Exception {
    Files.writeString(etc.resolve("chatfront.image"), "CHATFRONT_IMAGE=ghcr.io/acme/chatfront:1\n");
    Command result = deploy("", "ghcr.io/acme/chatfront:2");
    assertEquals(0, result.exitCode(), result.toString());
    assertEquals(
        "CHATFRONT_IMAGE=ghcr.io/acme/chatfront:2\n",
        Files.readString(etc.resolve("chatfront.image")));
    assertEquals(
        List.of(
            "docker pull --quiet ghcr.io/acme/chatfront:2",
            "systemctl start teamchat-db-backup.service",
            "systemctl restart " + UNIT),
        Files.readAllLines(calls));
  }

  @Test
  void anImageThatNeverGetsReadyIsRolledBack() throws Exception {
    Files.writeString(etc.resolve("chatfront.image"), "CHATFRONT_IMAGE=ghcr.io/acme/chatfront:2\n");
    Command result = deploy("", "ghcr.io/acme/chatfront:3-broken");
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.output().contains("rolled back"), result.output());
    assertEquals(
        "CHATFRONT_IMAGE=ghcr.io/acme/chatfront:2\n",
        Files.readString(etc.resolve("chatfront.image")));
    assertEquals("ghcr.io/acme/chatfront:2", Files.readString(running).strip());
    assertEquals(2, Files.readAllLines(calls).stream().filter(l -> l.contains("restart")).count());
  }

  @Test
  void aFailedPullChangesNothing() throws Exception {
    Files.writeString(etc.resolve("chatfront.image"), "CHATFRONT_IMAGE=ghcr.io/acme/chatfront:2\n");
    Command result = deploy("", "ghcr.io/acme/chatfront:missing");
    assertTrue(result.exitCode() != 0, result.toString());
    assertEquals(
        "CHATFRONT_IMAGE=ghcr.io/acme/chatfront:2\n",
        Files.readString(etc.resolve("chatfront.image")));
    assertFalse(Files.readString(calls).contains("systemctl"), Files.readString(calls));
  }

  @Test
  void theRegistryTokenGoesThroughStandardInputIntoATemporaryConfig() throws Exception {
    String token = "ghs_" + java.util.UUID.randomUUID();
    Command result = deploy(token, "ghcr.io/acme/chatfront:4", "octocat");
    assertEquals(0, result.exitCode(), result.toString());
    assertEquals(token, Files.readString(work.resolve("token-received")));
    String log = Files.readString(calls);
    assertFalse(log.contains(token), "token on a command line: " + log);
    assertTrue(log.contains("docker login --username octocat --password-stdin ghcr.io"), log);
    String config = log.lines().filter(l -> l.startsWith("config=")).findFirst().orElseThrow();
    assertFalse(Files.exists(Path.of(config.substring("config=".length()))), "config left");
  }

  @Test
  void argumentsThatAreNotAnImageAreRefused() throws Exception {
    for (String bad : List.of("ghcr.io/a/b:1;reboot", "--help", "ghcr.io/a/b $(id)")) {
      Command result = deploy("", bad);
      assertEquals(2, result.exitCode(), bad + ": " + result);
    }
    assertEquals(2, deploy("", "ghcr.io/a/b:1", "user;id").exitCode());
    assertEquals("", Files.readString(calls));
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
