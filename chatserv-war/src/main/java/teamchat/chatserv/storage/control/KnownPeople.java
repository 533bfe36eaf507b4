package teamchat.chatserv.storage.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.identity.control.TokenVerifier;

/**
 * Tells chatfront about every person who signs in over the socket, so that they can be invited and
 * written to although they never opened the web app. Once per person and name per process, on the
 * container's executor: sign-in never waits for it, and a failure is tried again at the next
 * sign-in.
 *
 * <p>Names are taken only from a token at least as new ({@code iat}) as the newest this process
 * took names from for that person: a device that reconnects with an older token (up to 10 minutes)
 * carries the names from before a change, and must not put them back.
 */
@ApplicationScoped
public class KnownPeople {

  @Resource ManagedExecutorService executor;
  @Inject Chatfront chatfront;

  /**
   * The names told for a person, and the issue time of the token they came from; names null when
   * telling chatfront failed (the time still holds older tokens off).
   */
  record Told(Instant issued, String username, String displayName) {

    boolean sameNames(Told other) {
      return username != null
          && username.equals(other.username)
          && displayName.equals(other.displayName);
    }
  }

  /** Per subject: the newest names told. Bounded by the people who signed in since the start. */
  private final Map<String, Told> told = new ConcurrentHashMap<>();

  public void signedIn(TokenVerifier.Identity identity) {
    Told names = new Told(identity.issued(), identity.name(), identity.displayName());
    String subject = identity.subject();
    boolean[] tell = {false};
    told.compute(
        subject,
        (key, before) -> {
          if (before != null && names.issued.isBefore(before.issued)) {
            return before; // an older token: its names may be from before a change
          }
          tell[0] = before == null || !before.sameNames(names);
          return names;
        });
    if (!tell[0]) {
      return;
    }
    try {
      executor.execute(
          Workers.guarded(
              "telling chatfront of a signed-in person",
              () -> {
                try {
                  chatfront.knowUser(subject, names.username, names.displayName);
                } catch (Chatfront.Unavailable e) {
                  forget(subject, names); // logged by Unavailable; the next sign-in tries again
                }
              }));
    } catch (RejectedExecutionException e) {
      forget(subject, names);
    }
  }

  /**
   * chatfront was not told: the next sign-in with a token at least as new tells it, one with an
   * older token still does not.
   */
  private void forget(String subject, Told names) {
    told.computeIfPresent(
        subject, (key, now) -> now.equals(names) ? new Told(names.issued, null, null) : now);
  }
}
