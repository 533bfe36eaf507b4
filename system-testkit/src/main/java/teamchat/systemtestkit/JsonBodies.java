package teamchat.systemtestkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;

/** JSON answers read with a parser, so that tests assert on fields, never on substrings. */
public final class JsonBodies {

  private JsonBodies() {}

  /**
   * A JSON object from a response body; throws {@link jakarta.json.JsonException} (or {@link
   * ClassCastException} for JSON that is no object) otherwise.
   */
  public static JsonObject parse(String body) {
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }
}
