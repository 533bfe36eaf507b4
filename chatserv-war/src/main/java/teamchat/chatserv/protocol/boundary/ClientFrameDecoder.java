package teamchat.chatserv.protocol.boundary;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import teamchat.chatserv.protocol.entity.ClientFrame;
import teamchat.chatserv.protocol.entity.FrameJson;
import teamchat.contract.messages.AttachedFile;
import teamchat.contract.text.PlainText;

/**
 * Turns a text frame into a {@link ClientFrame}. It never throws: text that is not a JSON object
 * within {@link FrameShape}'s bounds becomes {@link ClientFrame.Malformed}, an object of an unknown
 * type {@link ClientFrame.Unknown}, and fields of the wrong JSON type {@code null}, so that every
 * frame reaches the endpoint and gets the answer docs/protocol.md documents.
 *
 * <p>It is no {@code jakarta.websocket.Decoder}: Tyrus makes a decoder instance for each socket,
 * through CDI (a new injection target each time), which was 5.5% of chatserv's CPU while 15,000
 * sockets opened (BENCHMARKS.md, issue 18). The endpoint takes the text and calls {@link #read}.
 */
public final class ClientFrameDecoder {

  private ClientFrameDecoder() {}

  /** The frame as the protocol reads it. */
  public static ClientFrame read(String frame) {
    if (!FrameShape.withinBounds(frame)) {
      return new ClientFrame.Malformed("invalid_json");
    }
    JsonValue value;
    try {
      value = FrameJson.PROVIDER.createReader(new StringReader(frame)).readValue();
    } catch (RuntimeException | StackOverflowError e) { // JsonException included
      // Whatever the parser makes of it, the frame is not JSON we take: the documented answer.
      return new ClientFrame.Malformed("invalid_json");
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      return new ClientFrame.Malformed("frame_not_an_object");
    }
    JsonObject object = value.asJsonObject();
    String type = text(object, "type");
    if (type == null) {
      return new ClientFrame.Unknown(null);
    }
    return switch (type) {
      case "auth" -> new ClientFrame.Auth(text(object, "token"));
      case "send" ->
          new ClientFrame.Send(
              number(object, "room"),
              text(object, "client_msg_id"),
              PlainText.normalize(text(object, "body")),
              optionalNumber(object, "parent"),
              strings(object, "files"));
      case "edit" ->
          new ClientFrame.Edit(
              number(object, "room"),
              text(object, "client_msg_id"),
              number(object, "target"),
              PlainText.normalize(text(object, "body")));
      case "delete" ->
          new ClientFrame.Delete(
              number(object, "room"), text(object, "client_msg_id"), number(object, "target"));
      case "react" ->
          new ClientFrame.React(
              number(object, "room"),
              text(object, "client_msg_id"),
              number(object, "target"),
              PlainText.normalize(text(object, "emoji")),
              bool(object, "on"));
      case "subscribe" ->
          new ClientFrame.Subscribe(number(object, "room"), number(object, "after"));
      case "unsubscribe" -> new ClientFrame.Unsubscribe(number(object, "room"));
      case "typing" ->
          new ClientFrame.Typing(number(object, "room"), optionalNumber(object, "thread"));
      default -> new ClientFrame.Unknown(type);
    };
  }

  /** An integral JSON number within a long, or null for anything else (text, fractions, 1e400). */
  private static Long number(JsonObject object, String field) {
    JsonValue value = object.get(field);
    if (value instanceof JsonNumber number && number.isIntegral()) {
      try {
        return number.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * An optional number: null when absent (or JSON null), {@link ClientFrame#MALFORMED_NUMBER} when
   * given as anything but an integral JSON number within a long, so that it is refused rather than
   * taken for absent.
   */
  private static Long optionalNumber(JsonObject object, String field) {
    JsonValue value = object.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    Long number = number(object, field);
    return number == null ? ClientFrame.MALFORMED_NUMBER : number;
  }

  /**
   * An optional array of strings: null when absent (or JSON null); a list holding a null where an
   * element is not a string, or holding only a null when the value is not an array, so that it is
   * refused rather than taken for absent. At most {@link #MAX_LIST} elements are read: a longer
   * list is refused for its length all the same.
   */
  private static List<String> strings(JsonObject object, String field) {
    JsonValue value = object.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    List<String> strings = new ArrayList<>();
    if (!(value instanceof JsonArray array)) {
      strings.add(null);
      return strings;
    }
    for (JsonValue element : array.subList(0, Math.min(array.size(), MAX_LIST))) {
      strings.add(element instanceof JsonString string ? string.getString() : null);
    }
    return strings;
  }

  /** One more than the longest list of the protocol (a send's files): enough to refuse it. */
  private static final int MAX_LIST = AttachedFile.MAX_PER_MESSAGE + 1;

  /** true or false, or null for anything else (a string "true" included). */
  private static Boolean bool(JsonObject object, String field) {
    JsonValue value = object.get(field);
    if (value == null) {
      return null;
    }
    return switch (value.getValueType()) {
      case TRUE -> true;
      case FALSE -> false;
      default -> null;
    };
  }

  private static String text(JsonObject object, String field) {
    JsonValue value = object.get(field);
    return value instanceof JsonString string ? string.getString() : null;
  }
}
