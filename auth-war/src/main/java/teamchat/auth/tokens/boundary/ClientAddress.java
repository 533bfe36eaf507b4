package teamchat.auth.tokens.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The address a request really comes from. {@code X-Forwarded-For} is believed only when the direct
 * peer is a proxy we run ({@code auth.trusted-proxies}: nginx, and chatfront, which logs people in
 * on their behalf); anyone else could write any address there.
 */
@ApplicationScoped
public class ClientAddress {

  private Set<String> trustedProxies;

  @Inject
  void readTrustedProxies(@ConfigProperty(name = "auth.trusted-proxies") List<String> configured) {
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
        return hop.length() > 64 ? hop.substring(0, 64) : hop;
      }
    }
    return peer;
  }
}
