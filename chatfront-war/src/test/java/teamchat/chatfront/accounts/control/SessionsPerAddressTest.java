package teamchat.chatfront.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionsPerAddressTest {

  private static HttpSession session() {
    return (HttpSession)
        Proxy.newProxyInstance(
            HttpSession.class.getClassLoader(),
            new Class<?>[] {HttpSession.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> null;
                });
  }

  @Test
  void anAddressHoldingTheBoundIsRefusedUntilOneOfItsSessionsEnds() {
    SessionsPerAddress cut = new SessionsPerAddress();
    cut.max = 3;
    List<HttpSession> office = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      assertTrue(cut.admits("203.0.113.7", null), "session " + (i + 1));
      office.add(session());
      cut.started("203.0.113.7", office.get(i));
    }

    assertFalse(cut.admits("203.0.113.7", null), "a fourth is refused");
    assertTrue(
        cut.admits("203.0.113.7", office.get(1)), "a session already counted signs in again");
    assertTrue(cut.admits("198.51.100.1", null), "per address");

    cut.ended(office.get(0));
    assertTrue(cut.admits("203.0.113.7", null), "a session that ended frees its place");
    cut.ended(office.get(0)); // a second end gives nothing back twice
    assertEquals(2, cut.count("203.0.113.7"));

    cut.started("198.51.100.1", office.get(1)); // signed in again from elsewhere: counted there
    assertEquals(1, cut.count("203.0.113.7"));
    cut.ended(office.get(1));
    cut.ended(office.get(2));
    assertEquals(0, cut.count("203.0.113.7"), "forgotten when they all ended");
    assertEquals(0, cut.count("198.51.100.1"));
  }
}
