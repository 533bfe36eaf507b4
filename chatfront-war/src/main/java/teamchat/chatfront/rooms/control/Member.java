package teamchat.chatfront.rooms.control;

import jakarta.json.bind.annotation.JsonbTypeAdapter;
import teamchat.chatfront.rooms.entity.Role;

/** Someone in a room, as the room page lists them; {@code bot} for a bot account (marked "BOT"). */
public record Member(
    String subject,
    String username,
    String name,
    @JsonbTypeAdapter(Role.Json.class) Role role,
    boolean bot) {

  /** Whether they own the room (the page marks owners). */
  public boolean owner() {
    return role == Role.OWNER;
  }
}
