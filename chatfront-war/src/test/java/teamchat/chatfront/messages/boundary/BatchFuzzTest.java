package teamchat.chatfront.messages.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import teamchat.chatfront.messages.control.MessageBatches;
import teamchat.chatfront.messages.control.MessageStore;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.problems.Refused;
import teamchat.contract.text.PlainText;

/**
 * Batches of hostile messages against the batch endpoint's door, with a store that refuses what
 * PostgreSQL refuses (a NUL): every message gets exactly its own outcome, nothing throws, and only
 * text the contract accepts, in NFC, is ever stored. And hostile bodies against the door's reading
 * of them ({@link StoreBatchServlet#read}): a batch, or 400 {@code malformed_request}, never
 * another failure (which would be a 500: the server's fault, and chatserv would send it again).
 */
class BatchFuzzTest {

  private static final Validator VALIDATOR =
      Validation.buildDefaultValidatorFactory().getValidator();

  /** Stores anything except what PostgreSQL cannot hold; records what reached it. */
  static final class StrictStore extends MessageStore {
    final List<NewMessage> stored = new ArrayList<>();

    @Override
    public List<StoreOutcome> store(List<NewMessage> batch) throws SQLException {
      for (NewMessage message : batch) {
        if (message.body() != null && message.body().indexOf('\u0000') >= 0) {
          throw new SQLException("invalid byte sequence for encoding UTF8: 0x00", "22021");
        }
      }
      List<StoreOutcome> outcomes = new ArrayList<>();
      for (NewMessage message : batch) {
        stored.add(message);
        outcomes.add(
            new StoreOutcome(
                message.clientMsgId(),
                message.sender(),
                StoreOutcome.STORED,
                "stored",
                (long) stored.size(),
                message.room(),
                (long) stored.size(),
                Instant.EPOCH,
                null));
      }
      return outcomes;
    }
  }

  @Property(tries = 10_000)
  void everyMessageGetsItsOwnOutcomeAndOnlyAcceptableTextIsStored(
      @ForAll("batches") List<NewMessage> messages) throws Refused {
    StrictStore store = new StrictStore();
    MessageBatches cut = MessageBatches.of(store, VALIDATOR);
    List<StoreOutcome> outcomes = cut.store(new StoreBatch(messages)).outcomes();
    assertEquals(messages.size(), outcomes.size());
    for (int i = 0; i < outcomes.size(); i++) {
      StoreOutcome outcome = outcomes.get(i);
      assertTrue(
          outcome.durable() || outcome.status() == 422 && outcome.code().startsWith("invalid_"),
          outcome.toString());
      if (outcome.durable()) {
        String body = messages.get(i).body();
        assertTrue(PlainText.isAcceptable(PlainText.normalize(body), 1, 4000, true), body);
      }
    }
    for (NewMessage stored : store.stored) {
      assertTrue(PlainText.isAcceptable(stored.body(), 1, 4000, true));
      assertTrue(Normalizer.isNormalized(stored.body(), Normalizer.Form.NFC));
    }
  }

  @Provide
  Arbitrary<List<NewMessage>> batches() {
    Arbitrary<Character> nasty =
        Arbitraries.of(
            '\u0000', '\ud800', '\udfff', '\ud83d', '\r', '\u001b', '\ufffe', '\u2028', '\u0301',
            '\n', '\t');
    Arbitrary<String> text =
        Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.chars().all()),
                Tuple.of(2, Arbitraries.chars().alpha()),
                Tuple.of(2, nasty))
            .list()
            .ofMaxSize(40)
            .map(chars -> chars.stream().map(String::valueOf).reduce("", String::concat));
    Arbitrary<String> body =
        Arbitraries.frequencyOf(
            Tuple.of(20, text),
            Tuple.of(1, Arbitraries.just(null)),
            Tuple.of(1, Arbitraries.just("x".repeat(4001))),
            Tuple.of(1, Arbitraries.just("\ud83d\ude00".repeat(4000))));
    Arbitrary<String> clientId =
        Arbitraries.frequencyOf(
            Tuple.of(
                4, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)),
            Tuple.of(1, text));
    Arbitrary<Long> room =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.longs().between(1, 5)),
            Tuple.of(1, Arbitraries.longs().between(-2, 0)),
            Tuple.of(1, Arbitraries.just(null)));
    Arbitrary<String> sender =
        Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("u-1", "u-2")), Tuple.of(1, text));
    return Combinators.combine(sender, room, clientId, body)
        .as(NewMessage::message)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6);
  }

  @Property(tries = 10_000)
  void everyBodyIsReadAsABatchOrRefusedAsMalformedNeverAFailure(@ForAll("bodies") byte[] body) {
    StoreBatch batch;
    try {
      batch = StoreBatchServlet.read(new ByteArrayInputStream(body));
    } catch (Refused refused) {
      assertEquals(400, refused.status());
      assertEquals("malformed_request", refused.code());
      return;
    }
    // What was read goes on to the store: outcomes for all, or the whole batch refused as invalid.
    StrictStore store = new StrictStore();
    try {
      int outcomes = MessageBatches.of(store, VALIDATOR).store(batch).outcomes().size();
      assertEquals(batch.messages().size(), outcomes);
    } catch (Refused refused) {
      assertEquals(400, refused.status());
      assertEquals("invalid_request", refused.code());
    }
  }

  /** Valid batches with characters deleted, doubled or replaced, and bytes of any kind. */
  @Provide
  Arbitrary<byte[]> bodies() {
    String valid =
        "{\"messages\":[{\"sender\":\"u-1\",\"room\":1,\"client_msg_id\":\"a\","
            + "\"body\":\"hi \\u00e9\",\"kind\":\"message\",\"files\":[]},"
            + "{\"sender\":\"u-2\",\"room\":2,\"client_msg_id\":\"b\",\"kind\":\"react\","
            + "\"target\":7,\"emoji\":\":wave:\"}]}";
    Arbitrary<String> pieces =
        Arbitraries.of(
            "",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\\",
            "null",
            "true",
            "1e400",
            "-1",
            "99999999999999999999",
            "\\ud800",
            "\u0000",
            "\ufeff",
            "{\"messages\":",
            "\"room\":");
    Arbitrary<String> mutated =
        Combinators.combine(
                Arbitraries.integers().between(0, valid.length()),
                Arbitraries.integers().between(0, 8),
                pieces)
            .as(
                (at, cut, piece) ->
                    valid.substring(0, at)
                        + piece
                        + valid.substring(Math.min(valid.length(), at + cut)));
    Arbitrary<byte[]> text =
        Arbitraries.frequencyOf(
                Tuple.of(6, mutated),
                Tuple.of(1, Arbitraries.just(valid)),
                Tuple.of(1, Arbitraries.just("null")),
                Tuple.of(1, Arbitraries.just("")))
            .map(json -> json.getBytes(StandardCharsets.UTF_8));
    return Arbitraries.frequencyOf(
        Tuple.of(8, text), Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)));
  }
}
