package teamchat.systemtestkit;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One frame from chatserv, parsed. A text that is not a JSON object arrives as a frame of type
 * {@code unparseable} with the text in {@code text}, so that a test can assert on it.
 *
 * @param json the frame as sent
 */
public record Frame(JsonObject json) {

  /** Parses a frame's text. */
  public static Frame parse(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return new Frame(reader.readObject());
    } catch (JsonException | IllegalStateException e) {
      return new Frame(
          Json.createObjectBuilder().add("type", "unparseable").add("text", text).build());
    }
  }

  /** Its {@code type}, or "" if it has none. */
  public String type() {
    return json.getString("type", "");
  }

  /** A text field; fails if the frame has none. */
  public String string(String field) {
    return json.getString(field);
  }

  /** A whole-number field (ids, seqs, times); fails if the frame has none. */
  public long number(String field) {
    return json.getJsonNumber(field).longValueExact();
  }

  /**
   * A field as a plain Java value: String, Long (whole numbers), Double, Boolean, List, Map, or
   * null when absent or null.
   */
  public Object get(String field) {
    return plain(json.get(field));
  }

  private static Object plain(JsonValue value) {
    if (value == null) {
      return null;
    }
    return switch (value.getValueType()) {
      case STRING -> ((JsonString) value).getString();
      case NUMBER ->
          ((JsonNumber) value).isIntegral()
              ? (Object) ((JsonNumber) value).longValue()
              : (Object) ((JsonNumber) value).doubleValue();
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case NULL -> null;
      case ARRAY -> ((JsonArray) value).stream().map(Frame::plain).toList();
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        ((JsonObject) value).forEach((k, v) -> map.put(k, plain(v)));
        yield map;
      }
    };
  }

  @Override
  public String toString() {
    return json.toString();
  }
}
