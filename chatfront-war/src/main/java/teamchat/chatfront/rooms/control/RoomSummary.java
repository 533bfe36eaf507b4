package teamchat.chatfront.rooms.control;

import teamchat.chatfront.rooms.entity.Role;
import teamchat.chatfront.rooms.entity.Visibility;

/**
 * A room in someone's list. {@code title} is the room's name, or for a direct conversation the
 * other person's display name; {@code unread} counts the messages after their read marker.
 */
public record RoomSummary(
    long id, String title, String topic, Visibility visibility, Role role, long unread) {

  public boolean direct() {
    return visibility == Visibility.DIRECT;
  }
}
