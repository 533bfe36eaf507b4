package teamchat.contract.web;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The address a request really comes from, read from {@code X-Forwarded-For} the one safe way: the
 * header is believed only when the direct peer is a proxy we run, and of its hops only up to the
 * first (walking back from the nearest) that is not one of ours; anyone else could write any
 * address there. chatfront (behind nginx) and auth (behind nginx and chatfront) each name their own
 * trusted proxies.
 */
public final class ForwardedFor {

  /** Longer is no address; cut, so that a header cannot make a long map key. */
  static final int MAX_LENGTH = 64;

  private final Set<String> trustedProxies;

  /**
   * @param trustedProxies the proxies' addresses as configured; MP Config splits a list at commas,
   *     and "a, b" as an admin may write it still means a and b
   */
  public ForwardedFor(List<String> trustedProxies) {
    this.trustedProxies =
        trustedProxies.stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** The client's address, given the direct peer and the request's {@code X-Forwarded-For}. */
  public String clientOf(String peer, String forwardedFor) {
    if (forwardedFor == null || !trustedProxies.contains(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop.length() > MAX_LENGTH ? hop.substring(0, MAX_LENGTH) : hop;
      }
    }
    return peer;
  }
}
