package teamchat.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * nginx in front of the services when {@code ./chat up} runs more than one instance of a kind, so
 * that the browser still opens one address: the repository's {@code nginx/render local} (the VMs'
 * routes on one plain-HTTP port, {@code least_conn} for every kind) with its pid, logs and
 * temporary files in the data folder. Debian's package, as the edge tests use it; {@code ./chat up}
 * refuses to start a cluster without it ({@link #binary}). Started, watched and started again like
 * a service.
 */
final class LoadBalancer {

  /** Where Debian's package puts it; otherwise the PATH is searched. */
  private static final Path DEBIAN_NGINX = Path.of("/usr/sbin/nginx");

  static final String NAME = "nginx";

  private final Settings settings;
  private final Path nginx;
  private final Path directory;
  private final Path log;
  private Process process;
  private int crashRestarts;

  /** Its workers as last seen ready: they outlive a master that is killed. */
  private List<ProcessHandle> workers = List.of();

  /** How often it may be started again after crashes, as a service ({@link StartLimit}). */
  final StartLimit crashRestartLimit = StartLimit.asOnTheServers();

  LoadBalancer(Settings settings, Path nginx, Path logs) {
    this.settings = settings;
    this.nginx = nginx;
    this.directory = settings.dataDirectory().resolve("nginx");
    this.log = logs.resolve(NAME + ".log");
  }

  /** The nginx binary, if installed. */
  static Optional<Path> binary() {
    return binary(DEBIAN_NGINX, System.getenv().getOrDefault("PATH", ""));
  }

  /** nginx where Debian puts it, or else the first on this PATH. */
  static Optional<Path> binary(Path debian, String path) {
    if (Files.isExecutable(debian)) {
      return Optional.of(debian);
    }
    return Stream.of(path.split(":"))
        .filter(folder -> !folder.isBlank())
        .map(folder -> Path.of(folder, NAME))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** What {@code ./chat up} says when a cluster is asked for and nginx is not installed. */
  static String missingMessage() {
    return "nginx is needed in front of several instances (CHATSERV_INSTANCES, CHATFRONT_INSTANCES,"
        + " AUTH_INSTANCES above 1) and is not installed: install it (Debian, Ubuntu: sudo apt-get"
        + " install nginx), or run one instance of each.";
  }

  /** Renders the configuration from {@code nginx/} and starts nginx in the foreground. */
  void start() throws IOException, InterruptedException {
    Path conf = directory.resolve("conf");
    Path nginxLogs = settings.dataDirectory().resolve("logs").resolve(NAME);
    Files.createDirectories(nginxLogs);
    Files.createDirectories(directory.resolve("temp"));
    Path staticRoot = Files.createDirectories(settings.dataDirectory().resolve("static"));
    List<String> values = new ArrayList<>();
    values.add("SERVER_NAME=localhost");
    String bind = settings.bindAddress();
    values.add("LISTEN=" + (bind.contains(":") ? "[" + bind + "]" : bind));
    values.add("HTTP_PORT=" + settings.proxyPort());
    values.add("INTERNAL_PORT=" + settings.internalProxyPort());
    values.add("CHATFRONT_SERVERS=" + servers(Service.CHATFRONT));
    values.add("AUTH_SERVERS=" + servers(Service.AUTH));
    values.add("CHATSERV_SERVERS=" + servers(Service.CHATSERV));
    values.add("STATIC_ROOT=" + staticRoot);
    if (settings.filesMaxBytes() != null) { // else render's default, which is chatfront's
      values.add("CHATFRONT_FILES_MAX_BYTES=" + settings.filesMaxBytes().strip());
    }
    // Ignored unless nginx starts as root; then its workers keep our user, who owns the folder.
    values.add("NGINX_USER=" + System.getProperty("user.name"));
    values.add("NGINX_PID=" + directory.resolve("nginx.pid"));
    values.add("NGINX_LOG_DIR=" + nginxLogs);
    values.add("NGINX_TEMP_DIR=" + directory.resolve("temp"));
    Files.createDirectories(conf);
    Path valuesFile = conf.resolve("values.env");
    Files.write(valuesFile, values, StandardCharsets.UTF_8);
    ProcessBuilder render =
        new ProcessBuilder(
                "bash",
                settings.root().resolve("nginx/render").toString(),
                "local",
                conf.toString(),
                valuesFile.toString())
            .redirectErrorStream(true);
    // Only the file's values count, not whatever this shell happens to export (SERVER_NAME, ...).
    render.environment().keySet().removeIf(name -> !name.equals("PATH"));
    Process rendering = render.start();
    String said = new String(rendering.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!rendering.waitFor(30, TimeUnit.SECONDS) || rendering.exitValue() != 0) {
      throw new IOException("nginx/render local failed: " + said.strip());
    }
    Files.createDirectories(log.getParent());
    process =
        new ProcessBuilder(
                nginx.toString(),
                "-p",
                directory.toString(),
                "-c",
                conf.resolve("nginx.conf").toString(),
                "-e",
                nginxLogs.resolve("error.log").toString(),
                "-g",
                "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    process.getOutputStream().close();
  }

  private String servers(Service service) {
    StringJoiner servers = new StringJoiner(" ");
    for (int instance = 0; instance < settings.instances(service); instance++) {
      servers.add("127.0.0.1:" + settings.port(service, instance));
    }
    return servers.toString();
  }

  /** The address people open. */
  String localUrl() {
    return "http://127.0.0.1:" + settings.proxyPort() + "/";
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  int exitCode() {
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Whether both its ports accept connections. */
  boolean isReady() {
    boolean ready = accepts(settings.proxyPort()) && accepts(settings.internalProxyPort());
    if (ready && process.isAlive()) {
      workers = process.descendants().toList();
    }
    return ready;
  }

  private boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      String host = settings.bindAddress();
      InetAddress address =
          port == settings.proxyPort() && !host.equals("0.0.0.0") && !host.equals("::")
              ? InetAddress.getByName(host)
              : InetAddress.getLoopbackAddress();
      socket.connect(new InetSocketAddress(address, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Its output and its error log, to show why it failed. */
  List<String> logTail(int lines) {
    List<String> all = new ArrayList<>();
    for (Path file :
        List.of(log, settings.dataDirectory().resolve("logs").resolve(NAME).resolve("error.log"))) {
      try {
        all.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        // Not written (yet): nothing to show from it.
      }
    }
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }

  /** Starts it again after it ended on its own, as a service ({@link ServiceProcess}). */
  boolean restartAfterCrash() throws IOException, InterruptedException {
    if (!crashRestartLimit.tryRestart()) {
      return false;
    }
    crashRestarts++;
    stopWorkers();
    Files.move(
        log,
        log.resolveSibling(log.getFileName() + ".crashed-" + crashRestarts),
        StandardCopyOption.REPLACE_EXISTING);
    start();
    return true;
  }

  /** SIGTERM (nginx's fast shutdown: the master stops its workers), then insists. */
  void stop(Duration grace) throws InterruptedException {
    if (process == null) {
      return;
    }
    List<ProcessHandle> running = process.descendants().collect(Collectors.toList());
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    // A worker whose master was killed would keep the ports.
    running.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    stopWorkers();
  }

  /** Workers of a master that died on its own keep its ports: they go before a new master. */
  private void stopWorkers() {
    workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
