package teamchat.payaraserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import teamchat.systemtestkit.Accounts;
import teamchat.systemtestkit.Accounts.Person;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.Fixtures;
import teamchat.systemtestkit.Frame;
import teamchat.systemtestkit.JsonBodies;

/**
 * The admin's path of docs/payara-server.md, for real: Payara Server from Maven Central, a new
 * domain on free ports, {@code payara/domain-config/apply-to-domain}, the three WARs as built
 * deployed with {@code asadmin deploy}, a message exchanged through chatserv, and nothing left
 * running after {@code stop-domain}.
 */
class PayaraServerDomainIT {

  private static final Logger LOG = Logger.getLogger(PayaraServerDomainIT.class.getName());

  /** Port offsets from the base that create-domain --portbase uses (Payara 6). */
  private static final int[] PORT_OFFSETS = {9, 37, 38, 39, 48, 49, 59, 66, 76, 80, 81, 86};

  private static final String DOMAIN = "teamchat";
  private static final Path PAYARA = Path.of(System.getProperty("teamchat.test.payaraHome"));
  private static final Path DOMAINS = PAYARA.resolveSibling("domains");
  private static final Path ASADMIN = PAYARA.resolve("bin/asadmin");

  /** HTTP/1.1: no h2c upgrade with Payara. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static int adminPort;
  private static int httpPort;
  private static Long domainPid;

  @Test
  void deployedWithAsadminTheWarsChatAndTheStoppedDomainLeavesNothing() throws Exception {
    long start = System.nanoTime();
    deleteLeftovers(DOMAINS.resolve(DOMAIN));
    int portBase = freePortBase();
    adminPort = portBase + 48;
    httpPort = portBase + 80;
    asadmin(
        Duration.ofMinutes(3),
        "create-domain",
        "--domaindir",
        DOMAINS.toString(),
        "--nopassword",
        "--portbase",
        Integer.toString(portBase),
        DOMAIN);
    step("domain created", start);

    // chatserv's key pair for its assertions to chatfront (docs/tokens.md, "Service calls").
    Path chatservKeys = Files.createTempDirectory("chatserv-keys");
    writeKeyPair(chatservKeys);
    String base = "http://127.0.0.1:" + httpPort;
    ProcessBuilder apply =
        new ProcessBuilder(
            Path.of(System.getProperty("teamchat.test.domainConfig"), "apply-to-domain").toString(),
            "--asadmin",
            ASADMIN.toString(),
            "--domaindir",
            DOMAINS.toString(),
            "--domain",
            DOMAIN,
            "--driver",
            System.getProperty("teamchat.test.postgresqlDriver"));
    // The settings of the three applications, as the admin's environment file gives them to the
    // domain: MicroProfile Config reads the domain's environment (docs/payara-server.md).
    Map<String, String> env = apply.environment();
    env.put("DB_URL", System.getProperty("teamchat.test.db.url"));
    env.put("DB_USER", "postgres");
    env.put("DB_PASSWORD", "postgres");
    env.put("AUTH_URL", base + "/auth");
    env.put("CHATFRONT_URL", base);
    env.put("CHATFRONT_CHATSERV_URL", "ws://127.0.0.1:" + httpPort + "/chat/ws");
    env.put("CHATFRONT_SECURE_COOKIES", "false");
    env.put("CHATSERV_ASSERTION_KEY", chatservKeys.resolve("chatserv-assertion.key").toString());
    env.put("CHATFRONT_CHATSERV_KEYS", chatservKeys.resolve("chatserv-assertion.pub").toString());
    env.put("CHATSERV_ALLOWED_ORIGINS", base);
    run(apply, Duration.ofMinutes(3));
    domainPid = Long.parseLong(Files.readString(DOMAINS.resolve(DOMAIN + "/config/pid")).trim());
    step("domain config applied, domain started (pid " + domainPid + ")", start);

    asadmin(Duration.ofMinutes(2), "deploy", "--name", "auth", war("authWar"));
    asadmin(Duration.ofMinutes(2), "deploy", "--name", "chatfront", war("chatfrontWar"));
    asadmin(
        Duration.ofMinutes(2),
        "deploy",
        "--name",
        "chatserv",
        "--contextroot",
        "/chat",
        war("chatservWar"));
    step("three WARs deployed", start);

    HttpResponse<String> ready = awaitReady(base + "/health/ready", Duration.ofSeconds(60));
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(
        JsonBodies.parse(ready.body()).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
            .anyMatch(check -> "database".equals(check.getString("name", null))),
        "readiness checks the database: " + ready.body());
    // The pre-boot file applied to the domain's own listener: no server advertised.
    assertTrue(ready.headers().firstValue("Server").isEmpty(), "no Server header");
    assertTrue(ready.headers().firstValue("X-Powered-By").isEmpty(), "no X-Powered-By header");
    HttpResponse<String> page = get(base + "/");
    assertEquals(200, page.statusCode(), "chatfront's pages at /");
    assertTrue(page.body().contains("Team chat</title>"), page.body());
    step("healthy", start);

    exchangeAMessage();
    step("message exchanged", start);

    asadmin(Duration.ofMinutes(2), "stop-domain", "--domaindir", DOMAINS.toString(), DOMAIN);
    Optional<ProcessHandle> server = ProcessHandle.of(domainPid);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (server.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertFalse(server.map(ProcessHandle::isAlive).orElse(false), "the domain's java has ended");
    for (int port : new int[] {adminPort, httpPort, httpPort + 1}) {
      assertFalse(accepting(port), "port " + port + " closed");
    }
    domainPid = null;
    step("domain stopped, nothing left", start);
  }

  /** auth's REST API for the account and token, SQL for the room, chatserv for the message. */
  private static void exchangeAMessage() throws Exception {
    Person person =
        new Accounts(URI.create("http://127.0.0.1:" + httpPort + "/auth/")).register("p");
    long room;
    try (Connection db = database()) {
      room = Fixtures.privateRoom(db, "room", List.of(person.subject()));
    }

    try (ChatClient client =
        ChatClient.connect(URI.create("ws://127.0.0.1:" + httpPort + "/chat/ws"), person.token())) {
      answered(
          client,
          Json.createObjectBuilder().add("type", "subscribe").add("room", room).add("after", 0),
          "subscribed");
      Frame ack =
          answered(
              client,
              Json.createObjectBuilder()
                  .add("type", "send")
                  .add("room", room)
                  .add("client_msg_id", "server-1")
                  .add("body", "hello from a domain"),
              "ack");
      assertEquals(1L, ack.number("seq"), ack.toString());
      Frame message = client.await(ChatClient.type("message"));
      assertEquals("hello from a domain", message.string("body"));
      assertEquals(person.subject(), message.string("sender"));
    }
    try (Connection db = database();
        ResultSet rows =
            db.createStatement()
                .executeQuery("SELECT body FROM chat.message WHERE room_id = " + room)) {
      assertTrue(rows.next(), "stored by chatfront");
      assertEquals("hello from a domain", rows.getString(1));
      assertFalse(rows.next(), "stored once");
    }
  }

  /**
   * Sends a frame until it gets its answer, as the protocol asks of a client that hears "retry":
   * the first calls from chatserv to chatfront, in the same busy JVM, may miss chatserv's timeout
   * while chatfront's JPA and REST warm up.
   */
  private static Frame answered(ChatClient client, JsonObjectBuilder frame, String answer)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject sent = frame.build();
    while (true) {
      client.send(sent);
      Frame reply = client.await(f -> answer.equals(f.type()) || "error".equals(f.type()));
      if (answer.equals(reply.type())) {
        return reply;
      }
      assertEquals(Boolean.TRUE, reply.get("retry"), "refused for good: " + reply);
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still refused after 60 s: " + reply);
      }
      LOG.info(() -> "chatserv answered " + reply.get("code") + "; sending again");
      Thread.sleep(1000);
    }
  }

  private static Connection database() throws Exception {
    return DriverManager.getConnection(System.getProperty("teamchat.test.db.url"), "postgres", "");
  }

  /** Should the test fail half-way: the domain it started does not outlive it. */
  @AfterAll
  static void stopWhatIsLeft() throws Exception {
    if (domainPid == null) {
      return;
    }
    try {
      asadmin(Duration.ofMinutes(2), "stop-domain", "--domaindir", DOMAINS.toString(), DOMAIN);
    } finally {
      ProcessHandle.of(domainPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  // ---- asadmin and HTTP

  private static void asadmin(Duration timeout, String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ASADMIN.toString());
    if (adminPort > 0 && !List.of("create-domain", "stop-domain").contains(arguments[0])) {
      command.add("--port");
      command.add(Integer.toString(adminPort));
    }
    command.addAll(List.of(arguments));
    run(new ProcessBuilder(command), timeout);
  }

  /** Runs a command to its end; its output goes to a file under target/ and into a failure. */
  private static void run(ProcessBuilder command, Duration timeout) throws Exception {
    // The zip does not always keep the executable bit.
    Files.setPosixFilePermissions(ASADMIN, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path output = Files.createTempFile(DOMAINS.getParent(), "asadmin-", ".log");
    Process process =
        command
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    String text = Files.readString(output);
    if (!ended) {
      process.destroyForcibly();
      throw new AssertionError(
          command.command() + " still running after " + timeout + ":\n" + text);
    }
    assertEquals(0, process.exitValue(), command.command() + ":\n" + text);
  }

  private static String war(String property) {
    return System.getProperty("teamchat.test." + property);
  }

  private static HttpResponse<String> awaitReady(String uri, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get(uri);
        if (last.statusCode() == 200) {
          return last;
        }
      } catch (IOException notYet) {
        // the listener is there as soon as the domain is; keep asking
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "not ready within " + timeout + (last == null ? "" : ": " + last.body()));
  }

  private static HttpResponse<String> get(String uri) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // ---- ports and small helpers

  /** A port base whose every derived port is free now (create-domain checks them again). */
  private static int freePortBase() {
    for (int attempt = 0; attempt < 50; attempt++) {
      // 10000-31986: below the kernel's range for the local ports of outgoing connections (from
      // 32768 on Linux), so that no connection made while the domain starts can take one.
      int base = ThreadLocalRandom.current().nextInt(100, 320) * 100;
      boolean free = true;
      for (int offset : PORT_OFFSETS) {
        free &= isFree(base + offset);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free port base found");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean accepting(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A domain of an earlier run (create-domain refuses to overwrite one). */
  private static void deleteLeftovers(Path folder) throws IOException {
    if (Files.exists(folder)) {
      try (var paths = Files.walk(folder)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /** An EC P-256 key pair as PEM, as openssl (and ./chat up) writes it. */
  private static void writeKeyPair(Path folder) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    Files.writeString(
        folder.resolve("chatserv-assertion.key"),
        "-----BEGIN PRIVATE KEY-----\n"
            + base64.encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    Files.writeString(
        folder.resolve("chatserv-assertion.pub"),
        "-----BEGIN PUBLIC KEY-----\n"
            + base64.encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
  }

  private static void step(String what, long start) {
    LOG.info(
        () ->
            String.format(
                "[%3ds] %s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), what));
  }
}
