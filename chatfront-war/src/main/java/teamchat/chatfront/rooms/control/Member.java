package teamchat.chatfront.rooms.control;

/** Someone in a room, as the room page lists them. */
public record Member(String subject, String username, String name, String role) {}
