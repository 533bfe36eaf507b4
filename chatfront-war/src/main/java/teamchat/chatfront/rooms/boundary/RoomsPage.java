package teamchat.chatfront.rooms.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Arrays;
import java.util.List;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.rooms.control.RoomSummary;
import teamchat.chatfront.rooms.control.Rooms;
import teamchat.chatfront.rooms.entity.Room;
import teamchat.chatfront.web.Pages;
import teamchat.contract.problems.Refused;

/** The rooms page: my rooms with unread counts, public rooms to join, a new room, a direct chat. */
@Named
@RequestScoped
public class RoomsPage {

  /** The longest list of usernames read: seven of the longest usernames (32) and separators. */
  private static final int MAX_DIRECT_TO = 300;

  @Inject SignedInUser user;
  @Inject Rooms rooms;

  private List<RoomSummary> myRooms;
  private List<Room> publicRooms;
  private String newName;
  private String newTopic;
  private boolean newPublic = true;
  private String directTo;

  public List<RoomSummary> getMyRooms() {
    if (myRooms == null) {
      myRooms = rooms.roomsOf(user.subject());
    }
    return myRooms;
  }

  /**
   * The first direct conversation of {@link #getMyRooms()} (they come after the rooms), where the
   * chat screen's sidebar starts its "Direct messages" section; null when there is none.
   */
  public Long getFirstDirectId() {
    return getMyRooms().stream()
        .filter(RoomSummary::direct)
        .map(RoomSummary::id)
        .findFirst()
        .orElse(null);
  }

  public List<Room> getPublicRooms() {
    if (publicRooms == null) {
      publicRooms = rooms.publicRoomsToJoin(user.subject());
    }
    return publicRooms;
  }

  public String create() {
    try {
      Room room = rooms.create(user.subject(), newName, newTopic, newPublic);
      return Pages.redirect("room?id=" + room.id());
    } catch (Refused refused) {
      Pages.error("create:name", refused.getMessage());
      return null;
    }
  }

  public String join(long roomId) {
    try {
      rooms.join(user.subject(), roomId);
      return Pages.redirect("room?id=" + roomId);
    } catch (Refused refused) {
      Pages.error(null, refused.getMessage());
      return null;
    }
  }

  /**
   * Starts (or opens) the conversation with the people named, by username, separated by commas or
   * spaces: the form the chat screen's dialog stands in for, which works without a script.
   */
  public String startDirect() {
    if (directTo != null && directTo.length() > MAX_DIRECT_TO) {
      Pages.error("direct:username", "That is more names than a conversation can have.");
      return null;
    }
    List<String> usernames =
        directTo == null
            ? List.of()
            : Arrays.stream(directTo.split("[,\\s]+")).filter(name -> !name.isEmpty()).toList();
    try {
      return Pages.redirect("room?id=" + rooms.conversation(user.subject(), usernames));
    } catch (Refused refused) {
      Pages.error("direct:username", refused.getMessage());
      return null;
    }
  }

  public String getNewName() {
    return newName;
  }

  public void setNewName(String newName) {
    this.newName = newName;
  }

  public String getNewTopic() {
    return newTopic;
  }

  public void setNewTopic(String newTopic) {
    this.newTopic = newTopic;
  }

  public boolean isNewPublic() {
    return newPublic;
  }

  public void setNewPublic(boolean newPublic) {
    this.newPublic = newPublic;
  }

  public String getDirectTo() {
    return directTo;
  }

  public void setDirectTo(String directTo) {
    this.directTo = directTo;
  }
}
