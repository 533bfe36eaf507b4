package teamchat.contract.messages;

import jakarta.json.bind.annotation.JsonbProperty;
import java.time.Instant;

/**
 * What became of one entry of a batch. {@code status} reads like HTTP: 201 stored now, 200 stored
 * before (a resend: the original id, seq and time come back); a refusal otherwise, with {@code
 * code} naming it: 403 {@code not_a_member} (the sender is not a member of the room), {@code
 * room_archived} (the room is archived: it takes no new entries), {@code not_the_author} (an edit
 * of someone else's message) or {@code not_allowed} (a delete by someone who is neither the author
 * nor an owner of the room); 404 {@code no_such_message} (the target or parent is not a message of
 * this room) or {@code file_unavailable} (a file of the message is not a pending file its sender
 * uploaded to the room); 409 {@code client_msg_id_reused} (the sender used this client id for a
 * different entry); 410 {@code message_deleted} (an edit, reaction or reply to a deleted message);
 * 422 {@code not_a_thread_root} (a reply to a reply: threads are one level deep) or {@code
 * too_many_reactions} (a 21st different emoji on one message).
 *
 * @param entry the entry as stored (with its html and mentions) when {@link #durable()}, else null
 */
public record StoreOutcome(
    @JsonbProperty("client_msg_id") String clientMsgId,
    String sender,
    int status,
    String code,
    Long id,
    Long room,
    Long seq,
    Instant time,
    StoredMessage entry) {

  public static final int STORED = 201;
  public static final int ALREADY_STORED = 200;
  public static final int NOT_ALLOWED = 403;
  public static final int NOT_FOUND = 404;
  public static final int CLIENT_ID_CONFLICT = 409;
  public static final int GONE = 410;
  public static final int UNPROCESSABLE = 422;

  /** Whether the entry is in the database now (stored by this call or before). */
  public boolean durable() {
    return status == STORED || status == ALREADY_STORED;
  }

  /** A refusal of {@code entry} in its room: nothing was stored. */
  public static StoreOutcome refused(NewMessage entry, int status, String code) {
    return new StoreOutcome(
        entry.clientMsgId(), entry.sender(), status, code, null, entry.room(), null, null, null);
  }
}
