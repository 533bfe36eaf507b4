package teamchat.chatfront.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds the web sessions one person holds on this instance: signing in once more than {@code
 * chatfront.max-sessions-per-user} ends their oldest session here (at auth too, through {@link
 * SignedInUser#signOut}, by the session's end). Memory per person stays bounded however often a
 * script signs in; people with a phone, a laptop and a few tabs never notice.
 */
@ApplicationScoped
public class SessionsPerUser {

  private static final Logger LOG = Logger.getLogger(SessionsPerUser.class.getName());

  @Inject
  @ConfigProperty(name = "chatfront.max-sessions-per-user")
  int max;

  private final Map<String, Deque<HttpSession>> bySubject = new HashMap<>(); // guarded by this

  /** Records a session just signed in; ends the oldest ones above the bound. */
  public void started(String subject, HttpSession session) {
    Deque<HttpSession> over = new ArrayDeque<>();
    synchronized (this) {
      Deque<HttpSession> sessions = bySubject.computeIfAbsent(subject, s -> new ArrayDeque<>());
      sessions.remove(session);
      sessions.addLast(session);
      while (sessions.size() > max) {
        over.add(sessions.removeFirst());
      }
    }
    for (HttpSession oldest : over) {
      try {
        oldest.invalidate();
      } catch (IllegalStateException alreadyEnded) {
        // ended meanwhile: nothing to do
      }
    }
    if (!over.isEmpty()) {
      LOG.log(Level.FINE, "ended {0} older sessions of one person", over.size());
    }
  }

  /** Forgets a session that ended (sign-out, timeout, invalidated above). */
  public synchronized void ended(HttpSession session) {
    bySubject.values().removeIf(sessions -> sessions.remove(session) && sessions.isEmpty());
  }

  synchronized int count(String subject) {
    Deque<HttpSession> sessions = bySubject.get(subject);
    return sessions == null ? 0 : sessions.size();
  }
}
