package teamchat.contract.messages;

import jakarta.json.bind.annotation.JsonbProperty;
import java.time.Instant;
import java.util.List;

/**
 * What became of a message since it was sent, as of the read: edited, deleted (a tombstone keeps
 * its seq and its thread), its reactions, and its thread.
 *
 * @param editedAt when it was last edited; null if never
 * @param deleted whether only its tombstone is left (its body and html are then null)
 * @param reactions each emoji with the subjects who reacted with it, in the order first used
 * @param replyCount how many replies its thread has (deleted replies included as tombstones)
 * @param repliers the subjects of the latest distinct repliers, latest first, at most three
 */
public record MessageState(
    @JsonbProperty("edited_at") Instant editedAt,
    boolean deleted,
    List<Reaction> reactions,
    @JsonbProperty("reply_count") int replyCount,
    List<String> repliers) {

  /** One emoji on a message and who reacted with it. */
  public record Reaction(String emoji, List<String> users) {}
}
