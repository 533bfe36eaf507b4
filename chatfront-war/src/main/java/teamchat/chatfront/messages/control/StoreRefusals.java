package teamchat.chatfront.messages.control;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.Reactions;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.text.PlainText;

/**
 * The answer for a message of a batch that cannot be stored because of what it is: refused alone,
 * with status {@value #INVALID} and a code that says which part is wrong. It is never durable, so
 * chatserv tells its sender "not stored" with {@code retry: false}: sending it again cannot help.
 */
public final class StoreRefusals {

  /** Status of a refused message (reads like HTTP's Unprocessable Content). */
  public static final int INVALID = 422;

  private StoreRefusals() {}

  /** The message with its body in NFC, the one form text is stored and compared in. */
  public static NewMessage normalized(NewMessage message) {
    String body = PlainText.normalize(message.body());
    return body == message.body()
        ? message
        : new NewMessage(
            message.sender(),
            message.room(),
            message.clientMsgId(),
            message.kind(),
            body,
            message.target(),
            message.parent(),
            message.emoji());
  }

  /** The refusal of a message that breaks a rule of the contract, or empty when it keeps them. */
  public static Optional<StoreOutcome> check(Validator validator, NewMessage message) {
    Set<ConstraintViolation<NewMessage>> violations = validator.validate(message);
    if (!violations.isEmpty() && message.emoji() != null && !Reactions.isEmoji(message.emoji())) {
      return Optional.of(refused(message, "invalid_emoji"));
    }
    return violations.stream()
        .map(violation -> violation.getPropertyPath().toString())
        .min(Comparator.naturalOrder())
        .map(field -> refused(message, codeFor(field)));
  }

  /** The database refused this message although the contract's rules let it through. */
  public static StoreOutcome refusedByDatabase(NewMessage message) {
    return refused(message, "invalid_message");
  }

  private static String codeFor(String field) {
    return switch (field) {
      case "body", "bodyGivenWhereNeeded" -> "invalid_body";
      case "emoji" -> "invalid_emoji";
      case "clientMsgId" -> "invalid_client_msg_id";
      case "room" -> "invalid_room";
      case "sender" -> "invalid_sender";
      default -> "invalid_message";
    };
  }

  private static StoreOutcome refused(NewMessage message, String code) {
    return new StoreOutcome(
        echoable(message.clientMsgId()),
        echoable(message.sender()),
        INVALID,
        code,
        null,
        message.room(),
        null,
        null,
        null);
  }

  /** What was sent, if it can be written back as JSON (a lone surrogate cannot be encoded). */
  private static String echoable(String text) {
    return text != null && PlainText.isAcceptable(text, 0, 256, false) ? text : null;
  }
}
