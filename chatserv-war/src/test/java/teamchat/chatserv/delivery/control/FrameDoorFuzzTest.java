package teamchat.chatserv.delivery.control;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.text.PlainText;

/**
 * The socket's door, fuzzed the way ChatEndpoint passes a frame through it: the shape bound, then
 * the JSON parser, then the number and body rules. Whatever arrives, the parser is only ever given
 * a frame it answers with a value or an exception ChatEndpoint maps to 1007 (never a
 * StackOverflowError, never minutes of arithmetic), and every body the rules accept can be written
 * to a socket (UTF-8, which is where a lone surrogate once threw an Error that stopped the
 * batcher).
 */
class FrameDoorFuzzTest {

  @Property(tries = 10_000)
  void theParserOnlyMeetsFramesItCanAnswer(@ForAll("frames") String frame) {
    if (!FrameShape.withinBounds(frame)) {
      return; // closed with 1007 invalid_json before parsing
    }
    JsonValue value;
    try {
      value = Frames.JSON.createReader(new StringReader(frame)).readValue();
    } catch (JsonException | NumberFormatException expected) {
      // Closed with 1007 invalid_json (ChatEndpoint maps every RuntimeException of the parser so;
      // this fuzzer found Parsson's NumberFormatException for an exponent that overflows an int).
      return;
    }
    assertTrue(value != null);
    if (value instanceof jakarta.json.JsonObject object) {
      // What ChatEndpoint then reads of numbers: an integral long or nothing, never a throw.
      for (JsonValue field : object.values()) {
        if (field instanceof jakarta.json.JsonNumber number && number.isIntegral()) {
          try {
            number.longValueExact();
          } catch (ArithmeticException tooLarge) {
            // refused as invalid_frame
          }
        }
      }
    }
  }

  @Property(tries = 10_000)
  void everyAcceptedBodyCanBeWritten(@ForAll("bodies") String raw) {
    String body = PlainText.normalize(raw);
    if (PlainText.check(body, 1, NewMessage.MAX_BODY_CHARACTERS, true).isEmpty()) {
      String frame =
          Frames.JSON
              .createObjectBuilder()
              .add("type", "message")
              .add("body", body)
              .build()
              .toString();
      try {
        StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(frame));
      } catch (CharacterCodingException e) {
        throw new AssertionError("accepted but not writable: " + frame, e);
      }
    }
  }

  @Provide
  Arbitrary<String> frames() {
    Arbitrary<String> valid =
        Arbitraries.of(
            "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"a\",\"body\":\"hi\"}",
            "{\"type\":\"subscribe\",\"room\":1,\"after\":0}",
            "{\"type\":\"auth\",\"token\":\"a.b.c\"}",
            "{\"type\":\"typing\",\"room\":2}");
    Arbitrary<String> insert =
        Arbitraries.oneOf(
            Arbitraries.integers().between(1, 5_000).map(n -> "[".repeat(n)),
            Arbitraries.integers().between(1, 5_000).map(n -> "{\"a\":".repeat(n)),
            Arbitraries.integers().between(1, 20_000).map(n -> "9".repeat(n)),
            Arbitraries.integers().between(1, 5_000).map(n -> "1e" + "9".repeat(n)),
            Arbitraries.of(
                "\\ud800", "\\u0000", "\"", "\\", "}", "]", ",", ":", "\u0000", "\ud800"),
            Arbitraries.strings().ofMaxLength(20));
    return Combinators.combine(valid, insert, Arbitraries.integers().between(0, 80))
        .as(
            (frame, bit, at) -> {
              int where = Math.min(at, frame.length());
              return frame.substring(0, where) + bit + frame.substring(where);
            });
  }

  @Provide
  Arbitrary<String> bodies() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(64),
        Arbitraries.strings()
            .withChars('\ud800', '\udc00', '\ud83d', '\ude00', 'a', '\u0000', '\n', '\u0301')
            .ofMaxLength(16),
        Arbitraries.of(List.of("😀".repeat(4000), "x".repeat(4001))));
  }
}
