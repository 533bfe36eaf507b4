package teamchat.chatfront.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpSession;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds the web sessions signed in from one client address on this instance: once an address holds
 * {@code chatfront.max-sessions-per-address}, signing in from it is refused until one of its
 * sessions ends (sign-out or timeout). {@link SessionsPerUser} bounds each person; this bounds a
 * script that signs in many accounts from one machine. Refused, not the oldest ended: behind a
 * shared address (an office's NAT), ending the oldest would sign out someone else. The default is
 * generous for that reason.
 *
 * <p>The check comes before auth hears of the sign-in, and the session is counted once it exists;
 * sign-ins from one address that run at the same moment can pass the bound by as many as run.
 */
@ApplicationScoped
public class SessionsPerAddress {

  @Inject
  @ConfigProperty(name = "chatfront.max-sessions-per-address")
  int max;

  private final Map<String, Set<HttpSession>> byAddress = new HashMap<>(); // guarded by this
  private final Map<HttpSession, String> addressOf = new HashMap<>(); // guarded by this

  /**
   * Whether one more session may be signed in from {@code address}; {@code held}, the session the
   * request already has (or null), counts as that one.
   */
  public synchronized boolean admits(String address, HttpSession held) {
    Set<HttpSession> sessions = byAddress.getOrDefault(address, Set.of());
    int others = sessions.size() - (held != null && sessions.contains(held) ? 1 : 0);
    return others < max;
  }

  /** Records a session just signed in from {@code address}. */
  public synchronized void started(String address, HttpSession session) {
    forget(session);
    byAddress.computeIfAbsent(address, a -> new HashSet<>()).add(session);
    addressOf.put(session, address);
  }

  /** Forgets a session that ended (sign-out, timeout, ended by {@link SessionsPerUser}). */
  public synchronized void ended(HttpSession session) {
    forget(session);
  }

  private void forget(HttpSession session) {
    String address = addressOf.remove(session);
    if (address == null) {
      return;
    }
    Set<HttpSession> sessions = byAddress.get(address);
    sessions.remove(session);
    if (sessions.isEmpty()) {
      byAddress.remove(address);
    }
  }

  synchronized int count(String address) {
    return byAddress.getOrDefault(address, Set.of()).size();
  }
}
