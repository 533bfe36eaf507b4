package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local nginx as {@code ./chat up} runs it: rendered from the repository's {@code nginx/}, on
 * real nginx (Debian's package, which {@code ./chat test} installs), before any service is up.
 */
class LoadBalancerTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path data;

  @Test
  void oneAddressRoutesAsTheVmsDoAndStopTakesItsWorkersAlong() throws Exception {
    int proxyPort = freePortPair();
    Settings settings =
        Settings.from(
            ROOT,
            Map.of(
                "CHAT_DATA_DIR", data.toString(),
                "CHATSERV_INSTANCES", "2",
                "CHAT_PROXY_PORT", Integer.toString(proxyPort)));
    LoadBalancer nginx =
        new LoadBalancer(settings, LoadBalancer.binary().orElseThrow(), data.resolve("logs"));
    nginx.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!nginx.isReady()) {
        assertTrue(nginx.isAlive(), "nginx runs: " + nginx.logTail(20));
        assertTrue(System.nanoTime() < deadline, "nginx listens within 20 s");
        Thread.sleep(100);
      }
      String conf = Files.readString(data.resolve("nginx/conf/teamchat-site.conf"));
      assertTrue(
          conf.contains("server 127.0.0.1:" + settings.chatservPort(0))
              && conf.contains("server 127.0.0.1:" + settings.chatservPort(1)),
          "both chatserv instances behind /ws");
      assertFalse(conf.contains("ip_hash"), "least_conn for every kind");

      String site = "http://127.0.0.1:" + proxyPort;
      assertEquals(404, status(site + "/api/me"), "chatfront's internal API is not public");
      assertEquals(404, status(site + "/health/ready"), "nor Payara's runtime endpoints");
      assertEquals(503, status(site + "/ws"), "no chatserv up yet: come back soon");
      assertEquals(502, status(site + "/login.xhtml"), "no chatfront up yet");
      assertEquals(
          502,
          status("http://127.0.0.1:" + settings.internalProxyPort() + "/api/me"),
          "the services' own port reaches chatfront's API");
    } finally {
      nginx.stop(Duration.ofSeconds(10));
    }
    assertFalse(nginx.isAlive());
    assertTrue(isFree(proxyPort) && isFree(proxyPort + 1), "no worker keeps a port");
  }

  @Test
  void withoutNginxAClusterIsRefusedWithHowToInstallIt() throws IOException {
    Path empty = Files.createDirectories(data.resolve("bin"));
    assertTrue(LoadBalancer.binary(empty.resolve("nginx"), empty.toString()).isEmpty());
    Path own = Files.createFile(empty.resolve("nginx"));
    own.toFile().setExecutable(true);
    assertEquals(own, LoadBalancer.binary(data.resolve("none"), "/nowhere:" + empty).orElseThrow());
    assertTrue(
        LoadBalancer.missingMessage().contains("apt-get install nginx"),
        LoadBalancer.missingMessage());
  }

  private static int status(String url) throws IOException, InterruptedException {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      if (port < 65535 && isFree(port) && isFree(port + 1)) {
        return port;
      }
    }
    throw new IOException("no two free ports in a row");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
