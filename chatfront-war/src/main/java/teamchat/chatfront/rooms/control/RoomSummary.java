package teamchat.chatfront.rooms.control;

/**
 * A room in someone's list. {@code title} is the room's name, or for a direct conversation the
 * other person's display name; {@code unread} counts the messages after their read marker.
 */
public record RoomSummary(
    long id, String title, String topic, String visibility, String role, long unread) {

  public boolean direct() {
    return "direct".equals(visibility);
  }
}
