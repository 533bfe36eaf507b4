package teamchat.chatserv.protocol.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import teamchat.contract.messages.StoredMessage;

class ServerFrameTest {

  @Test
  void aMessageBodyTravelsAsAJsonStringWhateverItHolds() {
    String body = "</script><script>alert(\"x\")</script> \\ \u2028 {\"type\":\"ack\"}";
    String frame =
        new ServerFrame.Message(
                StoredMessage.message(
                    7, 3, 12, "sub-1", "c-1", body, null, Instant.ofEpochMilli(1000)))
            .encode()
            .text();
    JsonObject parsed = Json.createReader(new StringReader(frame)).readObject();
    assertEquals("message", parsed.getString("type"));
    assertEquals(body, parsed.getString("body"), "the body comes back exactly");
    assertEquals(12, parsed.getInt("seq"));
    assertEquals(1000, parsed.getJsonNumber("time").longValue());
    assertFalse(frame.contains("\"type\":\"ack\""), "the body cannot forge a field");
  }

  @Test
  void errorsSayWhetherToRetry() {
    JsonObject error = parse(ServerFrame.Error.of("not_stored", "later", true, "c-9", 4L));
    assertTrue(error.getBoolean("retry"));
    assertEquals("c-9", error.getString("client_msg_id"));
    assertEquals(4, error.getInt("room"));
    assertFalse(error.containsKey("retry_after_ms"));
  }

  /** One error shape: a rate limit is an error with retry and a wait, nothing else differs. */
  @Test
  void aRateLimitIsAnErrorThatSaysHowLongToWait() {
    JsonObject error = parse(ServerFrame.Error.rateLimited("c-1", 4, 250));
    assertEquals("error", error.getString("type"));
    assertEquals("rate_limited", error.getString("code"));
    assertTrue(error.getBoolean("retry"));
    assertEquals(250, error.getInt("retry_after_ms"));
    assertEquals("c-1", error.getString("client_msg_id"));
  }

  @Test
  void anErrorNamesNoRoomOrIdItWasNotGiven() {
    JsonObject error = parse(ServerFrame.Error.of("unknown_type", "Unknown.", false, null, null));
    assertFalse(error.containsKey("room"));
    assertFalse(error.containsKey("client_msg_id"));
    assertFalse(error.getBoolean("retry"));
  }

  @Test
  void theFirstAcceptedTokenIsWelcomedAndALaterOneReauthenticated() {
    ServerFrame.User ada = new ServerFrame.User("sub-1", "ada");
    assertEquals("welcome", parse(new ServerFrame.SignedIn(true, ada, 5)).getString("type"));
    JsonObject later = parse(new ServerFrame.SignedIn(false, ada, 6));
    assertEquals("reauthenticated", later.getString("type"));
    assertEquals("ada", later.getJsonObject("user").getString("name"));
    assertEquals(6, later.getInt("expires"));
  }

  @Test
  void helloNamesTheProtocolVersionAndTheSignInDeadline() {
    JsonObject hello = parse(new ServerFrame.Hello(1000, 5000));
    assertEquals(ServerFrame.PROTOCOL_VERSION, hello.getInt("protocol"));
    assertEquals(5000, hello.getInt("auth_timeout_ms"));
  }

  private static JsonObject parse(ServerFrame frame) {
    return Json.createReader(new StringReader(frame.encode().text())).readObject();
  }
}
