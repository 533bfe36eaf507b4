package teamchat.contract.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
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
    assertTrue(cut.fetchedAt().isEmpty(), "nothing fetched yet");
    answer = revoked("s-1");
    cut.poll();
    assertTrue(cut.listed("s-1"));
    Instant fetched = cut.fetchedAt().orElseThrow();

    failure = new Error("as an Error from deep inside the client");
    cut.poll(); // must not throw: a scheduled task that throws is never run again
    assertTrue(cut.listed("s-1"), "the last list stays in force");

    failure = new IllegalStateException("auth unreachable");
    cut.poll();
    assertTrue(cut.listed("s-1"));
    assertEquals(fetched, cut.fetchedAt().orElseThrow(), "health tells how old the list is");

    failure = null;
    answer = revoked("s-2");
    cut.poll();
    assertTrue(cut.listed("s-2"));
    assertFalse(cut.listed("s-1"));
    assertFalse(cut.fetchedAt().orElseThrow().isBefore(fetched));
  }

  @Test
  void healthSaysHowOldTheListInForceIs() {
    RevokedSessions health =
        new RevokedSessions() {
          @Override
          public boolean followed() {
            return true;
          }

          @Override
          public Optional<Instant> fetchedAt() {
            return Optional.of(Instant.now().minusSeconds(95));
          }
        };
    long age = (Long) health.health().get("age_seconds");
    assertTrue(age >= 95 && age < 100, "age " + age);
    assertEquals(true, health.health().get("followed"));
  }

  private static JsonObject revoked(String... sessions) {
    return Json.createObjectBuilder()
        .add("revoked_sessions", Json.createArrayBuilder(java.util.List.of(sessions)))
        .build();
  }
}
