package teamchat.chatfront.messages.control;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * A thread as the web app shows it: the message it hangs on (perhaps a tombstone) and its replies
 * in seq order, all as of the room's {@code last_seq} when read (the page follows the thread live
 * after it: every reply is an entry of the room's stream).
 */
public record ShownThread(
    ShownMessage parent, List<ShownMessage> replies, @JsonbProperty("last_seq") long lastSeq) {}
