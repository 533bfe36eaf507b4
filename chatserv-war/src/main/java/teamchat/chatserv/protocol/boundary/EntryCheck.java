package teamchat.chatserv.protocol.boundary;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import teamchat.chatserv.protocol.entity.ClientFrame;
import teamchat.chatserv.protocol.entity.ServerFrame;
import teamchat.contract.messages.AttachedFile;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.Reactions;
import teamchat.contract.text.PlainText;

/**
 * The door of the frames that add an entry to a room ({@code send}, {@code edit}, {@code delete},
 * {@code react}): the frame becomes the {@link NewMessage} chatfront would store, checked here
 * against the rules chatfront applies too, alone, so that an entry that cannot be stored or sent is
 * refused before it reaches a batch of other people's entries or another socket's writer. Each
 * broken rule has its documented code (docs/protocol.md, "Errors"): {@code invalid_frame} for what
 * names the entry (room, client id, target, parent, files, {@code on}), {@code invalid_emoji},
 * {@code invalid_body}, in that order.
 */
public final class EntryCheck {

  private EntryCheck() {}

  /** What the door makes of a frame: an entry to store, or the error frame that answers it. */
  public sealed interface Verdict {}

  public record Admitted(NewMessage entry) implements Verdict {}

  public record Refused(ServerFrame.Error error) implements Verdict {}

  /** Checks the entry {@code frame} asks for on behalf of {@code sender}. */
  public static Verdict check(ClientFrame.EntryRequest frame, String sender, Validator validator) {
    NewMessage entry = frame.entry(sender);
    Set<ConstraintViolation<NewMessage>> violations = validator.validate(entry);
    if (violations.isEmpty() && !(frame instanceof ClientFrame.React react && react.on() == null)) {
      return new Admitted(entry);
    }
    // A client id that broke the rules is never echoed: it may not even be well-formed Unicode.
    String clientMsgId = refuses(violations, "clientMsgId") ? null : frame.clientMsgId();
    boolean change = !EntryKind.MESSAGE.equals(entry.kind());
    if (clientMsgId == null
        || refuses(violations, "room")
        || refuses(violations, "target")
        || refuses(violations, "parent")
        || refusesFiles(violations)
        || (change && entry.target() == null)
        || (frame instanceof ClientFrame.React react && react.on() == null)) {
      return refused("invalid_frame", needs(frame), clientMsgId, frame.room());
    }
    if (frame instanceof ClientFrame.React && !Reactions.isEmoji(entry.emoji())) {
      return refused(
          "invalid_emoji",
          "A reaction is one emoji or a :shortcode:, at most "
              + Reactions.MAX_EMOJI_CHARS
              + " characters.",
          clientMsgId,
          frame.room());
    }
    if (refuses(violations, "body") || refuses(violations, "bodyGivenWhereNeeded")) {
      // The body broke @Text's rules; PlainText names which one, for the person.
      String problem =
          PlainText.check(entry.body(), 1, NewMessage.MAX_BODY_CHARACTERS, true)
              .map(PlainText.Problem::code)
              .orElse("empty");
      return refused(
          "invalid_body",
          "A message has 1 to "
              + NewMessage.MAX_BODY_CHARACTERS
              + " characters of well-formed text, no control characters but newline and tab ("
              + problem
              + ").",
          clientMsgId,
          frame.room());
    }
    // Nothing the frame can carry is left to break a rule; should one appear, the frame is refused.
    return refused("invalid_frame", needs(frame), clientMsgId, frame.room());
  }

  /** The files list, one of its elements, or where they are allowed. */
  private static boolean refusesFiles(Set<? extends ConstraintViolation<?>> violations) {
    return violations.stream()
        .map(violation -> violation.getPropertyPath().toString())
        .anyMatch(path -> path.startsWith("files") || path.equals("filesWhereAllowed"));
  }

  private static String needs(ClientFrame.EntryRequest frame) {
    if (frame instanceof ClientFrame.Send) {
      return "send needs room and client_msg_id; parent, if given, is a message id; files, if"
          + " given, at most "
          + AttachedFile.MAX_PER_MESSAGE
          + " different file ids.";
    }
    if (frame instanceof ClientFrame.Edit) {
      return "edit needs room, client_msg_id and target.";
    }
    if (frame instanceof ClientFrame.Delete) {
      return "delete needs room, client_msg_id and target.";
    }
    return "react needs room, client_msg_id, target, emoji and on (true or false).";
  }

  private static Refused refused(String code, String message, String clientMsgId, Long room) {
    return new Refused(ServerFrame.Error.of(code, message, false, clientMsgId, room));
  }

  private static boolean refuses(Set<? extends ConstraintViolation<?>> violations, String field) {
    return violations.stream()
        .anyMatch(violation -> violation.getPropertyPath().toString().equals(field));
  }
}
