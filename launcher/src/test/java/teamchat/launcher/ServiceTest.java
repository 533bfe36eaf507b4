package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceTest {

  private static final Map<String, String> DATABASE =
      Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:5432/teamchat", "DB_USER", "u");

  private static Service.Wiring wiring(Map<String, String> env) {
    Settings settings = Settings.from(Path.of("/srv/teamchat"), env);
    return new Service.Wiring(
        settings,
        Map.of("auth", DATABASE, "chatfront", DATABASE),
        "key-secret",
        new LocalSecrets.KeyPairFiles(
            Path.of("/srv/teamchat/secrets/chatserv-assertion.key"),
            Path.of("/srv/teamchat/secrets/chatserv-assertion.pub")),
        new LocalSecrets.KeyPairFiles(
            Path.of("/srv/teamchat/secrets/chatfront-assertion.key"),
            Path.of("/srv/teamchat/secrets/chatfront-assertion.pub")));
  }

  @Test
  void eachServiceIsWiredToTheOthersOnTheirPorts() {
    Service.Wiring wiring =
        wiring(Map.of("AUTH_PORT", "9081", "CHATFRONT_PORT", "9080", "CHATSERV_PORT", "9082"));

    Map<String, String> auth = Service.AUTH.environment().apply(wiring);
    assertFalse(auth.containsKey("AUTH_SERVICE_CLIENTS"), "auth is out of chatserv's calls");
    assertEquals("key-secret", auth.get("AUTH_KEY_ENCRYPTION_SECRET"));
    assertEquals(DATABASE.get("DB_URL"), auth.get("DB_URL"));

    Map<String, String> chatfront = Service.CHATFRONT.environment().apply(wiring);
    assertEquals("http://127.0.0.1:9081/auth", chatfront.get("AUTH_URL"));
    assertEquals("ws://localhost:9082/ws", chatfront.get("CHATFRONT_CHATSERV_URL"));
    assertEquals("false", chatfront.get("CHATFRONT_SECURE_COOKIES"));
    assertEquals(
        "/srv/teamchat/secrets/chatserv-assertion.pub", chatfront.get("CHATFRONT_CHATSERV_KEYS"));
    assertFalse(chatfront.containsKey("CHATFRONT_PUBLIC_URL"), "no proxy: relative redirects");

    Map<String, String> chatserv = Service.CHATSERV.environment().apply(wiring);
    assertEquals("http://127.0.0.1:9080", chatserv.get("CHATFRONT_URL"));
    assertEquals(
        "/srv/teamchat/secrets/chatserv-assertion.key", chatserv.get("CHATSERV_ASSERTION_KEY"));
    assertFalse(chatserv.containsKey("DB_URL"), "chatserv keeps no data");

    assertEquals(
        "ws://127.0.0.1:9082/ws", Service.CHATSERV.localUrl(wiring.settings().chatservPort()));
    assertEquals(
        "http://127.0.0.1:9081/auth/", Service.AUTH.localUrl(wiring.settings().authPort()));
  }

  @Test
  void severalInstancesOfAKindAreCalledThroughTheLoadBalancersInternalPort() {
    Service.Wiring wiring = wiring(Map.of("CHATFRONT_INSTANCES", "2", "CHAT_PROXY_PORT", "9000"));

    Map<String, String> chatserv = Service.CHATSERV.environment().apply(wiring);
    assertEquals("http://127.0.0.1:9001", chatserv.get("CHATFRONT_URL"), "both chatfronts");
    assertEquals("http://127.0.0.1:8081/auth", chatserv.get("AUTH_URL"), "the one auth");
    Map<String, String> chatfront = Service.CHATFRONT.environment().apply(wiring);
    assertEquals("ws://localhost:9000/ws", chatfront.get("CHATFRONT_CHATSERV_URL"));
    assertEquals("http://localhost:9000/", chatfront.get("CHATFRONT_PUBLIC_URL"));
    assertEquals("true", chatfront.get("CHATFRONT_SESSION_REPLICATION"), "sessions in the grid");
    Map<String, String> alone = Service.CHATFRONT.environment().apply(wiring(Map.of()));
    assertFalse(alone.containsKey("CHATFRONT_SESSION_REPLICATION"), "one instance: in memory");
  }

  @Test
  void behindAProxyChatfrontNamesThePublicAddressAndSecuresItsCookie() {
    Map<String, String> chatfront =
        Service.CHATFRONT
            .environment()
            .apply(
                wiring(
                    Map.of(
                        "CHAT_PUBLIC_URL", "https://chat.example.org",
                        "CHAT_PUBLIC_WS_URL", "wss://chat.example.org/ws")));
    assertEquals("https://chat.example.org", chatfront.get("CHATFRONT_PUBLIC_URL"));
    assertEquals("wss://chat.example.org/ws", chatfront.get("CHATFRONT_CHATSERV_URL"));
    assertEquals("true", chatfront.get("CHATFRONT_SECURE_COOKIES"));
  }

  @Test
  void theServicesStartAuthFirstAndEachPortHasItsOwnSetting() {
    assertEquals(
        List.of("auth", "chatfront", "chatserv"), Service.ALL.stream().map(Service::name).toList());
    assertEquals(
        List.of("AUTH_PORT", "CHATFRONT_PORT", "CHATSERV_PORT"),
        Service.ALL.stream().map(Service::portVariable).toList());
  }
}
