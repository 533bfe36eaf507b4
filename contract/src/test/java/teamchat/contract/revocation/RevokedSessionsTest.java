package teamchat.contract.revocation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** One poll of auth's feed, without a container: whatever it meets, the last list stays. */
class RevokedSessionsTest {

  private final RevokedSessions cut = new RevokedSessions();
  private JsonObject answer;
  private Throwable failure;

  {
    cut.authUrl = "http://auth.invalid";
    cut.auth =
        () -> {
          if (failure instanceof Error error) {
            throw error;
          }
          if (failure instanceof RuntimeException exception) {
            throw exception;
          }
          return answer;
        };
  }

  @Test
  void aFailedPollKeepsTheLastListAndTheNextPollTakesEffect() {
    answer = revoked("s-1");
    cut.poll();
    assertTrue(cut.listed("s-1"));

    failure = new Error("as an Error from deep inside the client");
    cut.poll(); // must not throw: a scheduled task that throws is never run again
    assertTrue(cut.listed("s-1"), "the last list stays in force");

    failure = new IllegalStateException("auth unreachable");
    cut.poll();
    assertTrue(cut.listed("s-1"));

    failure = null;
    answer = revoked("s-2");
    cut.poll();
    assertTrue(cut.listed("s-2"));
    assertFalse(cut.listed("s-1"));
  }

  private static JsonObject revoked(String... sessions) {
    return Json.createObjectBuilder()
        .add("revoked_sessions", Json.createArrayBuilder(java.util.List.of(sessions)))
        .build();
  }
}
