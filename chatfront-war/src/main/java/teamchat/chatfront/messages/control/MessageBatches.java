package teamchat.chatfront.messages.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoreResult;
import teamchat.contract.problems.Refused;
import teamchat.database.control.SqlStates;

/**
 * chatserv's batches, stored: each message checked alone against the contract's rules ({@code
 * NewMessage}: well-formed text without control characters, 1 to 4,000 code points, NFC), so that a
 * bad one is refused alone ({@link StoreRefusals}) and the others are stored. Should the database
 * still refuse one (a rule it has and the contract not), the batch is stored again one message at a
 * time, so that again only that one fails.
 */
@ApplicationScoped
public class MessageBatches {

  /** Concurrent batches rarely collide on a client id; one more try then finds the original. */
  private static final int ATTEMPTS = 3;

  @Inject MessageStore store;
  @Inject Validator validator;

  /** Without CDI, for unit tests. */
  public static MessageBatches of(MessageStore store, Validator validator) {
    MessageBatches batches = new MessageBatches();
    batches.store = store;
    batches.validator = validator;
    return batches;
  }

  /**
   * One outcome per message of {@code batch}, in its order.
   *
   * @throws Refused 400 {@code invalid_request} for no batch, no message, more than {@value
   *     StoreBatch#MAX_MESSAGES}, or a message that is {@code null}
   * @throws RuntimeException when the database fails: nothing is known of the batch, and chatserv
   *     sends it again
   */
  public StoreResult store(StoreBatch batch) throws Refused {
    List<NewMessage> messages = batch == null ? null : batch.messages();
    if (messages == null
        || messages.isEmpty()
        || messages.size() > StoreBatch.MAX_MESSAGES
        || messages.stream().anyMatch(Objects::isNull)) {
      throw new Refused(
          Response.Status.BAD_REQUEST,
          "invalid_request",
          "messages: 1 to " + StoreBatch.MAX_MESSAGES + " messages.");
    }
    StoreOutcome[] outcomes = new StoreOutcome[messages.size()];
    List<Integer> places = new ArrayList<>();
    List<NewMessage> acceptable = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      NewMessage message = StoreRefusals.normalized(messages.get(i));
      Optional<StoreOutcome> refused = StoreRefusals.check(validator, message);
      if (refused.isPresent()) {
        outcomes[i] = refused.get();
      } else {
        places.add(i);
        acceptable.add(message);
      }
    }
    if (!acceptable.isEmpty()) {
      List<StoreOutcome> stored = storeAll(acceptable);
      for (int j = 0; j < places.size(); j++) {
        outcomes[places.get(j)] = stored.get(j);
      }
    }
    return new StoreResult(List.of(outcomes));
  }

  private List<StoreOutcome> storeAll(List<NewMessage> messages) {
    try {
      return storeRetrying(messages);
    } catch (SQLException | RuntimeException e) {
      if (messages.size() == 1 || !SqlStates.isRefusedData(e)) {
        throw failed(e);
      }
      // One message the database refuses must not fail the others: one at a time, each alone.
      List<StoreOutcome> outcomes = new ArrayList<>(messages.size());
      for (NewMessage message : messages) {
        outcomes.add(storeOne(message));
      }
      return outcomes;
    }
  }

  private StoreOutcome storeOne(NewMessage message) {
    try {
      return storeRetrying(List.of(message)).get(0);
    } catch (SQLException | RuntimeException e) {
      if (!SqlStates.isRefusedData(e)) {
        throw failed(e);
      }
      return StoreRefusals.refusedByDatabase(message);
    }
  }

  /** Each attempt is a transaction of its own: {@code store} is a transactional bean. */
  private List<StoreOutcome> storeRetrying(List<NewMessage> messages) throws SQLException {
    return SqlStates.retryingUniqueViolations(ATTEMPTS, () -> store.store(messages));
  }

  private static RuntimeException failed(Exception e) {
    return e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
  }
}
