package teamchat.chatserv.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import teamchat.contract.messages.StoredMessage;

class FramesTest {

  @Test
  void aMessageBodyTravelsAsAJsonStringWhateverItHolds() {
    String body = "</script><script>alert(\"x\")</script> \\ \u2028 {\"type\":\"ack\"}";
    String frame =
        Frames.message(
            new StoredMessage(7, 3, 12, "sub-1", "c-1", body, Instant.ofEpochMilli(1000)));
    JsonObject parsed = Json.createReader(new StringReader(frame)).readObject();
    assertEquals("message", parsed.getString("type"));
    assertEquals(body, parsed.getString("body"), "the body comes back exactly");
    assertEquals(12, parsed.getInt("seq"));
    assertEquals(1000, parsed.getJsonNumber("time").longValue());
    assertFalse(frame.contains("\"type\":\"ack\""), "the body cannot forge a field");
  }

  @Test
  void errorsSayWhetherToRetry() {
    JsonObject error =
        Json.createReader(new StringReader(Frames.error("not_stored", "later", true, "c-9", 4L)))
            .readObject();
    assertTrue(error.getBoolean("retry"));
    assertEquals("c-9", error.getString("client_msg_id"));
    assertEquals(4, error.getInt("room"));
  }
}
