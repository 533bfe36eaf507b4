package teamchat.chatfront.messages.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.validation.Validation;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import teamchat.chatfront.messages.control.MessageStore;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreOutcome;

/**
 * A batch with a message the database refuses (although the contract's rules let it through): only
 * that message fails; a database that fails altogether still fails the batch (retry).
 */
class MessagesResourceTest {

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
      if (batch.stream().anyMatch(message -> message.body().contains("poison"))) {
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

  private static MessagesResource resource(FakeStore store) {
    MessagesResource cut = new MessagesResource();
    cut.store = store;
    cut.validator = Validation.buildDefaultValidatorFactory().getValidator();
    return cut;
  }

  private static NewMessage message(String id, String body) {
    return NewMessage.message("sender", 1L, id, body);
  }

  @Test
  void aMessageTheDatabaseRefusesFailsAloneTheOthersAreStored() {
    FakeStore store = new FakeStore("22021");
    List<StoreOutcome> outcomes =
        resource(store)
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
  void aDatabaseThatFailsItselfFailsTheBatchSoThatChatservRetries() {
    FakeStore store = new FakeStore("08006"); // connection failure
    MessagesResource cut = resource(store);
    StoreBatch batch = new StoreBatch(List.of(message("a", "fine"), message("b", "poison")));
    assertThrows(IllegalStateException.class, () -> cut.store(batch));
  }

  @Test
  void aMessageAgainstTheContractNeverReachesTheDatabase() {
    FakeStore store = new FakeStore("22021");
    List<StoreOutcome> outcomes =
        resource(store)
            .store(new StoreBatch(List.of(message("a", "nul \u0000"), message("b", "fine"))))
            .outcomes();
    assertEquals(List.of(422, 201), outcomes.stream().map(StoreOutcome::status).toList());
    assertEquals("invalid_body", outcomes.get(0).code());
    assertEquals(List.of(1), store.batchSizes);
  }
}
