package teamchat.chatfront.messages.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.validation.Validation;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.problems.Refused;

/**
 * A batch with a message the database refuses (although the contract's rules let it through): only
 * that message fails; a database that fails altogether still fails the batch (retry); a batch
 * without 1 to 500 messages is refused whole, before anything is stored.
 */
class MessageBatchesTest {

  /** Stores like the database would, refusing any batch that holds the poison. */
  static class FakeStore extends MessageStore {
    final String refusedState;
    final List<Integer> batchSizes = new ArrayList<>();
    long seq;

    FakeStore(String refusedState) {
      this.refusedState = refusedState;
    }

    @Override
    public List<StoreOutcome> store(List<NewMessage> batch) throws SQLException {
      batchSizes.add(batch.size());
      if (batch.stream()
          .anyMatch(message -> message.body() != null && message.body().contains("poison"))) {
        throw new SQLException("refused", refusedState);
      }
      List<StoreOutcome> outcomes = new ArrayList<>();
      for (NewMessage message : batch) {
        outcomes.add(
            new StoreOutcome(
                message.clientMsgId(),
                message.sender(),
                StoreOutcome.STORED,
                "stored",
                ++seq,
                message.room(),
                seq,
                Instant.now(),
                null));
      }
      return outcomes;
    }
  }

  private static MessageBatches batches(FakeStore store) {
    return MessageBatches.of(store, Validation.buildDefaultValidatorFactory().getValidator());
  }

  private static NewMessage message(String id, String body) {
    return NewMessage.message("sender", 1L, id, body);
  }

  @Test
  void aMessageTheDatabaseRefusesFailsAloneTheOthersAreStored() throws Refused {
    FakeStore store = new FakeStore("22021");
    List<StoreOutcome> outcomes =
        batches(store)
            .store(
                new StoreBatch(
                    List.of(
                        message("a", "fine"), message("b", "poison"), message("c", "fine too"))))
            .outcomes();
    assertEquals(List.of(201, 422, 201), outcomes.stream().map(StoreOutcome::status).toList());
    assertEquals("invalid_message", outcomes.get(1).code());
    assertEquals(List.of(3, 1, 1, 1), store.batchSizes, "the batch, then one at a time");
  }

  @Test
  void aDatabaseThatFailsItselfFailsTheBatchSoThatChatservRetries() throws Refused {
    FakeStore store = new FakeStore("08006"); // connection failure
    MessageBatches cut = batches(store);
    StoreBatch batch = new StoreBatch(List.of(message("a", "fine"), message("b", "poison")));
    assertThrows(IllegalStateException.class, () -> cut.store(batch));
  }

  @Test
  void aMessageAgainstTheContractNeverReachesTheDatabase() throws Refused {
    FakeStore store = new FakeStore("22021");
    List<StoreOutcome> outcomes =
        batches(store)
            .store(new StoreBatch(List.of(message("a", "nul \u0000"), message("b", "fine"))))
            .outcomes();
    assertEquals(List.of(422, 201), outcomes.stream().map(StoreOutcome::status).toList());
    assertEquals("invalid_body", outcomes.get(0).code());
    assertEquals(List.of(1), store.batchSizes);
  }

  @Test
  void anEntryNotShapedLikeItsKindIsRefusedAloneWithItsOwnCode() throws Refused {
    FakeStore store = new FakeStore("22021");
    List<NewMessage> entries =
        List.of(
            new NewMessage("s", 1L, "r1", "react", null, 7L, null, "not an emoji"),
            new NewMessage("s", 1L, "r2", "react", null, 7L, null, "\ud83d\udc4d"),
            new NewMessage("s", 1L, "r3", "delete", "a body", 7L, null, null),
            new NewMessage("s", 1L, "r4", "edit", null, 7L, null, null),
            new NewMessage("s", 1L, "r5", "message", "reply", null, 7L, null),
            new NewMessage("s", 1L, "r6", "unreact", null, null, null, ":wave:"),
            new NewMessage("s", 1L, "r7", "shout", "x", null, null, null));
    List<StoreOutcome> outcomes = batches(store).store(new StoreBatch(entries)).outcomes();
    assertEquals(
        List.of(
            "422 invalid_emoji",
            "201 stored",
            "422 invalid_message",
            "422 invalid_body",
            "201 stored",
            "422 invalid_message",
            "422 invalid_message"),
        outcomes.stream().map(outcome -> outcome.status() + " " + outcome.code()).toList());
    assertEquals(List.of(2), store.batchSizes, "only the well-shaped reach the store");
  }

  @Test
  void aBatchWithoutOneTo500MessagesIsRefusedWholeAndNothingIsStored() throws Refused {
    FakeStore store = new FakeStore("22021");
    MessageBatches cut = batches(store);
    List<StoreBatch> refused =
        List.of(
            new StoreBatch(List.of()),
            new StoreBatch(null),
            new StoreBatch(Collections.nCopies(501, message("a", "fine"))),
            new StoreBatch(Arrays.asList(message("a", "fine"), null)));
    for (StoreBatch batch : refused) {
      Refused refusal = assertThrows(Refused.class, () -> cut.store(batch));
      assertEquals(400, refusal.status());
      assertEquals("invalid_request", refusal.code());
    }
    assertEquals(400, assertThrows(Refused.class, () -> cut.store(null)).status());
    assertEquals(List.of(), store.batchSizes);
    assertEquals(
        500,
        cut.store(new StoreBatch(Collections.nCopies(500, message("a", "fine"))))
            .outcomes()
            .size());
  }
}
