package teamchat.contract.messages;

import jakarta.json.bind.annotation.JsonbCreator;
import jakarta.json.bind.annotation.JsonbProperty;
import java.time.Instant;
import java.util.List;

/**
 * An entry of a room's seq stream as stored: a message, or a change to one ({@link EntryKind}). Its
 * place in the room is {@code seq}, gap-free from 1.
 *
 * <p>A change is idempotent for whoever applies it (an edit replaces the body, a delete leaves a
 * tombstone, a reaction adds or takes away one person's emoji from a set), so a client that holds a
 * message in its current state and then replays the changes after it ends up in the same state.
 *
 * @param kind {@link EntryKind}
 * @param body the text as typed (a message or an edit); null once the message is deleted
 * @param html the body rendered by chatfront's one Markdown renderer: safe to insert (every tag and
 *     attribute it makes is on a fixed list, text is escaped, links are http, https or mailto
 *     only); null when body is null
 * @param target for a change: the id of the message it applies to
 * @param parent for a message in a thread: the id of the message it replies to
 * @param emoji for a reaction: the emoji or :shortcode:
 * @param mentions the subjects of the room's members that the message mentions ({@code @name})
 * @param mentionsRoom whether the message mentions the whole room ({@code @room}, owners only)
 * @param state for a message read back from chatfront: what became of it since (null on a live
 *     message and on changes)
 * @param files for a message: the files attached to it, in the order sent (empty when none, and
 *     once the message is deleted: deleting a message deletes its files)
 * @param webhook for a message posted through an incoming webhook: the name it is shown under,
 *     marked "via webhook" (its sender is the person who made the webhook); null otherwise
 */
public record StoredMessage(
    long id,
    long room,
    long seq,
    String sender,
    @JsonbProperty("client_msg_id") String clientMsgId,
    String kind,
    String body,
    String html,
    Instant time,
    Long target,
    Long parent,
    String emoji,
    List<String> mentions,
    @JsonbProperty("mentions_room") boolean mentionsRoom,
    MessageState state,
    List<AttachedFile> files,
    String webhook) {

  /**
   * The canonical constructor, named for JSON-B: a record with more than one constructor needs its
   * creator marked (the others keep the callers from before files and webhooks compiling).
   */
  @JsonbCreator
  public StoredMessage {}

  /** An entry not posted through a webhook. */
  public StoredMessage(
      long id,
      long room,
      long seq,
      String sender,
      String clientMsgId,
      String kind,
      String body,
      String html,
      Instant time,
      Long target,
      Long parent,
      String emoji,
      List<String> mentions,
      boolean mentionsRoom,
      MessageState state,
      List<AttachedFile> files) {
    this(
        id,
        room,
        seq,
        sender,
        clientMsgId,
        kind,
        body,
        html,
        time,
        target,
        parent,
        emoji,
        mentions,
        mentionsRoom,
        state,
        files,
        null);
  }

  /** An entry without files (as before files existed). */
  public StoredMessage(
      long id,
      long room,
      long seq,
      String sender,
      String clientMsgId,
      String kind,
      String body,
      String html,
      Instant time,
      Long target,
      Long parent,
      String emoji,
      List<String> mentions,
      boolean mentionsRoom,
      MessageState state) {
    this(
        id,
        room,
        seq,
        sender,
        clientMsgId,
        kind,
        body,
        html,
        time,
        target,
        parent,
        emoji,
        mentions,
        mentionsRoom,
        state,
        List.of());
  }

  /**
   * A plain message of the room, as a live frame carries it right after it was stored: no thread,
   * no mention, nothing happened to it yet.
   */
  public static StoredMessage message(
      long id,
      long room,
      long seq,
      String sender,
      String clientMsgId,
      String body,
      String html,
      Instant time) {
    return new StoredMessage(
        id,
        room,
        seq,
        sender,
        clientMsgId,
        EntryKind.MESSAGE,
        body,
        html,
        time,
        null,
        null,
        null,
        List.of(),
        false,
        null);
  }
}
