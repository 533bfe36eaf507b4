package teamchat.edge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import teamchat.edge.NginxTemplates.Vm;

/**
 * Both VMs' nginx, for tests: the configurations rendered from the repository's {@code nginx/}
 * templates exactly as on the VMs, but listening on free loopback ports, as the current user, with
 * pid, logs and temporary files in a test folder, and a certificate made for the test.
 *
 * <pre>{@code
 * try (EdgeProxy edge = EdgeProxy.builder(tempDir)
 *         .chatfront(chatfrontPort).auth(authPort).chatserv(chatservPort)
 *         .start()) {
 *   HttpClient client = edge.httpClient();         // trusts the test certificate
 *   client.send(HttpRequest.newBuilder(edge.vm1().resolve("/index.xhtml")).build(), ...);
 *   // the page's WebSocket: edge.webSocket() (wss://localhost:<port>/ws), allowed origin edge.vm1Origin()
 *   // Chromium: --ignore-certificate-errors-spki-list=edge.certificate().spkiSha256Base64()
 * }
 * }</pre>
 *
 * <p>Both servers answer for {@code localhost}: VM1 on {@link #vm1()}, VM2 on {@link #vm2()}, each
 * with its own HTTP port that redirects to HTTPS. VM1's Content-Security-Policy names VM2's {@code
 * wss://} origin, as on the real VMs. {@link #close()} stops both.
 *
 * <p>For the whole system behind it (the browser test), start the edge first: nginx starts with
 * upstreams that do not listen yet (requests get 502 until they do). So pick the services' free
 * ports, start the edge with them, then start the services with what only the edge knows:
 * chatfront's {@code CHATFRONT_CHATSERV_URL} = {@link #webSocket()}, chatserv's {@code
 * CHATSERV_ALLOWED_ORIGINS} = {@link #vm1Origin()}; {@code CHATFRONT_SECURE_COOKIES=true} works,
 * since the browser only sees HTTPS. Logs for "no token in nginx's logs": {@link #accessLog} and
 * {@link #errorLog}. Each instance writes only below its work directory.
 */
public final class EdgeProxy implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EdgeProxy.class.getName());
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int PORT_ATTEMPTS = 3;
  private static final String HOST = "localhost";

  private final Builder settings;
  private final TestCertificate certificate;
  private final Map<Vm, Instance> instances = new EnumMap<>(Vm.class);

  private EdgeProxy(Builder settings, TestCertificate certificate) {
    this.settings = settings;
    this.certificate = certificate;
  }

  /** Starts a configuration; {@code workDirectory} receives certificates, configs and logs. */
  public static Builder builder(Path workDirectory) {
    return new Builder(workDirectory);
  }

  /** VM1's HTTPS base address, e.g. {@code https://localhost:40123/}. */
  public URI vm1() {
    return URI.create("https://" + HOST + ":" + instance(Vm.VM1).httpsPort + "/");
  }

  /** VM1's plain HTTP address, which only redirects. */
  public URI vm1Http() {
    return URI.create("http://" + HOST + ":" + instance(Vm.VM1).httpPort + "/");
  }

  /** The origin of VM1's pages: what chatserv's {@code CHATSERV_ALLOWED_ORIGINS} must contain. */
  public String vm1Origin() {
    return "https://" + HOST + ":" + instance(Vm.VM1).httpsPort;
  }

  /** VM2's HTTPS base address. */
  public URI vm2() {
    return URI.create("https://" + HOST + ":" + instance(Vm.VM2).httpsPort + "/");
  }

  /** VM2's plain HTTP address, which only redirects. */
  public URI vm2Http() {
    return URI.create("http://" + HOST + ":" + instance(Vm.VM2).httpPort + "/");
  }

  /** The WebSocket the pages open: what chatfront's {@code CHATFRONT_CHATSERV_URL} must say. */
  public URI webSocket() {
    return URI.create(chatservOrigin() + "/ws");
  }

  /** VM2's {@code wss://} origin, as VM1's Content-Security-Policy names it. */
  public String chatservOrigin() {
    return "wss://" + HOST + ":" + instance(Vm.VM2).httpsPort;
  }

  public TestCertificate certificate() {
    return certificate;
  }

  /** An HTTP client that trusts the test certificate, follows no redirect and speaks HTTP/1.1. */
  public HttpClient httpClient() {
    return HttpClient.newBuilder()
        .sslContext(certificate.sslContext())
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  public Path accessLog(Vm vm) {
    return instance(vm).directory.resolve("logs/teamchat-access.log");
  }

  public Path errorLog(Vm vm) {
    return instance(vm).directory.resolve("logs/error.log");
  }

  /** The rendered {@code nginx.conf} and {@code teamchat-site.conf} of a VM. */
  public Path configDirectory(Vm vm) {
    return instance(vm).directory.resolve("conf");
  }

  private Instance instance(Vm vm) {
    return Objects.requireNonNull(instances.get(vm), "not started");
  }

  private EdgeProxy startAll() throws IOException, InterruptedException {
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          List<Integer> ports = freePorts(4);
          Instance vm1 = new Instance(Vm.VM1, ports.get(0), ports.get(1));
          Instance vm2 = new Instance(Vm.VM2, ports.get(2), ports.get(3));
          instances.put(Vm.VM1, vm1);
          instances.put(Vm.VM2, vm2);
          vm2.start(valuesFor(vm2));
          vm1.start(valuesFor(vm1));
          return this;
        } catch (PortTakenException e) {
          // Another process took a port between our probe and nginx's bind: new ports, once more.
          close();
          instances.clear();
          if (attempt == PORT_ATTEMPTS) {
            throw new IOException(e.getMessage(), e);
          }
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private Map<String, String> valuesFor(Instance instance) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("SERVER_NAME", HOST);
    values.put("TLS_CERTIFICATE", certificate.certificateFile().toString());
    values.put("TLS_CERTIFICATE_KEY", certificate.keyFile().toString());
    values.put("LISTEN", "127.0.0.1");
    values.put("HTTP_PORT", Integer.toString(instance.httpPort));
    values.put("HTTPS_PORT", Integer.toString(instance.httpsPort));
    values.put("ACME_WEBROOT", Files.createDirectories(settings.work.resolve("acme")).toString());
    // Ignored unless nginx starts as root; then workers keep our user, which owns the test folder.
    values.put("NGINX_USER", System.getProperty("user.name"));
    values.put("NGINX_PID", instance.directory.resolve("nginx.pid").toString());
    values.put("NGINX_LOG_DIR", instance.directory.resolve("logs").toString());
    values.put("NGINX_TEMP_DIR", instance.directory.resolve("temp").toString());
    if (instance.vm == Vm.VM1) {
      values.put("CHATFRONT_SERVERS", String.join(" ", settings.chatfront));
      values.put("AUTH_SERVERS", String.join(" ", settings.auth));
      values.put("CHATSERV_PUBLIC_ORIGIN", chatservOrigin());
      values.put("STATIC_ROOT", settings.staticRoot.toString());
      if (settings.filesMaxBytes > 0) {
        values.put("CHATFRONT_FILES_MAX_BYTES", Long.toString(settings.filesMaxBytes));
      }
    } else {
      values.put("CHATSERV_SERVERS", String.join(" ", settings.chatserv));
      if (settings.webSocketIdleTimeout != null) {
        values.put("WS_IDLE_TIMEOUT", settings.webSocketIdleTimeout.toSeconds() + "s");
      }
    }
    return values;
  }

  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
      }
      return sockets.stream().map(ServerSocket::getLocalPort).collect(Collectors.toList());
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Stops both nginx instances (fast shutdown, then kill) and waits for them to exit. */
  @Override
  public void close() {
    for (Instance instance : instances.values()) {
      instance.stop();
    }
  }

  /** One VM's nginx. */
  private final class Instance {
    final Vm vm;
    final int httpPort;
    final int httpsPort;
    final Path directory;
    Process process;

    Instance(Vm vm, int httpPort, int httpsPort) {
      this.vm = vm;
      this.httpPort = httpPort;
      this.httpsPort = httpsPort;
      this.directory = settings.work.resolve(vm.argument());
    }

    void start(Map<String, String> values) throws IOException, InterruptedException {
      Path conf = directory.resolve("conf");
      Files.createDirectories(directory.resolve("logs"));
      Files.createDirectories(directory.resolve("temp"));
      Command rendered = NginxTemplates.render(vm, conf, values);
      if (!rendered.succeeded()) {
        throw new IOException("nginx/render failed: " + rendered);
      }
      Path output = directory.resolve("logs/nginx.out");
      process =
          new ProcessBuilder(
                  settings.nginx.toString(),
                  "-p",
                  directory.toString(),
                  "-c",
                  conf.resolve("nginx.conf").toString(),
                  "-e",
                  directory.resolve("logs/error.log").toString(),
                  "-g",
                  "daemon off;")
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      process.getOutputStream().close();
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (!(accepts(httpPort) && accepts(httpsPort))) {
        if (!process.isAlive()) {
          String log = Files.readString(output, StandardCharsets.UTF_8) + errorLogText();
          if (log.contains("Address already in use")) {
            throw new PortTakenException(vm + ": a port was taken: " + log);
          }
          throw new IOException(vm + ": nginx exited with " + process.exitValue() + ":\n" + log);
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(vm + ": nginx not listening after " + READY_TIMEOUT);
        }
        Thread.sleep(50);
      }
      LOG.fine(() -> vm + " nginx on http " + httpPort + ", https " + httpsPort);
    }

    private String errorLogText() throws IOException {
      Path log = directory.resolve("logs/error.log");
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private boolean accepts(int port) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    void stop() {
      if (process == null) {
        return;
      }
      List<ProcessHandle> workers = process.descendants().collect(Collectors.toList());
      process.destroy(); // SIGTERM: nginx's fast shutdown, the master stops its workers
      try {
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // A worker whose master was killed would keep the ports: make sure none is left.
      workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      process = null;
    }
  }

  private static final class PortTakenException extends IOException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }

  /**
   * What the edge stands in front of. Addresses are {@code host:port}; several per service work.
   */
  public static final class Builder {
    private final Path work;
    private final List<String> chatfront = new ArrayList<>();
    private final List<String> auth = new ArrayList<>();
    private final List<String> chatserv = new ArrayList<>();
    private Path staticRoot;
    private Path nginx = Path.of("/usr/sbin/nginx");
    private Duration webSocketIdleTimeout;
    private long filesMaxBytes;

    private Builder(Path work) {
      this.work = work.toAbsolutePath();
    }

    public Builder chatfront(int... ports) {
      return add(chatfront, ports);
    }

    public Builder auth(int... ports) {
      return add(auth, ports);
    }

    public Builder chatserv(int... ports) {
      return add(chatserv, ports);
    }

    /** Files served under {@code /static/}; an empty folder in the work directory by default. */
    public Builder staticRoot(Path folder) {
      this.staticRoot = folder.toAbsolutePath();
      return this;
    }

    /**
     * VM2's {@code WS_IDLE_TIMEOUT}, whole seconds: how long a silent {@code /ws} socket is kept
     * (the template's 300 s by default, too long to wait for in a test).
     */
    public Builder webSocketIdleTimeout(Duration timeout) {
      this.webSocketIdleTimeout = timeout;
      return this;
    }

    /**
     * VM1's {@code CHATFRONT_FILES_MAX_BYTES}: the largest upload {@code /session/files} passes on
     * (render's default, chatfront's 25 MB, unless set).
     */
    public Builder filesMaxBytes(long bytes) {
      this.filesMaxBytes = bytes;
      return this;
    }

    /** The nginx binary; {@code /usr/sbin/nginx} (Debian's package) by default. */
    public Builder nginx(Path binary) {
      this.nginx = binary;
      return this;
    }

    private Builder add(List<String> list, int... ports) {
      for (int port : ports) {
        list.add("127.0.0.1:" + port);
      }
      return this;
    }

    /** Renders both configurations and starts nginx for each; returns once both listen. */
    public EdgeProxy start() throws IOException, InterruptedException {
      if (chatfront.isEmpty() || auth.isEmpty() || chatserv.isEmpty()) {
        throw new IllegalStateException("chatfront, auth and chatserv each need a port");
      }
      if (!Files.isExecutable(nginx)) {
        throw new IllegalStateException(
            nginx + " not found: install nginx (./chat test installs it: apt-get install nginx)");
      }
      Files.createDirectories(work);
      if (staticRoot == null) {
        staticRoot = Files.createDirectories(work.resolve("static"));
      }
      TestCertificate certificate = TestCertificate.create(work.resolve("tls"));
      return new EdgeProxy(this, certificate).startAll();
    }
  }
}
