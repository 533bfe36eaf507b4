package teamchat.chatserv.storage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.enterprise.concurrent.ManagedExecutorService;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.identity.control.TokenVerifier.Identity;

/**
 * Another device holding an older token must not put an old display name back when its socket
 * reconnects: chatserv takes names only from a token at least as new as the last it took them from.
 */
class KnownPeopleTest {

  private static final Instant BEFORE = Instant.parse("2026-12-06T10:00:00Z");
  private static final Instant AFTER = BEFORE.plusSeconds(120);

  private final List<String> told = new ArrayList<>();
  private boolean chatfrontAnswers = true;
  private final KnownPeople cut = new KnownPeople();

  {
    cut.executor =
        (ManagedExecutorService)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("execute")) {
                    ((Runnable) args[0]).run(); // at once, on the caller's thread
                    return null;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    cut.chatfront =
        new Chatfront() {
          @Override
          public void knowUser(String subject, String username, String displayName)
              throws Unavailable {
            if (!chatfrontAnswers) {
              throw new Unavailable("chatfront down", new IllegalStateException("refused"));
            }
            told.add(subject + ":" + displayName);
          }
        };
  }

  private static Identity ada(String displayName, Instant issued) {
    return new Identity(
        "s-ada", "ada", "sid-" + issued, issued.plusSeconds(600), displayName, issued);
  }

  @Test
  void anOlderTokenNeverPutsAnOldNameBack() {
    cut.signedIn(ada("Ada L.", AFTER)); // the laptop, after the change
    cut.signedIn(ada("Ada", BEFORE)); // the phone reconnects with its token from before
    cut.signedIn(ada("Ada L.", AFTER)); // the same names again: nothing new to tell
    cut.signedIn(ada("Ada Lovelace", AFTER.plusSeconds(60))); // a newer change
    assertEquals(List.of("s-ada:Ada L.", "s-ada:Ada Lovelace"), told);
  }

  @Test
  void aNameChatfrontDidNotTakeIsToldAtTheNextSignInButStillNotFromAnOlderToken() {
    chatfrontAnswers = false;
    cut.signedIn(ada("Ada L.", AFTER));
    chatfrontAnswers = true;
    cut.signedIn(ada("Ada", BEFORE));
    assertEquals(List.of(), told, "the older token's name is not told while chatfront was away");
    cut.signedIn(ada("Ada L.", AFTER));
    assertEquals(List.of("s-ada:Ada L."), told);
  }

  @Test
  void eachPersonIsTheirOwn() {
    cut.signedIn(ada("Ada L.", AFTER));
    cut.signedIn(new Identity("s-bob", "bob", "sid-bob", AFTER.plusSeconds(600), "Bob", BEFORE));
    assertEquals(List.of("s-ada:Ada L.", "s-bob:Bob"), told);
  }
}
