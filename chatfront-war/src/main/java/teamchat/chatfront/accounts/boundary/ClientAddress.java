package teamchat.chatfront.accounts.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The address a request really comes from, for the bound on sessions per address. {@code
 * X-Forwarded-For} is believed only when the direct peer is a proxy we run ({@code
 * chatfront.trusted-proxies}: nginx); anyone else could write any address there. auth decides its
 * own way from the chain chatfront passes on (its {@code auth.trusted-proxies}).
 */
@ApplicationScoped
public class ClientAddress {

  /** Longer is no address; cut, so that a header cannot make a long map key. */
  private static final int MAX_LENGTH = 64;

  private Set<String> trustedProxies;

  @Inject
  void readTrustedProxies(
      @ConfigProperty(name = "chatfront.trusted-proxies") List<String> configured) {
    // MP Config splits the list at commas; "a, b" as an admin may write it still means a and b.
    trustedProxies =
        configured.stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
  }

  public String of(HttpServletRequest request) {
    String peer = request.getRemoteAddr();
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null || !trustedProxies.contains(peer)) {
      return peer;
    }
    // Walk back from the nearest hop: the first address that is not one of ours is the client.
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop.length() > MAX_LENGTH ? hop.substring(0, MAX_LENGTH) : hop;
      }
    }
    return peer;
  }
}
