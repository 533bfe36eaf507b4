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
import teamchat.contract.messages.AttachedFile;
import teamchat.contract.messages.MessageState;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.Reactions;
import teamchat.contract.messages.StoredMessage;
import teamchat.contract.text.PlainText;

/**
 * The socket's door, fuzzed the way a frame passes through it: {@link ClientFrameDecoder} (the
 * shape bound, the JSON parser, the fields), then {@link EntryCheck}, the rules of {@link
 * NewMessage} that ChatEndpoint checks a send, edit, delete or react against. Whatever arrives, the
 * decoder answers with a frame and the door with an entry or an error (never a throw, a
 * StackOverflowError or minutes of arithmetic: Parsson's NumberFormatException for an exponent that
 * overflows an int was found here), and every entry the door admits can be written to a socket
 * (UTF-8, where a lone surrogate once threw an Error that stopped the batcher).
 */
class FrameDoorFuzzTest {

  private static final Validator RULES = Validation.buildDefaultValidatorFactory().getValidator();

  @Property(tries = 10_000)
  void everyFrameIsDecodedToAFrameTheEndpointAnswers(@ForAll("frames") String text) {
    ClientFrame frame = ClientFrameDecoder.read(text);
    assertNotNull(frame);
    if (frame instanceof ClientFrame.EntryRequest request) {
      writableIfAccepted(request);
    }
  }

  @Property(tries = 5_000)
  void everyAcceptedReactionCanBeWritten(
      @ForAll("emojis") String emoji, @ForAll("booleanish") String on) {
    String text =
        "{\"type\":\"react\",\"room\":1,\"client_msg_id\":\"c-1\",\"target\":5,\"emoji\":"
            + jsonString(emoji)
            + ",\"on\":"
            + on
            + "}";
    ClientFrame.React react = (ClientFrame.React) ClientFrameDecoder.read(text);
    EntryCheck.Verdict verdict = EntryCheck.check(react, "sub-1", RULES);
    boolean acceptable =
        Reactions.isEmoji(PlainText.normalize(emoji)) && (on.equals("true") || on.equals("false"));
    assertEquals(acceptable, verdict instanceof EntryCheck.Admitted, text);
    writableIfAccepted(react);
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
    assertEquals(
        acceptable,
        EntryCheck.check(send, "sub-1", RULES) instanceof EntryCheck.Admitted,
        "the door applies PlainText's rules");
    writableIfAccepted(send);
    // An edit's body is held to the same rules.
    ClientFrame.Edit edit =
        (ClientFrame.Edit)
            ClientFrameDecoder.read(
                "{\"type\":\"edit\",\"room\":1,\"client_msg_id\":\"c-2\",\"target\":3,\"body\":"
                    + jsonString(body)
                    + "}");
    assertEquals(acceptable, EntryCheck.check(edit, "sub-1", RULES) instanceof EntryCheck.Admitted);
    writableIfAccepted(edit);
  }

  /**
   * The {@code files} field of a send, fuzzed: whatever it holds, the door answers; it admits
   * exactly the lists of at most ten distinct lower-case UUIDs, and what it admits can be written.
   */
  @Property(tries = 5_000)
  void aSendsFilesAreAdmittedOnlyAsAShortListOfDistinctIds(@ForAll("fileLists") String files) {
    String text =
        "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"c-1\",\"body\":\"x\",\"files\":"
            + files
            + "}";
    ClientFrame frame = ClientFrameDecoder.read(text);
    assertNotNull(frame);
    if (!(frame instanceof ClientFrame.Send send)) {
      return; // not JSON at all: the socket's malformed-frame answer
    }
    List<String> ids = send.files();
    boolean acceptable =
        ids == null
            || (ids.size() <= AttachedFile.MAX_PER_MESSAGE
                && ids.stream().allMatch(id -> id != null && id.matches(AttachedFile.ID_PATTERN))
                && ids.stream().distinct().count() == ids.size());
    assertEquals(
        acceptable, EntryCheck.check(send, "sub-1", RULES) instanceof EntryCheck.Admitted, text);
    writableIfAccepted(send);
  }

  @Provide
  Arbitrary<String> fileLists() {
    Arbitrary<String> id =
        Arbitraries.oneOf(
            Arbitraries.create(() -> "\"" + java.util.UUID.randomUUID() + "\""),
            Arbitraries.of(
                "\"0b9e8a57-3f0c-4c3e-9a53-6f0b1c2d3e4f\"",
                "\"0B9E8A57-3F0C-4C3E-9A53-6F0B1C2D3E4F\"",
                "\"../x\"",
                "\"\"",
                "1",
                "null",
                "true",
                "{}",
                "[]"),
            Arbitraries.strings().ofMaxLength(40).map(FrameDoorFuzzTest::jsonString));
    Arbitrary<String> lists =
        id.list().ofMaxSize(13).map(elements -> "[" + String.join(",", elements) + "]");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, lists),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.of("null", "\"x\"", "7", "{}", "[", "[[\"a\"]]", "false")));
  }

  /**
   * What chatfront would send back for an admitted entry (its text, as a live entry and as a
   * replayed one) can be written; a refused one is answered alone with its error frame, which can
   * be written too.
   */
  private static void writableIfAccepted(ClientFrame.EntryRequest request) {
    EntryCheck.Verdict verdict = EntryCheck.check(request, "sub-1", RULES);
    if (verdict instanceof EntryCheck.Refused refused) {
      writable(refused.error().encode().text());
      return;
    }
    NewMessage entry = ((EntryCheck.Admitted) verdict).entry();
    StoredMessage stored =
        new StoredMessage(
            1,
            entry.room(),
            1,
            entry.sender(),
            entry.clientMsgId(),
            entry.kind(),
            entry.body(),
            entry.body(),
            Instant.EPOCH,
            entry.target(),
            entry.parent(),
            entry.emoji(),
            List.of(entry.sender()),
            false,
            entry.emoji() == null
                ? null
                : new MessageState(
                    null,
                    false,
                    List.of(new MessageState.Reaction(entry.emoji(), List.of("sub-1"))),
                    0,
                    List.of()));
    writable(ServerFrame.entry(stored).encode().text());
  }

  private static void writable(String out) {
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
            "{\"type\":\"typing\",\"room\":2}",
            "{\"type\":\"send\",\"room\":1,\"client_msg_id\":\"a\",\"body\":\"hi\",\"parent\":7}",
            "{\"type\":\"edit\",\"room\":1,\"client_msg_id\":\"a\",\"target\":7,\"body\":\"hi\"}",
            "{\"type\":\"delete\",\"room\":1,\"client_msg_id\":\"a\",\"target\":7}",
            "{\"type\":\"react\",\"room\":1,\"client_msg_id\":\"a\",\"target\":7,"
                + "\"emoji\":\"\ud83d\udc4d\",\"on\":true}");
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
  Arbitrary<String> emojis() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(8),
        Arbitraries.strings()
            .withChars(
                '\ud83d', '\udc4d', '\u200d', '\ufe0f', '\u0301', ':', 'a', '\u0000', ' ', '\udb40')
            .ofMaxLength(12),
        Arbitraries.of(
            List.of(
                "👍",
                ":tada:",
                "👨‍👩‍👧‍👦",
                "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
                "👍".repeat(17),
                ":" + "a".repeat(33) + ":")));
  }

  @Provide
  Arbitrary<String> booleanish() {
    return Arbitraries.of("true", "false", "\"true\"", "1", "0", "null", "[]", "{}");
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
