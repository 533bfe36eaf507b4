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
 * @param chatfrontInstances how many chatfront instances run ({@link #port(Service, int)})
 * @param authInstances how many auth instances run
 * @param chatservInstances how many chatserv instances run; more than one of a kind form a Data
 *     Grid cluster of that kind ({@link DataGrid}), and any kind with more than one puts the local
 *     load balancer in front ({@link LoadBalancer})
 * @param proxyPort the load balancer's port, the one address people open when it runs; the port
 *     after it is the services' own way to chatfront and auth ({@link #internalProxyPort()})
 * @param gridPort the first Data Grid port: chatserv's cluster takes it and the ports after it,
 *     chatfront's start 20 above, auth's 40 above
 * @param filesMaxBytes chatfront's largest upload ({@code CHATFRONT_FILES_MAX_BYTES}, which
 *     chatfront reads from the same environment), or null for its default: the local nginx's body
 *     limit for uploads must be the same
 * @param classDataSharing whether the services start from a class data archive of their uber-jar,
 *     written when they first stop ({@link ClassDataSharing}); {@code CHAT_CLASS_DATA_SHARING=off}
 *     starts them without one and writes none
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
    int chatfrontInstances,
    int authInstances,
    int chatservInstances,
    int proxyPort,
    int gridPort,
    String filesMaxBytes,
    boolean classDataSharing) {

  /**
   * At most this many instances of a kind: a cluster of one machine is for trying, not for load.
   */
  static final int MAX_INSTANCES = 4;

  /**
   * Instance {@code i} of a kind listens {@code i} times this above its kind's port: the default
   * ports of the three kinds (8080, 8081, 8082) lie next to each other, so "the port after" would
   * be another kind's.
   */
  static final int INSTANCE_PORT_STEP = 10;

  public Settings {
    for (Service service : Service.ALL) {
      int count = ofKind(service, chatfrontInstances, authInstances, chatservInstances);
      if (count < 1 || count > MAX_INSTANCES) {
        throw new IllegalArgumentException(
            service.instancesVariable() + " must be 1 to " + MAX_INSTANCES + ", not " + count);
      }
    }
    Map<String, Integer> wanted = new LinkedHashMap<>();
    for (Service service : Service.ALL) {
      // (The fields are not set yet in a compact constructor: the parameters are.)
      int first = ofKind(service, chatfrontPort, authPort, chatservPort);
      wanted.put(service.portVariable(), first);
      for (int more = 1;
          more < ofKind(service, chatfrontInstances, authInstances, chatservInstances);
          more++) {
        wanted.put(
            service.portVariable() + "+" + more * INSTANCE_PORT_STEP,
            first + more * INSTANCE_PORT_STEP);
      }
    }
    if (chatfrontInstances > 1 || authInstances > 1 || chatservInstances > 1) {
      wanted.put("CHAT_PROXY_PORT", proxyPort);
      wanted.put("CHAT_PROXY_PORT+1", proxyPort + 1);
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
        positive(env, Service.CHATFRONT.instancesVariable(), 1),
        positive(env, Service.AUTH.instancesVariable(), 1),
        positive(env, Service.CHATSERV.instancesVariable(), 1),
        port(env, "CHAT_PROXY_PORT", 8000),
        port(env, "CHAT_GRID_PORT", DataGrid.FIRST_PORT),
        blankToNull(env.get("CHATFRONT_FILES_MAX_BYTES")),
        onOrOff(env, "CHAT_CLASS_DATA_SHARING", true));
  }

  /** Picks the value of a service's kind from three (the same order for ports and counts). */
  private static int ofKind(Service service, int chatfront, int auth, int chatserv) {
    return service == Service.CHATFRONT ? chatfront : service == Service.AUTH ? auth : chatserv;
  }

  /** How many instances of a kind run. */
  public int instances(Service service) {
    return ofKind(service, chatfrontInstances, authInstances, chatservInstances);
  }

  /** The HTTP port of instance {@code instance} (0 is the first) of a kind. */
  public int port(Service service, int instance) {
    return service.port().applyAsInt(this) + instance * INSTANCE_PORT_STEP;
  }

  /** The HTTP port of chatserv instance {@code instance} (0 is the first). */
  public int chatservPort(int instance) {
    return port(Service.CHATSERV, instance);
  }

  /** Whether the local load balancer runs: some kind has more than one instance. */
  public boolean balanced() {
    return Service.ALL.stream().anyMatch(service -> instances(service) > 1);
  }

  /**
   * The load balancer's second port, for the services only: chatserv's calls to chatfront's
   * internal API and everyone's calls to auth, spread over the instances like the public ones,
   * which never reach that API.
   */
  public int internalProxyPort() {
    return proxyPort + 1;
  }

  /** Where people open the chat: the public address, the load balancer, or the local chatfront. */
  public String pageUrl() {
    if (publicUrl != null) {
      return publicUrl;
    }
    return "http://localhost:" + (balanced() ? proxyPort : chatfrontPort) + "/";
  }

  /** chatserv's WebSocket as the pages open it. */
  public String webSocketUrl() {
    if (publicWebSocketUrl != null) {
      return publicWebSocketUrl;
    }
    return "ws://localhost:" + (balanced() ? proxyPort : chatservPort) + "/ws";
  }

  /**
   * The page origins chatserv accepts: the public one (if any), the load balancer's (when it runs)
   * and the local ones.
   */
  public String allowedOrigins() {
    String local = "http://localhost:" + chatfrontPort + ",http://127.0.0.1:" + chatfrontPort;
    if (balanced()) {
      local = "http://localhost:" + proxyPort + ",http://127.0.0.1:" + proxyPort + "," + local;
    }
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

  private static boolean onOrOff(Map<String, String> env, String name, boolean fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on" -> true;
      case "off" -> false;
      default ->
          throw new IllegalArgumentException(name + " must be on or off, not '" + value + "'");
    };
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
