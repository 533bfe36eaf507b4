package teamchat.chatserv.protocol.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.protocol.entity.ClientFrame;
import teamchat.chatserv.protocol.entity.ServerFrame;

/**
 * A typing hint may name the thread typed in, so that a page shows it in that thread's panel and
 * not under the room's composer; a thread that is not a message id is refused like any bad field.
 */
class TypingFrameTest {

  private static final Validator RULES = Validation.buildDefaultValidatorFactory().getValidator();

  @Test
  void aThreadIsReadWhenGivenAndAbsentOtherwise() {
    assertEquals(
        new ClientFrame.Typing(3L, 41L),
        ClientFrameDecoder.read("{\"type\":\"typing\",\"room\":3,\"thread\":41}"));
    assertEquals(
        new ClientFrame.Typing(3L, null),
        ClientFrameDecoder.read("{\"type\":\"typing\",\"room\":3}"));
    assertEquals(
        new ClientFrame.Typing(3L, null),
        ClientFrameDecoder.read("{\"type\":\"typing\",\"room\":3,\"thread\":null}"));
    assertTrue(RULES.validate(new ClientFrame.Typing(3L, 41L)).isEmpty());
    assertTrue(RULES.validate(new ClientFrame.Typing(3L, null)).isEmpty());
  }

  @Test
  void aThreadThatIsNoMessageIdIsRefused() {
    for (String thread : new String[] {"\"41\"", "0", "-1", "1.5", "1e400", "true", "{}"}) {
      ClientFrame frame =
          ClientFrameDecoder.read("{\"type\":\"typing\",\"room\":3,\"thread\":" + thread + "}");
      assertFalse(RULES.validate(frame).isEmpty(), "thread " + thread + " is refused");
    }
  }

  @Test
  void theRelayedHintNamesTheThreadOnlyWhenThereIsOne() {
    ServerFrame.User ada = new ServerFrame.User("sub-ada", "Ada");
    JsonObject inThread = parse(new ServerFrame.Typing(3, 41L, ada));
    assertEquals(41, inThread.getInt("thread"));
    assertEquals(3, inThread.getInt("room"));
    assertEquals("sub-ada", inThread.getJsonObject("user").getString("id"));
    JsonObject inRoom = parse(new ServerFrame.Typing(3, null, ada));
    assertFalse(inRoom.containsKey("thread"), inRoom.toString());
  }

  private static JsonObject parse(ServerFrame frame) {
    return Json.createReader(new StringReader(frame.encode().text())).readObject();
  }
}
