package teamchat.chatfront.commands.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetGuardTest {

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  /** A guard whose names resolve as the map says (no DNS in a unit test). */
  private static TargetGuard guard(String allowed, Map<String, String[]> names) {
    List<AddressRange> ranges =
        allowed.isEmpty()
            ? List.of()
            : java.util.Arrays.stream(allowed.split(",")).map(AddressRange::parse).toList();
    return new TargetGuard(
        ranges,
        host -> {
          String[] literals = names.get(host);
          if (literals == null) {
            throw new UnknownHostException(host);
          }
          InetAddress[] addresses = new InetAddress[literals.length];
          for (int i = 0; i < literals.length; i++) {
            addresses[i] = InetAddress.getByAddress(host, ip(literals[i]).getAddress());
          }
          return addresses;
        });
  }

  @Test
  void everyNonPublicIpv4RangeIsRefused() throws Exception {
    for (String address :
        new String[] {
          "0.0.0.0",
          "0.1.2.3",
          "10.0.0.1",
          "10.255.255.255",
          "100.64.0.1",
          "100.127.255.254",
          "127.0.0.1",
          "127.255.0.1",
          "169.254.169.254",
          "169.254.0.1",
          "172.16.0.1",
          "172.31.255.255",
          "192.0.0.8",
          "192.0.2.1",
          "192.168.1.1",
          "198.18.0.1",
          "198.51.100.7",
          "203.0.113.9",
          "224.0.0.1",
          "239.255.255.250",
          "240.0.0.1",
          "255.255.255.255"
        }) {
      assertTrue(TargetGuard.isRefused(ip(address)), address);
    }
  }

  @Test
  void everyNonPublicIpv6RangeIsRefused() throws Exception {
    for (String address :
        new String[] {
          "::",
          "::1",
          "fc00::1",
          "fd12:3456::1",
          "fe80::1",
          "febf::1",
          "fec0::1",
          "ff02::1",
          "ff05::2",
          "2001:db8::1",
          "100::1",
          "64:ff9b::a00:1",
          "::127.0.0.1",
          // 6to4 of 10.0.0.1 and of 169.254.169.254
          "2002:a00:1::",
          "2002:a9fe:a9fe::1"
        }) {
      assertTrue(TargetGuard.isRefused(ip(address)), address);
    }
  }

  @Test
  void ipv4MappedIpv6IsCheckedAsTheIpv4AddressItCarries() throws Exception {
    assertTrue(TargetGuard.isRefused(ip("::ffff:127.0.0.1")));
    assertTrue(TargetGuard.isRefused(ip("::ffff:169.254.169.254")));
    assertTrue(TargetGuard.isRefused(ip("::ffff:a00:1")));
    assertFalse(TargetGuard.isRefused(ip("::ffff:93.184.216.34")));
  }

  @Test
  void publicAddressesPass() throws Exception {
    for (String address :
        new String[] {
          "93.184.216.34",
          "1.1.1.1",
          "8.8.8.8",
          "172.32.0.1",
          "100.128.0.1",
          "2606:4700::1111",
          "2a00:1450:4001::200e",
          "2002:5db8:d822::1"
        }) {
      assertFalse(TargetGuard.isRefused(ip(address)), address);
    }
  }

  @Test
  void aNameIsRefusedWhenAnyOfItsAddressesIsPrivate() throws Exception {
    TargetGuard guard =
        guard(
            "",
            Map.of(
                "hooks.example.com", new String[] {"93.184.216.34"},
                "mixed.example.com", new String[] {"93.184.216.34", "10.1.2.3"},
                "metadata.example.com", new String[] {"169.254.169.254"},
                "rebind.example.com", new String[] {"::ffff:127.0.0.1"}));
    TargetGuard.Target target = guard.check("https://hooks.example.com/deploy?x=1");
    assertEquals(ip("93.184.216.34"), InetAddress.getByAddress(target.address().getAddress()));
    assertEquals(443, target.port());
    assertTrue(target.tls());
    for (String url :
        new String[] {
          "https://mixed.example.com/", "https://metadata.example.com/latest/meta-data",
          "https://rebind.example.com/", "https://unknown.example.com/"
        }) {
      assertThrows(TargetRefused.class, () -> guard.check(url), url);
    }
  }

  /**
   * Hosts written as one decimal number, in octal or in hex are whatever the system resolver makes
   * of them: each is refused, as loopback, or as a name that does not resolve, never called.
   */
  @Test
  void numericLookingHostsAreResolvedAndRefused() {
    TargetGuard guard = TargetGuard.of("");
    for (String host :
        new String[] {
          "2130706433",
          "0177.0.0.1",
          "0x7f.0.0.1",
          "0x7f000001",
          "017700000001",
          "127.1",
          "127.0.0.1",
          "[::1]",
          "[::ffff:127.0.0.1]",
          "[0:0:0:0:0:ffff:7f00:1]",
          "0.0.0.0",
          "localhost"
        }) {
      assertThrows(TargetRefused.class, () -> guard.check("https://" + host + "/"), host);
    }
  }

  @Test
  void anAllowedPrivateRangePassesAndMayUsePlainHttp() throws Exception {
    TargetGuard guard =
        guard(
            "127.0.0.1/32,10.20.0.0/16",
            Map.of(
                "127.0.0.1", new String[] {"127.0.0.1"},
                "ci.internal", new String[] {"10.20.3.4"},
                "other.internal", new String[] {"10.21.0.1"},
                "hooks.example.com", new String[] {"93.184.216.34"}));
    assertEquals(8080, guard.check("http://127.0.0.1:8080/hook").port());
    assertFalse(guard.check("http://ci.internal/hook").tls());
    assertThrows(TargetRefused.class, () -> guard.check("http://other.internal/"));
    assertThrows(
        TargetRefused.class,
        () -> guard.check("http://hooks.example.com/"),
        "plain http only to an allowed private address");
  }

  @Test
  void otherSchemesCredentialsAndFragmentsAreRefused() {
    TargetGuard guard = guard("", Map.of("hooks.example.com", new String[] {"93.184.216.34"}));
    for (String url :
        new String[] {
          "ftp://hooks.example.com/", "file:///etc/passwd", "gopher://hooks.example.com/",
          "https://user:pw@hooks.example.com/", "https://hooks.example.com/#x", "https:///x",
          "not a url", "http://hooks.example.com/"
        }) {
      assertThrows(TargetRefused.class, () -> guard.check(url), url);
    }
  }

  @Test
  void aMalformedAllowedRangeIsRefusedLoudly() {
    assertThrows(IllegalArgumentException.class, () -> TargetGuard.of("example.com"));
    assertThrows(IllegalArgumentException.class, () -> TargetGuard.of("10.0.0.0/33"));
  }
}
