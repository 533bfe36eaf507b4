package teamchat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import teamchat.systemtestkit.FreePorts;

/**
 * The fan-out reference: {@code broadcast-server.js} on npm's {@code ws}, installed by the bench
 * into {@code bench/target/node} from the npm registry (the version is the parent pom's {@code
 * ws.npm.version}).
 */
final class NodeBroadcastServer implements AutoCloseable {

  private final Process process;
  final int port;

  private NodeBroadcastServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Where the reference finds auth's keys and what it asks of a token: it checks each socket's
   * token as chatserv does (signature, issuer, audience, expiry), so that signing a socket in costs
   * both sides the same work.
   *
   * @param keySet auth's JWKS
   * @param settings the file that holds the verifiers' {@code mp.jwt.verify.issuer} and {@code
   *     mp.jwt.verify.audiences}, read from there so that they have one home
   */
  record TokenCheck(URI keySet, Path settings) {
    List<String> arguments() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = Files.newInputStream(settings)) {
        properties.load(in);
      }
      return List.of(
          keySet.toString(),
          properties.getProperty("mp.jwt.verify.issuer"),
          properties.getProperty("mp.jwt.verify.audiences"));
    }
  }

  /**
   * Starts the reference on a free port; with a {@link TokenCheck} it signs sockets in by their
   * tokens, without one it takes any token.
   */
  static NodeBroadcastServer start(
      Path folder, String cpus, PrintStream out, Optional<TokenCheck> tokenCheck)
      throws IOException, InterruptedException {
    Files.createDirectories(folder);
    Path script = folder.resolve("broadcast-server.js");
    try (InputStream in = NodeBroadcastServer.class.getResourceAsStream("broadcast-server.js")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    String version = wsVersion();
    Path installed = folder.resolve("node_modules/ws/package.json");
    if (!Files.exists(installed)
        || !Files.readString(installed).contains("\"version\": \"" + version + "\"")) {
      out.println("  installing npm ws@" + version + " into " + folder);
      Process npm =
          new ProcessBuilder(
                  "npm",
                  "install",
                  "--no-save",
                  "--no-audit",
                  "--no-fund",
                  "--prefix",
                  folder.toString(),
                  "ws@" + version)
              .redirectErrorStream(true)
              .redirectOutput(folder.resolve("npm-install.log").toFile())
              .start();
      if (npm.waitFor() != 0) {
        throw new IOException("npm install ws failed: see " + folder.resolve("npm-install.log"));
      }
    }
    List<String> command = new ArrayList<>();
    if (cpus != null) {
      command.addAll(List.of("taskset", "-c", cpus));
    }
    command.addAll(
        List.of("node", script.toString(), Integer.toString(FreePorts.distinct(1).get(0))));
    if (tokenCheck.isPresent()) {
      command.addAll(tokenCheck.get().arguments());
    }
    Process process =
        new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = lines.readLine();
    if (line == null || !line.startsWith("listening on ")) {
      process.destroyForcibly();
      throw new IOException("the Node ws server did not start: " + line);
    }
    return new NodeBroadcastServer(process, Integer.parseInt(line.substring(13).trim()));
  }

  static String wsVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = NodeBroadcastServer.class.getResourceAsStream("bench.properties")) {
      properties.load(in);
    }
    return properties.getProperty("ws.npm.version");
  }

  URI webSocket() {
    return URI.create("ws://127.0.0.1:" + port + "/");
  }

  /** The node process itself (taskset execs it, so the pid is the same). */
  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
