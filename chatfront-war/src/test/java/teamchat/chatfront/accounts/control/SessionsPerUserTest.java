package teamchat.chatfront.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionsPerUserTest {

  /** A session that records whether it was invalidated. */
  private static HttpSession session(List<HttpSession> invalidated) {
    HttpSession[] self = new HttpSession[1];
    self[0] =
        (HttpSession)
            Proxy.newProxyInstance(
                HttpSession.class.getClassLoader(),
                new Class<?>[] {HttpSession.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "invalidate" -> {
                        invalidated.add(self[0]);
                        yield null;
                      }
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      default -> null;
                    });
    return self[0];
  }

  @Test
  void signingInOnceTooOftenEndsTheOldestSession() {
    SessionsPerUser cut = new SessionsPerUser();
    cut.max = 3;
    List<HttpSession> invalidated = new ArrayList<>();
    List<HttpSession> sessions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sessions.add(session(invalidated));
      cut.started("ada", sessions.get(i));
    }
    assertEquals(List.of(sessions.get(0), sessions.get(1)), invalidated);
    assertEquals(3, cut.count("ada"));
    cut.started("bob", session(invalidated));
    assertEquals(1, cut.count("bob"), "per person");

    cut.ended(sessions.get(4));
    assertEquals(2, cut.count("ada"));
    cut.ended(sessions.get(2));
    cut.ended(sessions.get(3));
    assertEquals(0, cut.count("ada"), "forgotten when they all ended");
  }
}
