package teamchat.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * One service as {@code ./chat up} runs it: everything the launcher knows about it in one place. A
 * new service is one more constant here, listed in {@link #ALL}, and its port in {@link Settings}.
 *
 * @param name the service's name in progress lines, logs ({@code logs/<name>.log}) and the ready
 *     file
 * @param uberJar the Payara Micro uber-jar the build leaves, relative to the project folder
 * @param portVariable the {@code ./chat up} setting that moves its HTTP port
 * @param instancesVariable the {@code ./chat up} setting that says how many instances run
 * @param port its HTTP port in the settings
 * @param scheme {@code http}, or {@code ws} for a service that is a WebSocket
 * @param path where its application answers (its context root, or the WebSocket for chatserv)
 * @param environment its settings (environment variables), from what the launcher has prepared
 */
record Service(
    String name,
    Path uberJar,
    String portVariable,
    String instancesVariable,
    ToIntFunction<Settings> port,
    String scheme,
    String path,
    Function<Wiring, Map<String, String>> environment) {

  /** MicroProfile Health's readiness, which every service reports. */
  static final String HEALTH_PATH = "/health/ready";

  /**
   * What the services' settings are made from.
   *
   * @param settings {@code ./chat up}'s own settings
   * @param database the database settings of each service that keeps data (by service name)
   * @param authKeyEncryptionSecret the key that encrypts auth's signing keys in its database: kept,
   *     or they cannot be read
   * @param chatservKey chatserv's key pair for its assertions to chatfront (docs/tokens.md): made
   *     once and kept; chatserv gets the private key's file, chatfront the public key's
   * @param chatfrontKey chatfront's key pair for its assertions to auth when it checks a personal
   *     access token (docs/api.md): chatfront gets the private key's file, auth the public key's
   */
  record Wiring(
      Settings settings,
      Map<String, Map<String, String>> database,
      String authKeyEncryptionSecret,
      LocalSecrets.KeyPairFiles chatservKey,
      LocalSecrets.KeyPairFiles chatfrontKey) {

    /** auth as the other services call it: its instance, or all of them through the balancer. */
    String authUrl() {
      return internalUrl(AUTH) + "/auth";
    }

    /** chatfront as chatserv calls it (its internal API). */
    String chatfrontUrl() {
      return internalUrl(CHATFRONT);
    }

    /**
     * One instance is called directly; several through the load balancer's internal port, which
     * passes a call that finds an instance gone on to another.
     */
    private String internalUrl(Service service) {
      return "http://127.0.0.1:"
          + (settings.instances(service) > 1
              ? settings.internalProxyPort()
              : service.port().applyAsInt(settings));
    }
  }

  static final Service AUTH =
      new Service(
          "auth",
          Path.of("auth-war/target/auth-micro.jar"),
          "AUTH_PORT",
          "AUTH_INSTANCES",
          Settings::authPort,
          "http",
          "/auth/",
          wiring -> {
            Map<String, String> auth = new HashMap<>(wiring.database().get("auth"));
            auth.put("AUTH_KEY_ENCRYPTION_SECRET", wiring.authKeyEncryptionSecret());
            // chatfront's public key: only chatfront may introspect personal access tokens.
            auth.put("AUTH_CHATFRONT_KEYS", wiring.chatfrontKey().publicKey().toString());
            return auth;
          });

  static final Service CHATFRONT =
      new Service(
          "chatfront",
          Path.of("chatfront-war/target/chatfront-micro.jar"),
          "CHATFRONT_PORT",
          "CHATFRONT_INSTANCES",
          Settings::chatfrontPort,
          "http",
          "/",
          wiring -> {
            Settings settings = wiring.settings();
            Map<String, String> chatfront = new HashMap<>(wiring.database().get("chatfront"));
            chatfront.put("AUTH_URL", wiring.authUrl());
            // chatserv's public key: chatfront takes chatserv's calls signed with its private key.
            chatfront.put("CHATFRONT_CHATSERV_KEYS", wiring.chatservKey().publicKey().toString());
            // chatfront's private key, for its assertions to auth's token introspection.
            chatfront.put("CHATFRONT_ASSERTION_KEY", wiring.chatfrontKey().privateKey().toString());
            // The browser's way to chatserv, as the chat page connects to it.
            chatfront.put("CHATFRONT_CHATSERV_URL", settings.webSocketUrl());
            chatfront.put("CHATFRONT_SECURE_COOKIES", Boolean.toString(settings.secureCookies()));
            if (settings.publicUrl() != null || settings.balanced()) {
              // Behind a proxy its redirects name the public address (never the request's Host).
              chatfront.put("CHATFRONT_PUBLIC_URL", settings.pageUrl());
            }
            if (settings.instances(Service.CHATFRONT) > 1) {
              // Their web sessions live in their Data Grid cluster, so that a page signed in on
              // one keeps working on another. Never under --nohazelcast: docs/scaling.md.
              chatfront.put("CHATFRONT_SESSION_REPLICATION", "true");
            }
            return chatfront;
          });

  static final Service CHATSERV =
      new Service(
          "chatserv",
          Path.of("chatserv-war/target/chatserv-micro.jar"),
          "CHATSERV_PORT",
          "CHATSERV_INSTANCES",
          Settings::chatservPort,
          "ws",
          "/ws",
          wiring ->
              Map.of(
                  "AUTH_URL",
                  wiring.authUrl(),
                  "CHATFRONT_URL",
                  wiring.chatfrontUrl(),
                  "CHATSERV_ASSERTION_KEY",
                  wiring.chatservKey().privateKey().toString(),
                  "CHATSERV_ALLOWED_ORIGINS",
                  wiring.settings().allowedOrigins()));

  /** In the order they start: auth first, the others ask it for keys. */
  static final List<Service> ALL = List.of(AUTH, CHATFRONT, CHATSERV);

  /** Where the service answers on this machine when it listens on {@code port}. */
  String localUrl(int port) {
    return scheme + "://127.0.0.1:" + port + path;
  }
}
