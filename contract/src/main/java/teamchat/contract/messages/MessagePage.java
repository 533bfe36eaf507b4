package teamchat.contract.messages;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * Consecutive messages of a room in seq order, and the room's last seq when read, so a client knows
 * whether there is more.
 */
public record MessagePage(
    long room, List<StoredMessage> messages, @JsonbProperty("last_seq") long lastSeq) {

  public static final int MAX_LIMIT = 200;
}
