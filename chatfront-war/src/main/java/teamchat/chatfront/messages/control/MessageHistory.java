package teamchat.chatfront.messages.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import teamchat.chatfront.messages.entity.Message;
import teamchat.chatfront.rooms.entity.Room;
import teamchat.chatfront.users.entity.ChatUser;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.StoredMessage;

/**
 * A room's stored messages, read one way for everyone: chatserv's REST reads (resume, scroll back)
 * and the web app's pages use the same queries and the same row mapping. Whether the reader may see
 * the room is the caller's check ({@code Rooms} owns memberships).
 */
@ApplicationScoped
public class MessageHistory {

  /** The most messages a page of the web app asks for at once. */
  public static final int MAX_PAGE = 200;

  @PersistenceContext(unitName = "chat")
  EntityManager em;

  /** One row of the history: a message and who sent it. */
  private record Said(Message message, ChatUser sender) {

    StoredMessage stored() {
      return StoredMessage.message(
          message.id(),
          message.roomId(),
          message.seq(),
          sender.subject(),
          message.clientMsgId(),
          message.body(),
          null,
          message.createdAt());
    }

    ShownMessage shown() {
      return new ShownMessage(
          message.id(),
          message.seq(),
          sender.subject(),
          sender.displayName(),
          message.body(),
          message.createdAt());
    }
  }

  /** Up to {@code limit} messages with seq greater than {@code after}, oldest first (resume). */
  public MessagePage after(long room, long after, int limit) {
    return page(room, said(room, after, limit, false));
  }

  /** Up to {@code limit} messages with seq less than {@code before}, oldest first (scroll back). */
  public MessagePage before(long room, long before, int limit) {
    return page(room, said(room, before, limit, true));
  }

  /**
   * Up to {@code limit} (at most {@value #MAX_PAGE}) messages before {@code seq}, oldest first,
   * with their senders' display names, as the web app shows them.
   */
  public List<ShownMessage> shownBefore(long room, long seq, int limit) {
    return said(room, seq, Math.max(1, Math.min(limit, MAX_PAGE)), true).stream()
        .map(Said::shown)
        .toList();
  }

  /** The messages after (or before) {@code seq}, oldest first either way. */
  private List<Said> said(long room, long seq, int limit, boolean before) {
    List<Said> said = new ArrayList<>();
    for (Object[] row :
        em.createNamedQuery(before ? Message.LIST_BEFORE : Message.LIST_AFTER, Object[].class)
            .setParameter("room", room)
            .setParameter("seq", seq)
            .setMaxResults(limit)
            .getResultList()) {
      said.add(new Said((Message) row[0], (ChatUser) row[1]));
    }
    if (before) {
      Collections.reverse(said); // the query walks back from seq, newest first
    }
    return said;
  }

  private MessagePage page(long room, List<Said> said) {
    Room current = em.find(Room.class, room);
    return new MessagePage(
        room, said.stream().map(Said::stored).toList(), current == null ? 0 : current.lastSeq());
  }
}
