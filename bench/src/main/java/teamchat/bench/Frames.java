package teamchat.bench;

/**
 * The few JSON frames the generator sends, and a reader for the top-level fields of the frames it
 * receives. A full JSON parser per frame would cost the generator more CPU than the server spends
 * on some frames; the frames are flat and the bodies are the generator's own (no quotes, no
 * escapes), so a field scan is exact here.
 */
final class Frames {

  private Frames() {}

  static String auth(String token) {
    return "{\"type\":\"auth\",\"token\":\"" + token + "\"}";
  }

  static String subscribe(long room) {
    return "{\"type\":\"subscribe\",\"room\":" + room + ",\"after\":0}";
  }

  static String send(long room, String clientMsgId, String body) {
    return "{\"type\":\"send\",\"room\":"
        + room
        + ",\"client_msg_id\":\""
        + clientMsgId
        + "\",\"body\":\""
        + body
        + "\"}";
  }

  /**
   * A message body that carries what the receivers need to measure: when it was (meant to be) sent,
   * on the generator's {@link System#nanoTime()} clock, and which connection sent it. Padded to
   * {@code size} characters.
   */
  static String body(long sentNanos, int sender, int size) {
    StringBuilder body = new StringBuilder(size).append('t').append(sentNanos).append('s');
    body.append(sender).append('.');
    while (body.length() < size) {
      body.append('x');
    }
    return body.toString();
  }

  /** The send time stamped into a body by {@link #body}. */
  static long sentNanos(String body) {
    return Long.parseLong(body, 1, body.indexOf('s'), 10);
  }

  /** The sender stamped into a body by {@link #body}. */
  static int sender(String body) {
    return Integer.parseInt(body, body.indexOf('s') + 1, body.indexOf('.'), 10);
  }

  /**
   * The value of a field of a flat JSON object: a string without its quotes, or a number or literal
   * as written; null when absent.
   */
  static String field(String json, String name) {
    String key = "\"" + name + "\"";
    int at = json.indexOf(key);
    while (at >= 0) {
      int i = skipSpaces(json, at + key.length());
      if (i < json.length() && json.charAt(i) == ':') {
        i = skipSpaces(json, i + 1);
        if (i < json.length() && json.charAt(i) == '"') {
          int end = i + 1;
          while (end < json.length() && json.charAt(end) != '"') {
            end += json.charAt(end) == '\\' ? 2 : 1;
          }
          return json.substring(i + 1, Math.min(end, json.length()));
        }
        int end = i;
        while (end < json.length() && ",}] \n\r\t".indexOf(json.charAt(end)) < 0) {
          end++;
        }
        return json.substring(i, end);
      }
      at = json.indexOf(key, at + 1);
    }
    return null;
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
