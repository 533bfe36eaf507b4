package teamchat.chatfront.rooms.control;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTypeAdapter;
import teamchat.chatfront.rooms.entity.Role;
import teamchat.chatfront.rooms.entity.Visibility;

/**
 * A room in someone's list. {@code title} is the room's name, or for a direct conversation the
 * other person's display name; {@code unread} counts the messages of others after their read marker
 * (not deleted; changes are not counted), {@code mentionCount} those among them that mention them
 * (by name, or the whole room). {@code lastSeq} is the room's newest seq and {@code readSeq} their
 * read marker: the chat screen follows every room of its sidebar from {@code lastSeq} on, and marks
 * the first unread message after {@code readSeq}. {@code muted}: the person muted the room (no
 * notifications; the page shows its counts greyed). {@code archived}: the room is archived (its
 * history readable, no new entries).
 */
public record RoomSummary(
    long id,
    String title,
    String topic,
    @JsonbTypeAdapter(Visibility.Json.class) Visibility visibility,
    @JsonbTypeAdapter(Role.Json.class) Role role,
    long unread,
    @JsonbProperty("mention_count") long mentionCount,
    @JsonbProperty("last_seq") long lastSeq,
    @JsonbProperty("read_seq") long readSeq,
    boolean muted,
    boolean archived) {

  public boolean direct() {
    return visibility == Visibility.DIRECT;
  }
}
