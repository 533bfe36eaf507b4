package teamchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FramesTest {

  @Test
  void readsTopLevelFieldsOfTheServersFrames() {
    String frame =
        "{\"type\": \"message\", \"room\":42,\"seq\":18,\"id\":9001,\"client_msg_id\":\"k-1\",\"body\":\"hi\"}";
    assertEquals("message", Frames.field(frame, "type"));
    assertEquals("9001", Frames.field(frame, "id"));
    assertEquals("k-1", Frames.field(frame, "client_msg_id"));
    assertEquals("42", Frames.field(frame, "room"));
    assertNull(Frames.field(frame, "after"));
  }

  @Test
  void aBodyCarriesItsSendTimeAndSenderAndHasTheAskedSize() {
    String body = Frames.body(123456789L, 57, 100);
    assertEquals(100, body.length());
    assertEquals(123456789L, Frames.sentNanos(body));
    assertEquals(57, Frames.sender(body));
  }
}
