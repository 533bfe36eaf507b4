package teamchat.chatfront.rooms.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.rooms.control.Member;
import teamchat.chatfront.rooms.control.Rooms;
import teamchat.chatfront.rooms.entity.Membership;
import teamchat.chatfront.rooms.entity.Room;
import teamchat.chatfront.web.Pages;
import teamchat.contract.problems.Refused;

/**
 * The chat view of one room: the frame of the page, with the room's last seq for the page's script
 * (which loads the latest messages from the session API and then follows the room live over
 * chatserv), its members, and invite / leave / archive for those allowed.
 */
@Named
@RequestScoped
public class RoomPage {

  @Inject SignedInUser user;
  @Inject Rooms rooms;

  private Long id = requestedRoom();
  private Room room;
  private Membership membership;
  private List<Member> members;
  private String invitee;

  /**
   * Opens the room for a member; anyone else gets 404, whether the room exists or not. Marks
   * everything shown as read.
   */
  public void open() throws IOException {
    if (!load()) {
      FacesContext faces = FacesContext.getCurrentInstance();
      faces.getExternalContext().responseSendError(404, "No such room.");
      faces.responseComplete();
      return;
    }
    rooms.markRead(user.subject(), id, room.lastSeq());
  }

  /**
   * The room asked for: {@code ?id=} on the page's address, and the hidden {@code id} field of its
   * forms. Read when the bean is made, because Faces decides whether a form is shown (and so
   * whether it takes the post) before it would set a view parameter.
   */
  private static Long requestedRoom() {
    String id =
        FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get("id");
    try {
      return id == null ? null : Long.valueOf(id);
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  private boolean load() {
    if (room != null) {
      return true;
    }
    if (id == null) {
      return false;
    }
    membership = rooms.membershipOf(user.subject(), id).orElse(null);
    if (membership == null) {
      return false;
    }
    room = rooms.room(id);
    return true;
  }

  public String invite() {
    if (!load()) {
      return Pages.redirect("rooms");
    }
    try {
      rooms.invite(user.subject(), id, invitee);
      return Pages.redirect("room?id=" + id);
    } catch (Refused refused) {
      Pages.error("invite:username", refused.getMessage());
      return null;
    }
  }

  public String leave() {
    try {
      rooms.leave(user.subject(), id == null ? -1 : id);
      return Pages.redirect("rooms");
    } catch (Refused refused) {
      Pages.error(null, refused.getMessage());
      return null;
    }
  }

  /** An owner archives the room, or takes it out of the archive: the other of what it is. */
  public String toggleArchive() {
    if (!load()) {
      return Pages.redirect("rooms");
    }
    try {
      rooms.archive(user.subject(), id, !room.isArchived());
      return Pages.redirect("room?id=" + id);
    } catch (Refused refused) {
      Pages.error(null, refused.getMessage());
      return null;
    }
  }

  /** Whether this user manages the room (topic, archive): its owners; no direct conversation. */
  public boolean isCanManage() {
    return load() && !room.isDirect() && membership.isOwner();
  }

  public String getTitle() {
    if (!load()) {
      return "";
    }
    if (!room.isDirect()) {
      return room.name();
    }
    // Everyone else, as the sidebar titles it (Rooms.roomsOf): "Ana, Bob, Cy".
    String others =
        getMembers().stream()
            .filter(member -> !member.subject().equals(user.subject()))
            .map(Member::name)
            .collect(Collectors.joining(", "));
    return others.isEmpty() ? "Direct conversation" : others;
  }

  /**
   * The person's read marker as it was before this page marked the room read: the page draws its
   * "New messages" line above the first message after it.
   */
  public long getReadSeq() {
    return load() ? membership.lastReadSeq() : 0;
  }

  public Room getRoom() {
    load();
    return room;
  }

  /** Whether this user may invite people here: owners of private rooms, anyone in public ones. */
  public boolean isCanInvite() {
    return load()
        && !room.isDirect()
        && !room.isArchived()
        && (room.isPublic() || membership.isOwner());
  }

  public List<Member> getMembers() {
    if (members == null) {
      members = load() ? rooms.members(id) : List.of();
    }
    return members;
  }

  public Long getId() {
    return id;
  }

  public String getInvitee() {
    return invitee;
  }

  public void setInvitee(String invitee) {
    this.invitee = invitee;
  }
}
