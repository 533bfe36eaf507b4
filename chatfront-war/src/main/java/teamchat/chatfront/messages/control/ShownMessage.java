package teamchat.chatfront.messages.control;

import jakarta.json.bind.annotation.JsonbProperty;
import java.time.Instant;
import java.util.List;
import teamchat.contract.messages.AttachedFile;
import teamchat.contract.messages.MessageState;

/**
 * A message as the web app shows it, in its current state: its sender's display name, its text and
 * html (both null once deleted: a tombstone), when it was last edited, its reactions, and its
 * thread (reply count, latest repliers).
 *
 * <p>The state is as of seq {@code stateSeq} of the room (the read's last seq): it is the effect of
 * every entry up to that seq. The page skips a change or reply of this message that reaches it with
 * a seq not greater (already in the state), as for chatserv's replayed messages, so no reply is
 * counted twice.
 *
 * @param parent the message it replies to (a message of a thread), null for one of the room
 * @param mentions the subjects of the members it mentions
 * @param files the files attached to it, in their order; null (absent in JSON) when none
 */
public record ShownMessage(
    long id,
    long seq,
    String sender,
    @JsonbProperty("sender_name") String senderName,
    String body,
    String html,
    Instant time,
    Long parent,
    @JsonbProperty("edited_at") Instant editedAt,
    boolean deleted,
    List<MessageState.Reaction> reactions,
    @JsonbProperty("reply_count") int replyCount,
    List<String> repliers,
    @JsonbProperty("state_seq") long stateSeq,
    List<String> mentions,
    @JsonbProperty("mentions_room") boolean mentionsRoom,
    List<AttachedFile> files) {

  /** Whether it was edited (the page marks it). */
  public boolean edited() {
    return editedAt != null;
  }
}
