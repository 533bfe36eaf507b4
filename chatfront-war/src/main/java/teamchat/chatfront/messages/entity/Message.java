package teamchat.chatfront.messages.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A stored message. Written only by {@code MessageStore}'s batch (SQL, under the room's lock, so
 * that seq stays gap-free); read through JPA.
 */
@Entity
@Table(name = "message")
@NamedQuery(
    name = Message.LIST_AFTER,
    query =
        "SELECT m, u FROM Message m, ChatUser u"
            + " WHERE m.roomId = :room AND m.seq > :seq AND u.id = m.senderId ORDER BY m.seq")
@NamedQuery(
    name = Message.LIST_BEFORE,
    query =
        "SELECT m, u FROM Message m, ChatUser u"
            + " WHERE m.roomId = :room AND m.seq < :seq AND u.id = m.senderId ORDER BY m.seq DESC")
public class Message {

  /** A room's messages after {@code :seq}, oldest first, with their senders. */
  public static final String LIST_AFTER = "Message.listAfter";

  /** A room's messages before {@code :seq}, newest first, with their senders. */
  public static final String LIST_BEFORE = "Message.listBefore";

  @Id private Long id;

  @Column(name = "room_id")
  private Long roomId;

  private long seq;

  @Column(name = "sender_id")
  private Long senderId;

  @Column(name = "client_msg_id")
  private String clientMsgId;

  private String body;

  // OffsetDateTime, not Instant: the EclipseLink in Payara 6 does not map Instant.
  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  protected Message() {}

  public Long id() {
    return id;
  }

  public Long roomId() {
    return roomId;
  }

  public long seq() {
    return seq;
  }

  public String clientMsgId() {
    return clientMsgId;
  }

  public String body() {
    return body;
  }

  public Instant createdAt() {
    return createdAt.toInstant();
  }
}
