package teamchat.chatfront.rooms.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.List;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.messages.control.MessageHistory;
import teamchat.chatfront.messages.control.ShownMessage;
import teamchat.chatfront.rooms.control.Member;
import teamchat.chatfront.rooms.control.Rooms;
import teamchat.chatfront.rooms.entity.Membership;
import teamchat.chatfront.rooms.entity.Room;
import teamchat.chatfront.web.Pages;
import teamchat.contract.problems.Refused;

/**
 * The chat view of one room: its latest messages rendered on the server (the page's script then
 * follows the room live over chatserv), its members, and invite / leave for those allowed.
 */
@Named
@RequestScoped
public class RoomPage {

  /** Messages rendered with the page; older ones load on scroll. */
  static final int FIRST_PAGE = 50;

  @Inject SignedInUser user;
  @Inject Rooms rooms;
  @Inject MessageHistory history;

  private Long id = requestedRoom();
  private Room room;
  private Membership membership;
  private List<ShownMessage> messages;
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

  public String getTitle() {
    if (!load()) {
      return "";
    }
    if (!room.isDirect()) {
      return room.name();
    }
    return getMembers().stream()
        .filter(member -> !member.subject().equals(user.subject()))
        .map(Member::name)
        .findFirst()
        .orElse("Direct conversation");
  }

  public Room getRoom() {
    load();
    return room;
  }

  /** Whether this user may invite people here: owners of private rooms, anyone in public ones. */
  public boolean isCanInvite() {
    return load() && !room.isDirect() && (room.isPublic() || membership.isOwner());
  }

  /**
   * The latest messages of the room itself, in their current state (edits, tombstones, reactions,
   * reply counts); replies are in their threads, changes in the state of what they changed.
   */
  public List<ShownMessage> getMessages() {
    if (messages == null) {
      messages = load() ? history.shownBefore(id, room.lastSeq() + 1, FIRST_PAGE) : List.of();
    }
    return messages;
  }

  /** The seq of the oldest message shown (scrolling back asks for what is before it). */
  public long getFirstSeq() {
    return getMessages().isEmpty() ? room.lastSeq() + 1 : getMessages().get(0).seq();
  }

  /**
   * The room's last seq when the page was made: the live subscription starts after it. The messages
   * shown are those up to it; their state may already hold later changes, which the page then
   * receives again and skips (each shown message says as of which seq its state is: {@code
   * stateSeq}).
   */
  public long getLastSeq() {
    getMessages();
    return room == null ? 0 : room.lastSeq();
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
