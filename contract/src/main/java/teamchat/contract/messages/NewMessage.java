package teamchat.contract.messages;

import jakarta.json.bind.annotation.JsonbCreator;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTransient;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.HashSet;
import java.util.List;
import teamchat.contract.text.Text;

/**
 * An entry chatserv asks chatfront to add to a room's seq stream, on behalf of the user who sent it
 * over the socket: a message, or a change to one (edit, delete, reaction). Every entry gets its own
 * seq, so a client that resumes after seq N learns every change since N exactly once and in order.
 *
 * @param sender the sender's subject (the {@code sub} of the token chatserv verified)
 * @param room the room's id
 * @param clientMsgId the sender's own id for the entry: resending it never stores it twice
 * @param kind what the entry is ({@link EntryKind}); null is read as {@code message}
 * @param body the text of a message or an edit (null for the other kinds): well-formed, NFC, no
 *     control character but newline and tab, 1 to {@value #MAX_BODY_CHARACTERS} code points ({@link
 *     teamchat.contract.text.PlainText}); stored as typed, Markdown rendered by chatfront
 * @param target the id of the message an edit, delete, react or unreact applies to (null for a
 *     message)
 * @param parent for a message: the id of the message of the same room it replies to in a thread
 *     (null for a message of the room itself); threads are one level deep
 * @param emoji for react and unreact: {@link Reactions#isEmoji one emoji or a :shortcode:}
 * @param files for a message: the ids of files its sender uploaded to the room beforehand, to be
 *     attached to it (at most {@value AttachedFile#MAX_PER_MESSAGE}, no id twice); null or empty
 *     for none. A message with files may have no body (null).
 * @param webhook for a message posted through an incoming webhook: the name it is shown under,
 *     marked "via webhook" (1 to {@value #MAX_WEBHOOK_NAME_CHARACTERS} characters, one line); null
 *     otherwise. Set by chatfront only: chatserv's entries never carry one.
 */
public record NewMessage(
    @NotBlank @Size(max = 64) String sender,
    @NotNull @Positive Long room,
    @JsonbProperty("client_msg_id") @NotNull @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}")
        String clientMsgId,
    @Pattern(regexp = EntryKind.PATTERN) String kind,
    @Text(max = NewMessage.MAX_BODY_CHARACTERS, multiline = true) String body,
    @Positive Long target,
    @Positive Long parent,
    @Size(max = Reactions.MAX_EMOJI_CHARS) String emoji,
    @Size(max = AttachedFile.MAX_PER_MESSAGE)
        List<@NotNull @Pattern(regexp = AttachedFile.ID_PATTERN) String> files,
    @Size(min = 1, max = NewMessage.MAX_WEBHOOK_NAME_CHARACTERS)
        @Text(max = NewMessage.MAX_WEBHOOK_NAME_CHARACTERS)
        String webhook) {

  /**
   * The canonical constructor, named for JSON-B: a record with more than one constructor needs its
   * creator marked (the others keep the callers from before files and webhooks compiling).
   */
  @JsonbCreator
  public NewMessage {}

  /** An entry not posted through a webhook. */
  public NewMessage(
      String sender,
      Long room,
      String clientMsgId,
      String kind,
      String body,
      Long target,
      Long parent,
      String emoji,
      List<String> files) {
    this(sender, room, clientMsgId, kind, body, target, parent, emoji, files, null);
  }

  /** An entry without files (every kind but a message with attachments). */
  public NewMessage(
      String sender,
      Long room,
      String clientMsgId,
      String kind,
      String body,
      Long target,
      Long parent,
      String emoji) {
    this(sender, room, clientMsgId, kind, body, target, parent, emoji, null);
  }

  /** Code points, as people count characters. */
  public static final int MAX_BODY_CHARACTERS = 4000;

  /** The longest name a webhook's message is shown under. */
  public static final int MAX_WEBHOOK_NAME_CHARACTERS = 64;

  /** This entry, shown under {@code name} and marked "via webhook" (a message only). */
  public NewMessage postedThroughWebhook(String name) {
    return new NewMessage(
        sender, room, clientMsgId, kind, body, target, parent, emoji, files, name);
  }

  /** This entry without a webhook's name. */
  public NewMessage withoutWebhook() {
    return webhook == null ? this : postedThroughWebhook(null);
  }

  /** A plain message of the room (the only kind before edits, deletes and reactions existed). */
  public static NewMessage message(String sender, Long room, String clientMsgId, String body) {
    return new NewMessage(sender, room, clientMsgId, EntryKind.MESSAGE, body, null, null, null);
  }

  /** The kind, with the default of a sender that names none. */
  public String kindOrMessage() {
    return kind == null ? EntryKind.MESSAGE : kind;
  }

  /** Whether the entry attaches files (a message only). */
  @JsonbTransient
  public boolean hasFiles() {
    return files != null && !files.isEmpty();
  }

  /** Whether a message or an edit has its body (a message with files needs none). */
  @JsonbTransient
  @AssertTrue(message = "a message or an edit needs a body")
  public boolean isBodyGivenWhereNeeded() {
    String k = kindOrMessage();
    return body != null
        || (k.equals(EntryKind.MESSAGE) && hasFiles())
        || !(k.equals(EntryKind.MESSAGE) || k.equals(EntryKind.EDIT));
  }

  /** Whether only a message attaches files, and none twice. */
  @JsonbTransient
  @AssertTrue(message = "only a message attaches files, each once")
  public boolean isFilesWhereAllowed() {
    if (!hasFiles()) {
      return true;
    }
    return kindOrMessage().equals(EntryKind.MESSAGE) && new HashSet<>(files).size() == files.size();
  }

  /**
   * Whether the fields present are those of the kind: a body for a message or an edit and for
   * nothing else, a target for every change, a parent only for a message, an emoji only and always
   * for a reaction.
   */
  @JsonbTransient
  @AssertTrue(message = "the fields do not fit the kind")
  public boolean isShapedLikeItsKind() {
    String k = kindOrMessage();
    boolean hasBody = body != null;
    boolean hasTarget = target != null;
    boolean hasEmoji = emoji != null;
    return switch (k) {
      // A missing body is isBodyGivenWhereNeeded's to name.
      case EntryKind.MESSAGE -> !hasTarget && !hasEmoji;
      case EntryKind.EDIT -> hasTarget && parent == null && !hasEmoji && webhook == null;
      case EntryKind.DELETE ->
          !hasBody && hasTarget && parent == null && !hasEmoji && webhook == null;
      case EntryKind.REACT, EntryKind.UNREACT ->
          !hasBody
              && hasTarget
              && parent == null
              && hasEmoji
              && Reactions.isEmoji(emoji)
              && webhook == null;
      default -> false;
    };
  }
}
