package teamchat.chatserv.storage.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.identity.control.TokenVerifier;

/**
 * Tells chatfront about every person who signs in over the socket, so that they can be invited and
 * written to although they never opened the web app. Once per person and name per process, on the
 * container's executor: sign-in never waits for it, and a failure is tried again at the next
 * sign-in.
 */
@ApplicationScoped
public class KnownPeople {

  @Resource ManagedExecutorService executor;
  @Inject Chatfront chatfront;

  private final Set<String> told = ConcurrentHashMap.newKeySet();

  public void signedIn(TokenVerifier.Identity identity) {
    String key = identity.subject() + '\n' + identity.name() + '\n' + identity.displayName();
    if (!told.add(key)) {
      return;
    }
    try {
      executor.execute(
          Workers.guarded(
              "telling chatfront of a signed-in person",
              () -> {
                try {
                  chatfront.knowUser(identity.subject(), identity.name(), identity.displayName());
                } catch (Chatfront.Unavailable e) {
                  told.remove(key); // logged by Unavailable; the next sign-in tries again
                }
              }));
    } catch (RejectedExecutionException e) {
      told.remove(key);
    }
  }
}
