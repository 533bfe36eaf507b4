package teamchat.contract.messages;

/**
 * Someone became a member of a room, or stopped being one: at an end, chatserv must stop delivering
 * the room to them, relaying their typing there and listing them as present, on every instance, at
 * once; either way it tells the person's open pages, whose sidebars read their rooms again.
 *
 * @param id the change's place in chatfront's feed (increasing; resume after the last one seen)
 * @param room the room
 * @param user the subject of the person who joined or is no longer a member
 * @param kind {@link #JOINED}, {@link #LEFT}, {@link #REMOVED} or {@link #ROOM_DELETED}
 */
public record MembershipChange(long id, long room, String user, String kind) {

  public static final String JOINED = "joined";
  public static final String LEFT = "left";
  public static final String REMOVED = "removed";
  public static final String ROOM_DELETED = "room_deleted";
}
