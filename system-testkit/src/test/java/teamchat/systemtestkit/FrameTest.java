package teamchat.systemtestkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.JsonException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameTest {

  @Test
  void aFrameIsReadByFieldWithPlainJavaValues() {
    Frame cut =
        Frame.parse(
            "{\"type\":\"message\",\"room\":7,\"seq\":12,\"body\":\"a \\\"quoted\\\" word\","
                + "\"retry\":true,\"user\":{\"id\":\"s1\"},\"online\":[{\"id\":\"s2\"}],"
                + "\"ratio\":0.5,\"gone\":null}");

    assertEquals("message", cut.type());
    assertEquals(12L, cut.number("seq"));
    assertEquals("a \"quoted\" word", cut.string("body"));
    assertEquals(7L, cut.get("room"));
    assertEquals(Boolean.TRUE, cut.get("retry"));
    assertEquals(Map.of("id", "s1"), cut.get("user"));
    assertEquals(List.of(Map.of("id", "s2")), cut.get("online"));
    assertEquals(0.5, cut.get("ratio"));
    assertNull(cut.get("gone"));
    assertNull(cut.get("absent"));
  }

  @Test
  void textThatIsNoJsonObjectArrivesAsAnUnparseableFrameWithTheText() {
    for (String text : List.of("{not json", "[1,2]", "\"text\"", "")) {
      Frame cut = Frame.parse(text);
      assertEquals("unparseable", cut.type(), text);
      assertEquals(text, cut.string("text"));
    }
  }

  @Test
  void aResponseBodyThatIsNoJsonObjectIsRefused() {
    assertEquals("UP", JsonBodies.parse("{\"status\":\"UP\"}").getString("status"));
    assertThrows(JsonException.class, () -> JsonBodies.parse("<html>"));
    assertThrows(JsonException.class, () -> JsonBodies.parse("[]"));
  }
}
