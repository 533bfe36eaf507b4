package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static final Path ROOT = Path.of("/srv/teamchat");

  @Test
  void aFreshCloneGetsTheDocumentedDefaults() {
    Settings cut = Settings.from(ROOT, Map.of());
    assertEquals(8080, cut.chatfrontPort());
    assertEquals(8081, cut.authPort());
    assertEquals(8082, cut.chatservPort());
    assertEquals(ROOT.resolve(".chat"), cut.dataDirectory());
    assertTrue(cut.embeddedDatabase());
    assertNull(cut.dbUrl());
    assertEquals("127.0.0.1", cut.bindAddress());
    assertEquals(1, cut.chatservInstances());
    assertTrue(cut.classDataSharing());
  }

  @Test
  void classDataSharingIsOnOrOff() {
    assertFalse(Settings.from(ROOT, Map.of("CHAT_CLASS_DATA_SHARING", "off")).classDataSharing());
    assertTrue(Settings.from(ROOT, Map.of("CHAT_CLASS_DATA_SHARING", "ON")).classDataSharing());
    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.from(ROOT, Map.of("CHAT_CLASS_DATA_SHARING", "no")));
    assertEquals("CHAT_CLASS_DATA_SHARING must be on or off, not 'no'", refused.getMessage());
  }

  @Test
  void moreInstancesOfAKindListenTenPortsApartAndMayNotMeetAnotherService() {
    Settings two =
        Settings.from(
            ROOT,
            Map.of("CHATSERV_INSTANCES", "2", "CHATFRONT_INSTANCES", "3", "AUTH_INSTANCES", "2"));
    assertEquals(8082, two.chatservPort(0));
    assertEquals(8092, two.chatservPort(1));
    assertEquals(8100, two.port(Service.CHATFRONT, 2));
    assertEquals(8091, two.port(Service.AUTH, 1));
    assertEquals(3, two.instances(Service.CHATFRONT));

    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.from(ROOT, Map.of("CHATSERV_INSTANCES", "3", "CHATSERV_PORT", "8060")));
    assertEquals(
        "CHATFRONT_PORT and CHATSERV_PORT+20 are both 8080; each service needs a port of its own",
        refused.getMessage());
    for (String variable : new String[] {"CHATSERV_INSTANCES", "CHATFRONT_INSTANCES"}) {
      for (String bad : new String[] {"0", "5", "two"}) {
        var refusedCount =
            assertThrows(
                IllegalArgumentException.class,
                () -> Settings.from(ROOT, Map.of(variable, bad)),
                bad);
        assertTrue(refusedCount.getMessage().contains(variable), refusedCount.getMessage());
      }
    }
  }

  @Test
  void oneInstanceOfEachIsOpenedDirectlyAndSeveralThroughTheLoadBalancer() {
    Settings alone = Settings.from(ROOT, Map.of());
    assertFalse(alone.balanced());
    assertEquals("http://localhost:8080/", alone.pageUrl());
    assertEquals("ws://localhost:8082/ws", alone.webSocketUrl());

    Settings cluster = Settings.from(ROOT, Map.of("CHATFRONT_INSTANCES", "2"));
    assertTrue(cluster.balanced());
    assertEquals("http://localhost:8000/", cluster.pageUrl());
    assertEquals("ws://localhost:8000/ws", cluster.webSocketUrl());
    assertEquals(8001, cluster.internalProxyPort());
    assertTrue(
        cluster.allowedOrigins().startsWith("http://localhost:8000,http://127.0.0.1:8000,"),
        cluster.allowedOrigins());

    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.from(ROOT, Map.of("AUTH_INSTANCES", "2", "CHAT_PROXY_PORT", "8081")));
    assertTrue(refused.getMessage().contains("CHAT_PROXY_PORT"), refused.getMessage());
  }

  @Test
  void theServicesListenOnAnIpAddressOnlyAndNothingThatCouldCarryACommand() {
    assertEquals(
        "0.0.0.0", Settings.from(ROOT, Map.of("CHAT_BIND_ADDRESS", "0.0.0.0")).bindAddress());
    assertEquals("::1", Settings.from(ROOT, Map.of("CHAT_BIND_ADDRESS", "::1")).bindAddress());
    for (String bad :
        new String[] {"localhost", "127.0.0.1\nset x=y", "256.1.1.1", "10.0.0", "1.2.3.4 5"}) {
      var refused =
          assertThrows(
              IllegalArgumentException.class,
              () -> Settings.from(ROOT, Map.of("CHAT_BIND_ADDRESS", bad)),
              bad);
      assertTrue(refused.getMessage().contains("CHAT_BIND_ADDRESS"), refused.getMessage());
    }
  }

  @Test
  void twoServicesOnOnePortAreRefusedWithTheNamesOfBothSettings() {
    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.from(ROOT, Map.of("AUTH_PORT", "9000", "CHATSERV_PORT", "9000")));
    assertEquals(
        "AUTH_PORT and CHATSERV_PORT are both 9000; each service needs a port of its own",
        refused.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Settings.from(ROOT, Map.of("CHAT_PG_PORT", "8080")),
        "the embedded PostgreSQL may not take chatfront's default port either");
  }

  @Test
  void environmentOverridesEachSetting() {
    Settings cut =
        Settings.from(
            ROOT,
            Map.of(
                "CHATFRONT_PORT", "9080",
                "AUTH_PORT", "9081",
                "CHATSERV_PORT", "9082",
                "CHAT_DATA_DIR", "/var/lib/teamchat",
                "DB_URL", "jdbc:postgresql://db.internal:5432/teamchat",
                "DB_USER", "chat",
                "DB_PASSWORD", "secret"));
    assertEquals(9080, cut.chatfrontPort());
    assertEquals(9081, cut.authPort());
    assertEquals(9082, cut.chatservPort());
    assertEquals(Path.of("/var/lib/teamchat"), cut.dataDirectory());
    assertFalse(cut.embeddedDatabase());
    assertEquals("chat", cut.dbUser());
    assertEquals("secret", cut.dbPassword());
  }

  @Test
  void aBadPortIsRefusedWithItsName() {
    var notANumber =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.from(ROOT, Map.of("AUTH_PORT", "eighty")));
    assertTrue(notANumber.getMessage().contains("AUTH_PORT"), notANumber.getMessage());
    var outOfRange =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.from(ROOT, Map.of("CHATFRONT_PORT", "70000")));
    assertTrue(outOfRange.getMessage().contains("CHATFRONT_PORT"), outOfRange.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Settings.from(ROOT, Map.of("CHATSERV_PORT", "0")));
  }

  @Test
  void locallyThePagesAndTheWebSocketAreTheLocalPorts() {
    Settings cut = Settings.from(ROOT, Map.of("CHATFRONT_PORT", "9080", "CHATSERV_PORT", "9082"));
    assertEquals("http://localhost:9080/", cut.pageUrl());
    assertEquals("ws://localhost:9082/ws", cut.webSocketUrl());
    assertEquals("http://localhost:9080,http://127.0.0.1:9080", cut.allowedOrigins());
    assertFalse(cut.secureCookies());
  }

  @Test
  void behindAProxyWithTlsThePublicAddressesAreUsedAndCookiesAreSecure() {
    Settings cut =
        Settings.from(
            ROOT,
            Map.of(
                "CHAT_PUBLIC_URL", "https://chat.example.org/",
                "CHAT_PUBLIC_WS_URL", "wss://chat-ws.example.org/ws"));
    assertEquals("https://chat.example.org/", cut.pageUrl());
    assertEquals("wss://chat-ws.example.org/ws", cut.webSocketUrl());
    assertTrue(cut.allowedOrigins().startsWith("https://chat.example.org,"));
    assertTrue(cut.secureCookies());
    var notAWebSocket =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.from(ROOT, Map.of("CHAT_PUBLIC_WS_URL", "https://x/ws")));
    assertTrue(notAWebSocket.getMessage().contains("CHAT_PUBLIC_WS_URL"));
  }

  @Test
  void blankValuesMeanTheDefault() {
    Settings cut = Settings.from(ROOT, Map.of("DB_URL", " ", "CHATFRONT_PORT", ""));
    assertTrue(cut.embeddedDatabase());
    assertEquals(8080, cut.chatfrontPort());
  }
}
