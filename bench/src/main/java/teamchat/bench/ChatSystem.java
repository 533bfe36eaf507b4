package teamchat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import teamchat.launcher.ReadyFile;
import teamchat.systemtestkit.Accounts;
import teamchat.systemtestkit.Accounts.Person;
import teamchat.systemtestkit.ChatUpProcess;
import teamchat.systemtestkit.Fixtures;
import teamchat.systemtestkit.FreePorts;

/**
 * The system under test, started exactly as a developer starts it ({@code ./chat up}) on free ports
 * with its data in the results folder, with the per-user limits raised so that a few users can hold
 * many sockets, and the accounts, rooms and memberships the scenarios need.
 */
final class ChatSystem implements AutoCloseable {

  /**
   * Only a guard against a hang: {@code ./chat up} gives up by itself after CHAT_BOOT_TIMEOUT and
   * ends, which ends the wait at once.
   */
  private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(30);

  private final ChatUpProcess chatUp;
  private final ReadyFile ready;
  private final Path dataDirectory;
  private final Accounts accounts;
  private final List<Person> people = new ArrayList<>();
  private final List<String> tokens = new ArrayList<>();
  private long tokensIssuedAt;

  /**
   * Tokens older than this are replaced before they are handed out: a socket is closed when its
   * token expires (auth caps the lifetime at 15 minutes), and a fleet may live for 13.
   */
  private static final long TOKEN_FRESHNESS_NANOS = TimeUnit.MINUTES.toNanos(2);

  private ChatSystem(ChatUpProcess chatUp, ReadyFile ready, Path dataDirectory) {
    this.chatUp = chatUp;
    this.ready = ready;
    this.dataDirectory = dataDirectory;
    this.accounts = new Accounts(URI.create(ready.service("auth").url()));
  }

  /**
   * Starts {@code ./chat up} (on {@code cpus} via taskset when given) and waits until its ready
   * file says everything runs.
   */
  static ChatSystem start(
      Path root, Path dataDirectory, String javaOptions, String cpus, PrintStream out)
      throws IOException, InterruptedException {
    return start(root, dataDirectory, javaOptions, cpus, out, 1, Map.of());
  }

  /**
   * As above, with {@code chatservInstances} chatserv instances in one Data Grid cluster, and
   * {@code settings} for {@code ./chat up} besides the bench's own.
   */
  static ChatSystem start(
      Path root,
      Path dataDirectory,
      String javaOptions,
      String cpus,
      PrintStream out,
      int chatservInstances,
      Map<String, String> settings)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(settings);
    env.put("CHATSERV_INSTANCES", Integer.toString(chatservInstances));
    List<Integer> ports = FreePorts.distinct(5);
    env.put("CHATFRONT_PORT", Integer.toString(ports.get(0)));
    env.put("AUTH_PORT", Integer.toString(ports.get(1)));
    env.put("CHATSERV_PORT", Integer.toString(ports.get(2)));
    // A cluster's nginx and Data Grid ports too, so that a run does not meet another clustered
    // ./chat up on this machine at their fixed defaults (the launcher checks the ports after each).
    env.put("CHAT_PROXY_PORT", Integer.toString(ports.get(3)));
    env.put("CHAT_GRID_PORT", Integer.toString(ports.get(4)));
    env.put("CHAT_DATA_DIR", dataDirectory.toString());
    // Thousands of benchmark users register from 127.0.0.1.
    env.put("AUTH_REGISTRATION_PER_ADDRESS", "1000000");
    env.put("CHAT_JAVA_OPTS", javaOptions);
    // The embedded PostgreSQL, whatever the caller's environment names.
    env.put("DB_URL", "");
    // A few users hold many sockets and send far more than a person: lift the per-user limits
    // (the global ones stay) so that the bench measures delivery, not the limiter.
    env.put("CHATSERV_SENDS_PER_SECOND", "1000000");
    env.put("CHATSERV_CONNECTIONS_PER_USER", "100000");
    env.put("CHATSERV_MAX_CONNECTIONS", "40000");
    // Opening 15,000 sockets is a connect storm no real client makes; a socket whose sign-in
    // waits in it longer than the shipped 5 s would be closed (auth_timeout) and end the scenario.
    env.put("CHATSERV_AUTH_TIMEOUT", "PT60S");
    // The idle scenario holds its sockets for 10 minutes: tokens must outlive it (15 is the cap;
    // tokens() signs in again for each new fleet).
    env.put("AUTH_ACCESS_TOKEN_LIFETIME", "PT15M");
    List<String> pinned = cpus == null ? List.of() : List.of("taskset", "-c", cpus);
    // Its progress is shown until it is ready; later lines are in the results folder's logs.
    ChatUpProcess chatUp = ChatUpProcess.start(root, pinned, env, new ProgressLines(out));
    try {
      return new ChatSystem(chatUp, chatUp.awaitReady(BOOT_TIMEOUT), dataDirectory);
    } catch (IOException e) {
      chatUp.stop(Duration.ofSeconds(90));
      throw new IOException(e.getMessage() + " (see the lines above)", e);
    }
  }

  /** Shows {@code ./chat up}'s lines until it says it is running, then drops them. */
  private static final class ProgressLines implements java.util.function.Consumer<String> {
    private final PrintStream out;
    private volatile boolean running;

    ProgressLines(PrintStream out) {
      this.out = out;
    }

    @Override
    public void accept(String line) {
      if (!running) {
        out.println("  [chat up] " + line);
        running = line.startsWith("Team chat is running");
      }
    }
  }

  String jdbcUrl() {
    return ready.jdbcUrl();
  }

  Connection database() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), "postgres", superuserPassword());
  }

  /** The embedded PostgreSQL's superuser password, which {@code ./chat up} keeps in secrets/. */
  String superuserPassword() {
    try {
      return Files.readAllLines(dataDirectory.resolve("secrets/postgres-superuser")).get(0).strip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** chatfront itself (no proxy): its pages and the session API under them. */
  URI chatfront() {
    return URI.create(ready.service("chatfront").url());
  }

  /** The bench users, in the order {@link #createUsers} made them. */
  List<Person> people() {
    return List.copyOf(people);
  }

  URI webSocket() {
    return URI.create(ready.service("chatserv").url());
  }

  /** The socket of one chatserv instance as ready.json names it: chatserv, chatserv-2, ... */
  URI webSocket(String instance) {
    return URI.create(ready.service(instance).url());
  }

  /** The pid of one service instance as ready.json names it. */
  long pidOf(String instance) {
    return ready.service(instance).pid();
  }

  /** The pid of a service (its first instance), found by its uber-jar on the command line. */
  long pid(String service) {
    Running running = services().get(service);
    if (running == null) {
      throw new IllegalStateException(service + " is not running");
    }
    return running.process().pid();
  }

  private static final Pattern UBER_JAR = Pattern.compile("/([a-z]+)-micro\\.jar");

  /** A service process and its command line, read once. */
  private record Running(ProcessHandle process, String commandLine) {}

  /** The running service processes by service name (their uber-jar's), the first of each kind. */
  private SortedMap<String, Running> services() {
    SortedMap<String, Running> services = new TreeMap<>();
    chatUp
        .process()
        .descendants()
        .forEach(
            p -> {
              String line = commandLine(p.pid());
              Matcher jar = UBER_JAR.matcher(line);
              if (jar.find()) {
                services.putIfAbsent(jar.group(1), new Running(p, line));
              }
            });
    return services;
  }

  /**
   * How each running service uses class data sharing, from its command line: {@code "archive"}
   * (started from one), {@code "writes"} (writes one when it stops) or {@code "none"}.
   */
  SortedMap<String, String> classDataSharing() {
    SortedMap<String, String> how = new TreeMap<>();
    services()
        .forEach(
            (name, running) ->
                how.put(
                    name,
                    running.commandLine().contains("-XX:SharedArchiveFile=")
                        ? "archive"
                        : running.commandLine().contains("-XX:ArchiveClassesAtExit=")
                            ? "writes"
                            : "none"));
    return how;
  }

  /** CPU seconds each running service has used so far, by service name. */
  SortedMap<String, Double> serviceCpuSeconds() {
    SortedMap<String, Double> cpu = new TreeMap<>();
    services()
        .forEach(
            (name, running) -> cpu.put(name, ProcessStats.cpuSeconds(running.process().pid())));
    return cpu;
  }

  /** CPU seconds used so far by everything {@code ./chat up} started (services, PostgreSQL). */
  double cpuSeconds() {
    return ProcessStats.treeCpuSeconds(chatUp.process().pid());
  }

  /** The postmaster of the embedded PostgreSQL. */
  Optional<Long> postgresPid() {
    return chatUp
        .process()
        .descendants()
        .filter(
            p ->
                commandLine(p.pid()).contains("postgres")
                    && !commandLine(p.pid()).contains("-micro.jar"))
        .map(ProcessHandle::pid)
        .findFirst();
  }

  private static String commandLine(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  /** auth's public keys (JWKS), which verify its tokens. */
  URI keySet() {
    return URI.create(ready.service("auth").url()).resolve(".well-known/jwks.json");
  }

  /** Registers {@code count} accounts at auth, signs each in, and makes them chat users. */
  void createUsers(int count) throws IOException, InterruptedException, SQLException {
    for (int i = 0; i < count; i++) {
      Person person = accounts.register("bench");
      people.add(person);
      tokens.add(person.token());
    }
    tokensIssuedAt = System.nanoTime();
    try (Connection db = database()) {
      Fixtures.chatUsers(db, subjects());
    }
  }

  private List<String> subjects() {
    return people.stream().map(Person::subject).toList();
  }

  /** One access token per bench user, fresh enough to outlive a scenario's fleet. */
  synchronized List<String> tokens() throws IOException, InterruptedException {
    if (System.nanoTime() - tokensIssuedAt > TOKEN_FRESHNESS_NANOS) {
      for (int i = 0; i < people.size(); i++) {
        Person person = people.get(i);
        tokens.set(i, accounts.signIn(person.username(), person.password()).token());
      }
      tokensIssuedAt = System.nanoTime();
    }
    return List.copyOf(tokens);
  }

  /** A new private room with every bench user as a member; returns its id. */
  long createRoom() throws SQLException {
    try (Connection db = database()) {
      return Fixtures.privateRoom(db, "bench", subjects());
    }
  }

  List<Long> createRooms(int count) throws SQLException {
    List<Long> rooms = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rooms.add(createRoom());
    }
    return rooms;
  }

  /** SIGINT, as Ctrl-C: {@code ./chat up} stops everything it started. */
  @Override
  public void close() throws IOException, InterruptedException {
    List<ProcessHandle> started = chatUp.process().descendants().toList();
    chatUp.stop(Duration.ofSeconds(90));
    // Whatever did not end with it (chatUp.stop kills leftovers only when it did not end itself).
    started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
