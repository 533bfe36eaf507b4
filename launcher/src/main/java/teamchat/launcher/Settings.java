package teamchat.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code ./chat up} is told by its environment. Every setting has a default, so that a plain
 * {@code ./chat up} works on a fresh clone.
 *
 * @param root the project folder (where the uber-jars are built)
 * @param dataDirectory where the embedded database, the logs and the lock live
 * @param chatfrontPort HTTP port of chatfront
 * @param authPort HTTP port of auth
 * @param chatservPort HTTP port of chatserv
 * @param postgresPort port of the embedded PostgreSQL, 0 for any free one
 * @param dbUrl an external PostgreSQL to use instead of the embedded one, or null
 * @param dbUser user for {@code dbUrl}
 * @param dbPassword password for {@code dbUrl}
 * @param javaOptions JVM options of each service
 * @param bootTimeoutSeconds how long the services may take to become ready
 * @param publicUrl the address people open, when a proxy (nginx with TLS) is in front; null: the
 *     local chatfront port
 * @param publicWebSocketUrl chatserv's WebSocket as browsers reach it through that proxy; null: the
 *     local chatserv port
 * @param bindAddress the IP address the three services listen on: loopback unless told otherwise
 * @param chatservInstances how many chatserv instances run, on {@code chatservPort} and the ports
 *     after it; more than one form a Data Grid cluster ({@link DataGrid})
 */
public record Settings(
    Path root,
    Path dataDirectory,
    int chatfrontPort,
    int authPort,
    int chatservPort,
    int postgresPort,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String javaOptions,
    int bootTimeoutSeconds,
    String publicUrl,
    String publicWebSocketUrl,
    String bindAddress,
    int chatservInstances) {

  /** At most this many chatserv instances: a cluster of one machine is for trying, not for load. */
  static final int MAX_CHATSERV_INSTANCES = 4;

  public Settings {
    if (chatservInstances < 1 || chatservInstances > MAX_CHATSERV_INSTANCES) {
      throw new IllegalArgumentException(
          "CHATSERV_INSTANCES must be 1 to "
              + MAX_CHATSERV_INSTANCES
              + ", not "
              + chatservInstances);
    }
    Map<String, Integer> wanted = new LinkedHashMap<>();
    wanted.put(Service.CHATFRONT.portVariable(), chatfrontPort);
    wanted.put(Service.AUTH.portVariable(), authPort);
    wanted.put(Service.CHATSERV.portVariable(), chatservPort);
    for (int more = 1; more < chatservInstances; more++) {
      // The other chatserv instances take the ports after CHATSERV_PORT.
      wanted.put(Service.CHATSERV.portVariable() + "+" + more, chatservPort + more);
    }
    wanted.put("CHAT_PG_PORT", postgresPort);
    Map<Integer, String> byPort = new LinkedHashMap<>();
    wanted.forEach(
        (name, port) -> {
          String other = port == 0 ? null : byPort.putIfAbsent(port, name);
          if (other != null) {
            throw new IllegalArgumentException(
                other
                    + " and "
                    + name
                    + " are both "
                    + port
                    + "; each service needs a port of its own");
          }
        });
  }

  /**
   * Reads the settings from environment variables; throws with a readable message on bad values.
   */
  public static Settings from(Path root, Map<String, String> env) {
    String dataDirectory = env.getOrDefault("CHAT_DATA_DIR", "");
    String dbUrl = blankToNull(env.get("DB_URL"));
    return new Settings(
        root,
        dataDirectory.isBlank() ? root.resolve(".chat") : Path.of(dataDirectory).toAbsolutePath(),
        port(env, Service.CHATFRONT.portVariable(), 8080),
        port(env, Service.AUTH.portVariable(), 8081),
        port(env, Service.CHATSERV.portVariable(), 8082),
        port(env, "CHAT_PG_PORT", 0),
        dbUrl,
        env.getOrDefault("DB_USER", dbUrl == null ? "postgres" : System.getProperty("user.name")),
        env.getOrDefault("DB_PASSWORD", ""),
        env.getOrDefault("CHAT_JAVA_OPTS", "-Xmx512m"),
        positive(env, "CHAT_BOOT_TIMEOUT", 300),
        url(env, "CHAT_PUBLIC_URL", "http://", "https://"),
        url(env, "CHAT_PUBLIC_WS_URL", "ws://", "wss://"),
        ipAddress(env, "CHAT_BIND_ADDRESS", "127.0.0.1"),
        positive(env, "CHATSERV_INSTANCES", 1));
  }

  /** The HTTP port of chatserv instance {@code instance} (0 is the first). */
  public int chatservPort(int instance) {
    return chatservPort + instance;
  }

  /** Where people open the chat: the public address, or the local chatfront. */
  public String pageUrl() {
    return publicUrl != null ? publicUrl : "http://localhost:" + chatfrontPort + "/";
  }

  /** chatserv's WebSocket as the pages open it. */
  public String webSocketUrl() {
    return publicWebSocketUrl != null
        ? publicWebSocketUrl
        : "ws://localhost:" + chatservPort + "/ws";
  }

  /** The page origins chatserv accepts: the public one (if any) and the local ones. */
  public String allowedOrigins() {
    String local = "http://localhost:" + chatfrontPort + ",http://127.0.0.1:" + chatfrontPort;
    if (publicUrl == null) {
      return local;
    }
    java.net.URI page = java.net.URI.create(publicUrl);
    return page.getScheme() + "://" + page.getRawAuthority() + "," + local;
  }

  /** Behind TLS the session cookie must be Secure. */
  public boolean secureCookies() {
    return publicUrl != null && publicUrl.startsWith("https://");
  }

  private static String url(Map<String, String> env, String name, String... schemes) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return null;
    }
    for (String scheme : schemes) {
      if (value.startsWith(scheme) && value.length() > scheme.length()) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        name + " must start with " + String.join(" or ", schemes) + ", not '" + value + "'");
  }

  /**
   * An IP address literal, nothing else: the value goes into a Payara command file, where a host
   * name would be resolved at boot and a line break would be a second command.
   */
  private static String ipAddress(Map<String, String> env, String name, String fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    value = value.strip();
    boolean ipv4 =
        value.matches(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    boolean ipv6 = value.contains(":") && value.matches("[0-9A-Fa-f:.]+");
    if (!ipv4 && !ipv6) {
      throw new IllegalArgumentException(
          name + " must be an IP address (127.0.0.1, 0.0.0.0, ::1), not '" + value + "'");
    }
    return value;
  }

  public boolean embeddedDatabase() {
    return dbUrl == null;
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    int port = integer(env, name, fallback);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be a TCP port (0-65535), not " + port);
    }
    if (port == 0 && fallback != 0) {
      throw new IllegalArgumentException(name + " must be a fixed port, not 0");
    }
    return port;
  }

  private static int positive(Map<String, String> env, String name, int fallback) {
    int value = integer(env, name, fallback);
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
    return value;
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + value + "'", e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
