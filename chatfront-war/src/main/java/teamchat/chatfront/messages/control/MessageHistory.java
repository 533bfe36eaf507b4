package teamchat.chatfront.messages.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import teamchat.chatfront.messages.entity.Message;
import teamchat.chatfront.rooms.entity.Membership;
import teamchat.chatfront.rooms.entity.Room;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.RoomMembership;
import teamchat.contract.messages.StoredMessage;

/** Reads rooms' messages and users' memberships. */
@ApplicationScoped
public class MessageHistory {

  @PersistenceContext(unitName = "chat")
  EntityManager em;

  /** Whether the user with this subject belongs to the room. */
  public boolean isMember(String subject, long room) {
    return !em.createNamedQuery(Membership.FIND_BY_SUBJECT_AND_ROOM, Membership.class)
        .setParameter("subject", subject)
        .setParameter("room", room)
        .getResultList()
        .isEmpty();
  }

  /** Up to {@code limit} messages with seq greater than {@code after}, oldest first (resume). */
  public MessagePage after(long room, long after, int limit) {
    return page(room, Message.LIST_AFTER, after, limit, false);
  }

  /** Up to {@code limit} messages with seq less than {@code before}, oldest first (scroll back). */
  public MessagePage before(long room, long before, int limit) {
    return page(room, Message.LIST_BEFORE, before, limit, true);
  }

  public List<RoomMembership> roomsOf(String subject) {
    List<RoomMembership> rooms = new ArrayList<>();
    for (Object[] row :
        em.createNamedQuery(Membership.LIST_BY_SUBJECT, Object[].class)
            .setParameter("subject", subject)
            .getResultList()) {
      Membership membership = (Membership) row[0];
      Room room = (Room) row[1];
      rooms.add(
          new RoomMembership(
              room.id(), room.name(), membership.role(), room.lastSeq(), membership.lastReadSeq()));
    }
    return rooms;
  }

  private MessagePage page(long room, String query, long seq, int limit, boolean newestFirst) {
    List<StoredMessage> messages = new ArrayList<>();
    for (Object[] row :
        em.createNamedQuery(query, Object[].class)
            .setParameter("room", room)
            .setParameter("seq", seq)
            .setMaxResults(limit)
            .getResultList()) {
      Message message = (Message) row[0];
      messages.add(
          new StoredMessage(
              message.id(),
              message.roomId(),
              message.seq(),
              (String) row[1],
              message.clientMsgId(),
              message.body(),
              message.createdAt()));
    }
    if (newestFirst) {
      Collections.reverse(messages);
    }
    Room current = em.find(Room.class, room);
    return new MessagePage(room, messages, current == null ? 0 : current.lastSeq());
  }
}
