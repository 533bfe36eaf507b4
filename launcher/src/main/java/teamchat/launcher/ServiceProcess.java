package teamchat.launcher;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of a service's Payara Micro uber-jar, run as a child process with its log in a file.
 */
final class ServiceProcess {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          // HTTP/1.1: by default the JDK client asks for an h2c upgrade, and with Payara that
          // upgrade sometimes stalls the request until it times out.
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  final Service service;
  final String name;
  final int port;
  private final Path uberJar;
  private final Path log;
  private Process process;

  /**
   * Instance {@code instance} (0 is the first) of the service as these settings place it: the first
   * is named after the service, the others {@code <service>-2} and so on, each on its port ({@link
   * Settings#port}); its log is {@code <logs>/<name>.log}.
   */
  ServiceProcess(Service service, int instance, Settings settings, Path logs) {
    this.service = service;
    this.name = instance == 0 ? service.name() : service.name() + "-" + (instance + 1);
    this.port = settings.port(service, instance);
    this.uberJar = settings.root().resolve(service.uberJar());
    this.log = logs.resolve(name + ".log");
    this.classDataSharing =
        settings.classDataSharing()
            ? new ClassDataSharing(
                uberJar, instance == 0 && !ClassDataSharing.recordsFlight(settings.javaOptions()))
            : null;
  }

  /** The class data archive this instance uses or writes, or null when that is switched off. */
  private final ClassDataSharing classDataSharing;

  /** Where this instance answers on this machine. */
  String localUrl() {
    return service.localUrl(port);
  }

  private String javaOptions;
  private List<String> payaraArguments;
  private Map<String, String> environment;
  private int restarts;

  /** Crash restarts in this service's life: numbers the kept logs of crashed runs. */
  private int crashRestarts;

  /** How often it may be started again after crashes (systemd's start limit). */
  final StartLimit crashRestartLimit = StartLimit.asOnTheServers();

  /**
   * Starts the uber-jar.
   *
   * @param payaraArguments more Payara Micro options, after {@code --port}: its Data Grid ({@link
   *     DataGrid}) and where it listens
   * @param environment the service's settings; may hold secrets, so it is never shown
   */
  void start(String javaOptions, List<String> payaraArguments, Map<String, String> environment)
      throws IOException {
    this.javaOptions = javaOptions;
    this.payaraArguments = payaraArguments;
    this.environment = environment;
    Files.createDirectories(log.getParent());
    finishClassDataArchive(); // of the run before, after a failed start or a crash
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(javaOptions.trim().split("\\s+")));
    if (classDataSharing != null) {
      command.addAll(classDataSharing.optionsForStart());
    }
    command.addAll(List.of("-jar", uberJar.toString(), "--port", Integer.toString(port)));
    command.addAll(payaraArguments);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
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

  /** Whether MicroProfile Health says the service is ready to take traffic. */
  boolean isReady() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Service.HEALTH_PATH))
            .timeout(Duration.ofSeconds(3))
            .GET()
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Why this instance, alive but not ready, will not become ready without a new start: its
   * deployment failed, or Payara Micro booted without listening on its port; null while it may
   * still become ready. Reads the log once.
   */
  String whyItWillNotBecomeReady() {
    List<String> lines;
    try {
      // Latin-1 reads any byte; the lines looked for are ASCII.
      lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return null;
    }
    if (deploymentFailed(lines)) {
      return "its deployment failed";
    }
    // Payara Micro binds its HTTP port only at the end of its boot; when a socket holds the port by
    // then (an outgoing connection the kernel gave that local port, when the port lies in the
    // kernel's range for them), it logs the listener as created and itself as ready, with no
    // error, and listens nowhere.
    if (payaraSaysReady(lines.stream()) && refusesConnections(port)) {
      return "Payara Micro booted but does not listen on port "
          + port
          + ": another socket holds the port (ss -tanp 'sport = :"
          + port
          + "' shows which)";
    }
    return null;
  }

  /**
   * Whether Payara gave up deploying the application. It keeps running without it, so this is the
   * only sign: waiting for readiness would wait for nothing.
   */
  private static boolean deploymentFailed(List<String> logLines) {
    return logLines.stream()
        .anyMatch(
            line ->
                line.contains("Exception while loading the app")
                    || line.contains("Exception while deploying the app"));
  }

  /** Whether a Payara Micro log says that it has booted. */
  static boolean payaraSaysReady(java.util.stream.Stream<String> logLines) {
    return logLines.anyMatch(line -> line.contains("Payara Micro ") && line.contains(" ready in "));
  }

  /**
   * Whether a TCP connection to the port of this machine's loopback address is refused: nothing
   * listens there. Only a refusal counts; a connection that takes too long (a full accept queue on
   * a busy machine) is no proof.
   */
  static boolean refusesConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether Payara Micro itself failed to boot and exited, before any application: its log ends in
   * "Server failed to start". Seen once in a test run (2026-12-07, chatfront, 10 s after it was
   * started; the same uber-jar booted in every other start of that run), so a second boot is tried
   * as for a failed deployment; a cause that stays fails every boot and is reported.
   */
  boolean bootFailed() {
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return payaraFailedToBoot(lines);
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /** Whether a Payara Micro log says that the server failed to start. */
  static boolean payaraFailedToBoot(java.util.stream.Stream<String> logLines) {
    return logLines.anyMatch(line -> line.contains("GlassFishException: Server failed to start"));
  }

  /** The last lines of the service's log, to show why it failed. */
  List<String> logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(no log: " + e.getMessage() + ")");
    }
  }

  /**
   * Starts the service again after a failed deployment or a failed boot ({@link #bootFailed}),
   * keeping the failed log beside the new one. Payara Micro 6 now and then fails a deployment at
   * boot for reasons of its own (a security provider that finds no context class loader); a second
   * boot succeeds.
   */
  boolean restartAfterFailedStart(int maxRestarts) throws IOException, InterruptedException {
    if (restarts >= maxRestarts) {
      return false;
    }
    restarts++;
    stop(Duration.ofSeconds(10));
    Files.move(
        log,
        log.resolveSibling(log.getFileName() + ".failed-" + restarts),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    start(javaOptions, payaraArguments, environment);
    return true;
  }

  /**
   * Starts the service again after it ended on its own (a crash, an out-of-memory kill, a {@code
   * kill -9}), as systemd does on the servers, keeping the log of the crashed run beside the new
   * one ({@code <name>.log.crashed-N}). Refuses (false) once {@link #crashRestartLimit} restarts
   * happened within its window, so that a service that cannot run does not loop; one that crashes
   * now and then is restarted for as long as the system runs.
   */
  boolean restartAfterCrash() throws IOException {
    if (!crashRestartLimit.tryRestart()) {
      return false;
    }
    crashRestarts++;
    Files.move(
        log,
        log.resolveSibling(log.getFileName() + ".crashed-" + crashRestarts),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    start(javaOptions, payaraArguments, environment);
    return true;
  }

  /** Asks the service to stop (SIGTERM: Payara shuts down cleanly), then insists. */
  void stop(Duration grace) throws InterruptedException {
    if (process == null) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    children.forEach(ProcessHandle::destroyForcibly);
    finishClassDataArchive();
  }

  /**
   * Once the run has ended: keeps the class data archive it wrote at its exit, if it wrote one and
   * exited cleanly ({@link ClassDataSharing#finish}). Without it the service only starts slower.
   */
  private void finishClassDataArchive() {
    if (classDataSharing == null || process == null || process.isAlive()) {
      return;
    }
    try {
      classDataSharing.finish(process.exitValue());
    } catch (IOException e) {
      // Not kept: the next stop writes it again.
    }
  }
}
