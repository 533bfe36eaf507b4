package teamchat.chatserv.protocol.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import teamchat.chatserv.protocol.entity.ClientFrame;
import teamchat.chatserv.protocol.entity.ServerFrame;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoredMessage;
import teamchat.contract.text.PlainText;

/**
 * The socket's door, fuzzed the way a frame passes through it: {@link ClientFrameDecoder} (the
 * shape bound, the JSON parser, the fields), then the rules of {@link NewMessage} that ChatEndpoint
 * validates a send against. Whatever arrives, the decoder answers with a frame (never a throw, a
 * StackOverflowError or minutes of arithmetic: Parsson's NumberFormatException for an exponent that
 * overflows an int was found here), and every send the rules accept can be written to a socket
 * (UTF-8, where a lone surrogate once threw an Error that stopped the batcher).
 */
class FrameDoorFuzzTest {

  private static final Validator RULES = Validation.buildDefaultValidatorFactory().getValidator();

  @Property(tries = 10_000)
  void everyFrameIsDecodedToAFrameTheEndpointAnswers(@ForAll("frames") String text) {
    ClientFrame frame = ClientFrameDecoder.read(text);
    assertNotNull(frame);
    if (frame instanceof ClientFrame.Send send) {
      writableIfAccepted(send);
    }
  }

  @Property(tries = 10_000)
  void everyAcceptedBodyCanBeWritten(@ForAll("bodies") String body) {
    String text =
        "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"c-1\",\"body\":"
            + jsonString(body)
            + "}";
    ClientFrame.Send send = (ClientFrame.Send) ClientFrameDecoder.read(text);
    boolean acceptable =
        PlainText.isAcceptable(PlainText.normalize(body), 1, NewMessage.MAX_BODY_CHARACTERS, true);
    NewMessage message = NewMessage.message("sub-1", send.room(), send.clientMsgId(), send.body());
    assertEquals(
        acceptable, RULES.validate(message).isEmpty(), "the door applies PlainText's rules");
    writableIfAccepted(send);
  }

  private static void writableIfAccepted(ClientFrame.Send send) {
    NewMessage message = NewMessage.message("sub-1", send.room(), send.clientMsgId(), send.body());
    if (!RULES.validate(message).isEmpty()) {
      return; // refused alone with invalid_frame or invalid_body
    }
    String out =
        new ServerFrame.Message(
                StoredMessage.message(
                    1,
                    message.room(),
                    1,
                    message.sender(),
                    message.clientMsgId(),
                    message.body(),
                    null,
                    Instant.EPOCH))
            .encode()
            .text();
    try {
      StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(out));
    } catch (CharacterCodingException e) {
      throw new AssertionError("accepted but not writable: " + out, e);
    }
  }

  /** A JSON string literal for any Java string, lone surrogates included (as \\uXXXX escapes). */
  private static String jsonString(String value) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
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
