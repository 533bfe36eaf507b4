package teamchat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The system under test, started exactly as a developer starts it ({@code ./chat up}) on free ports
 * with its data in the results folder, with the per-user limits raised so that a few users can hold
 * many sockets, and the accounts, rooms and memberships the scenarios need.
 */
final class ChatSystem implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final int authPort;
  final int chatservPort;
  final int chatfrontPort;
  private final Process process;
  private final Path dataDirectory;
  private int postgresPort = -1;
  private final List<String> tokens = new ArrayList<>();
  private final List<String> subjects = new ArrayList<>();
  private final List<String> credentials = new ArrayList<>();
  private long tokensIssuedAt;

  /**
   * Tokens older than this are replaced before they are handed out: a socket is closed when its
   * token expires (auth caps the lifetime at 15 minutes), and a fleet may live for 13.
   */
  private static final long TOKEN_FRESHNESS_NANOS = TimeUnit.MINUTES.toNanos(2);

  private ChatSystem(
      Process process, Path dataDirectory, int chatfrontPort, int authPort, int chatservPort) {
    this.process = process;
    this.dataDirectory = dataDirectory;
    this.chatfrontPort = chatfrontPort;
    this.authPort = authPort;
    this.chatservPort = chatservPort;
  }

  /**
   * Starts {@code ./chat up} (on {@code cpus} via taskset when given) and waits until it is ready.
   */
  static ChatSystem start(
      Path root, Path dataDirectory, String javaOptions, String cpus, PrintStream out)
      throws IOException, InterruptedException {
    int chatfront = freePort();
    int auth = freePort();
    int chatserv = freePort();
    List<String> command = new ArrayList<>();
    if (cpus != null) {
      command.addAll(List.of("taskset", "-c", cpus));
    }
    command.addAll(List.of(root.resolve("chat").toString(), "up"));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("CHATFRONT_PORT", Integer.toString(chatfront));
    env.put("AUTH_PORT", Integer.toString(auth));
    env.put("CHATSERV_PORT", Integer.toString(chatserv));
    env.put("CHAT_DATA_DIR", dataDirectory.toString());
    // Thousands of benchmark users register from 127.0.0.1.
    env.put("AUTH_REGISTRATION_PER_ADDRESS", "1000000");
    env.put("CHAT_JAVA_OPTS", javaOptions);
    env.remove("DB_URL");
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
    ChatSystem system = new ChatSystem(builder.start(), dataDirectory, chatfront, auth, chatserv);
    system.awaitRunning(out);
    return system;
  }

  private void awaitRunning(PrintStream out) throws IOException, InterruptedException {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = lines.readLine()) != null) {
      out.println("  [chat up] " + line);
      int at = line.indexOf("ready on 127.0.0.1:");
      if (at >= 0) {
        postgresPort = Integer.parseInt(line.substring(at + 19).split("[^0-9]")[0]);
      }
      if (line.startsWith("Team chat is running")) {
        // Keep draining its output so that it never blocks on a full pipe.
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (lines.readLine() != null) {
                      // its progress lines are in the results folder's logs already
                    }
                  } catch (IOException e) {
                    // ended
                  }
                },
                "chat-up-output");
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new IOException("./chat up ended before it was ready (see the lines above)");
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/teamchat";
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

  URI webSocket() {
    return URI.create("ws://127.0.0.1:" + chatservPort + "/ws");
  }

  /** The pid of a service, found by its uber-jar on the command line. */
  long pid(String service) {
    return process
        .descendants()
        .filter(p -> commandLine(p.pid()).contains(service + "-micro.jar"))
        .findFirst()
        .map(ProcessHandle::pid)
        .orElseThrow(() -> new IllegalStateException(service + " is not running"));
  }

  /** CPU seconds used so far by everything {@code ./chat up} started (services, PostgreSQL). */
  double cpuSeconds() {
    return ProcessStats.treeCpuSeconds(process.pid());
  }

  /** The postmaster of the embedded PostgreSQL. */
  Optional<Long> postgresPid() {
    return process
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

  /** Registers {@code count} accounts at auth, signs each in, and makes them chat users. */
  void createUsers(int count) throws IOException, InterruptedException, SQLException {
    String auth = "http://127.0.0.1:" + authPort + "/auth/";
    for (int i = 0; i < count; i++) {
      String name = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      String credentials =
          "{\"username\":\""
              + name
              + "\",\"password\":\"bench passphrase "
              + UUID.randomUUID()
              + "\"}";
      HttpResponse<String> registered = post(auth + "accounts", credentials);
      if (registered.statusCode() != 201) {
        throw new IOException(
            "registration refused: " + registered.statusCode() + " " + registered.body());
      }
      this.credentials.add(credentials);
      String token = signIn(credentials);
      String claims =
          new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
      tokens.add(token);
      subjects.add(Frames.field(claims, "sub"));
    }
    tokensIssuedAt = System.nanoTime();
    try (Connection db = database();
        PreparedStatement user =
            db.prepareStatement(
                "INSERT INTO chat.chat_user (subject, display_name) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      for (String subject : subjects) {
        user.setString(1, subject);
        user.setString(2, "bench");
        user.addBatch();
      }
      user.executeBatch();
    }
  }

  /** One access token per bench user, fresh enough to outlive a scenario's fleet. */
  synchronized List<String> tokens() throws IOException, InterruptedException {
    if (System.nanoTime() - tokensIssuedAt > TOKEN_FRESHNESS_NANOS) {
      for (int i = 0; i < credentials.size(); i++) {
        tokens.set(i, signIn(credentials.get(i)));
      }
      tokensIssuedAt = System.nanoTime();
    }
    return List.copyOf(tokens);
  }

  private String signIn(String credentials) throws IOException, InterruptedException {
    HttpResponse<String> login = post("http://127.0.0.1:" + authPort + "/auth/tokens", credentials);
    if (login.statusCode() != 200) {
      throw new IOException("login refused: " + login.statusCode() + " " + login.body());
    }
    return Frames.field(login.body(), "access_token");
  }

  /** A new private room with every bench user as a member; returns its id. */
  long createRoom() throws SQLException {
    try (Connection db = database()) {
      long room;
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO chat.room (name, visibility) VALUES (?, 'private') RETURNING id")) {
        insert.setString(1, "bench-" + UUID.randomUUID().toString().substring(0, 18));
        try (ResultSet rows = insert.executeQuery()) {
          rows.next();
          room = rows.getLong(1);
        }
      }
      try (PreparedStatement join =
          db.prepareStatement(
              "INSERT INTO chat.membership (room_id, user_id, role)"
                  + " SELECT ?, id, 'member' FROM chat.chat_user WHERE subject = ANY (?)")) {
        Array all = db.createArrayOf("text", subjects.toArray());
        join.setLong(1, room);
        join.setArray(2, all);
        join.executeUpdate();
      }
      return room;
    }
  }

  List<Long> createRooms(int count) throws SQLException {
    List<Long> rooms = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rooms.add(createRoom());
    }
    return rooms;
  }

  private static HttpResponse<String> post(String uri, String json)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(uri))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** SIGINT, as Ctrl-C: {@code ./chat up} stops everything it started. */
  @Override
  public void close() throws IOException, InterruptedException {
    List<ProcessHandle> started = process.descendants().toList();
    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
