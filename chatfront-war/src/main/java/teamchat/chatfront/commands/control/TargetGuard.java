package teamchat.chatfront.commands.control;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a command may be sent (server-side request forgery): a target is resolved here, and refused
 * when any of its addresses is not on the public internet (loopback, private, shared, link-local
 * including the cloud metadata address, multicast, unspecified, reserved, and IPv4 addresses
 * embedded in IPv6), unless the admin allows that address ({@code
 * chatfront.commands.allow-private-targets}). The caller connects to the address returned, never to
 * the name again: a name that resolves to a public address here and a private one a moment later
 * (DNS rebinding) reaches the address checked. Plain http is allowed only to an allowed private
 * address (an internal service without TLS); every public target is https.
 */
public final class TargetGuard {

  /** Not on the public internet: IPv4. */
  private static final List<AddressRange> REFUSED_V4 =
      ranges(
          "0.0.0.0/8", // this network, unspecified
          "10.0.0.0/8", // RFC 1918
          "100.64.0.0/10", // shared address space (carrier-grade NAT)
          "127.0.0.0/8", // loopback
          "169.254.0.0/16", // link-local, cloud metadata (169.254.169.254)
          "172.16.0.0/12", // RFC 1918
          "192.0.0.0/24", // IETF protocol assignments
          "192.0.2.0/24", // documentation
          "192.168.0.0/16", // RFC 1918
          "198.18.0.0/15", // benchmarking
          "198.51.100.0/24", // documentation
          "203.0.113.0/24", // documentation
          "224.0.0.0/4", // multicast
          "240.0.0.0/4"); // reserved, broadcast

  /** Not on the public internet: IPv6 (IPv4 inside IPv6 is checked as IPv4 as well). */
  private static final List<AddressRange> REFUSED_V6 =
      ranges(
          "::/128", // unspecified
          "::1/128", // loopback
          "::/96", // IPv4-compatible (deprecated)
          "::ffff:0:0/96", // IPv4-mapped
          "64:ff9b::/96", // NAT64
          "100::/64", // discard
          "2001:db8::/32", // documentation
          "fc00::/7", // unique local
          "fe80::/10", // link-local
          "fec0::/10", // site-local (deprecated)
          "ff00::/8"); // multicast

  /** What a target resolved to: the address to connect to, and how. */
  public record Target(URI uri, InetAddress address, int port, boolean tls) {}

  /** A host name resolver (the system's; a test's fake). */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final List<AddressRange> allowed;
  private final Resolver resolver;

  TargetGuard(List<AddressRange> allowed, Resolver resolver) {
    this.allowed = List.copyOf(allowed);
    this.resolver = resolver;
  }

  /** A guard with the allowed ranges of the setting (comma-separated CIDR, empty for none). */
  public static TargetGuard of(String allowedPrivateTargets) {
    List<AddressRange> allowed =
        allowedPrivateTargets == null || allowedPrivateTargets.isBlank()
            ? List.of()
            : Arrays.stream(allowedPrivateTargets.split(","))
                .filter(range -> !range.isBlank())
                .map(AddressRange::parse)
                .toList();
    return new TargetGuard(allowed, InetAddress::getAllByName);
  }

  /**
   * The checked target of {@code url}. Throws {@link TargetRefused} with a sentence a room owner
   * can act on: a malformed URL, a scheme other than https (or http where allowed), credentials in
   * the URL, a name that does not resolve, or a refused address.
   */
  public Target check(String url) throws TargetRefused {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      throw new TargetRefused("The URL is not valid.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new TargetRefused("The URL must start with https://.");
    }
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new TargetRefused("The URL may hold no user name, password or #fragment.");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new TargetRefused("The URL names no host.");
    }
    if (isNumericLooking(host) && !isDottedQuad(host)) {
      // 0177.0.0.1, 2130706433, 0x7f.1: what Java reads them as is not what curl and browsers
      // read them as (Java takes 0177 for 177); an owner's test with curl would reach another host.
      throw new TargetRefused("Write an IPv4 address as four decimal numbers (93.184.216.34).");
    }
    InetAddress[] addresses;
    try {
      addresses =
          resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    } catch (UnknownHostException e) {
      throw new TargetRefused("The host " + host + " does not resolve.");
    }
    if (addresses.length == 0) {
      throw new TargetRefused("The host " + host + " does not resolve.");
    }
    boolean allPrivateAllowed = true;
    for (InetAddress address : addresses) {
      if (isRefused(address)) {
        if (!isAllowed(address)) {
          throw new TargetRefused(
              "The host "
                  + host
                  + " is a private or reserved address; commands go to public ones.");
        }
      } else {
        allPrivateAllowed = false;
      }
    }
    boolean tls = scheme.equals("https");
    if (!tls && !allPrivateAllowed) {
      throw new TargetRefused("The URL must start with https://.");
    }
    int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
    return new Target(uri, addresses[0], port, tls);
  }

  /** A host whose last label is a number (no top-level domain is): meant as an IPv4 address. */
  private static boolean isNumericLooking(String host) {
    String last = host.substring(host.lastIndexOf('.') + 1);
    return last.matches("[0-9]+|0[xX][0-9a-fA-F]*");
  }

  private static boolean isDottedQuad(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (!part.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private boolean isAllowed(InetAddress address) {
    byte[] bytes = address.getAddress();
    return allowed.stream().anyMatch(range -> range.contains(bytes));
  }

  /** Whether {@code address} is not on the public internet (whatever the setting allows). */
  public static boolean isRefused(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return REFUSED_V4.stream().anyMatch(range -> range.contains(bytes));
    }
    if (REFUSED_V6.stream().anyMatch(range -> range.contains(bytes))) {
      return true;
    }
    // 6to4 (2002::/16) carries an IPv4 address in bytes 2 to 5: as refused as that address.
    if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) {
      byte[] embedded = Arrays.copyOfRange(bytes, 2, 6);
      return REFUSED_V4.stream().anyMatch(range -> range.contains(embedded));
    }
    return false;
  }

  private static List<AddressRange> ranges(String... cidrs) {
    return Arrays.stream(cidrs).map(AddressRange::parse).toList();
  }
}
