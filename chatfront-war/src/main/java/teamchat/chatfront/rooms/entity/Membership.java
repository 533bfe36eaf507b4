package teamchat.chatfront.rooms.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;

/** That a user belongs to a room, in a role, and how far they have read. */
@Entity
@Table(name = "membership")
@IdClass(Membership.Key.class)
@NamedQuery(
    name = Membership.LIST_BY_SUBJECT,
    query =
        "SELECT m, r FROM Membership m, Room r, ChatUser u"
            + " WHERE u.subject = :subject AND m.userId = u.id AND r.id = m.roomId ORDER BY r.name")
@NamedQuery(
    name = Membership.FIND_BY_SUBJECT_AND_ROOM,
    query =
        "SELECT m FROM Membership m, ChatUser u"
            + " WHERE u.subject = :subject AND m.userId = u.id AND m.roomId = :room")
@NamedQuery(
    name = Membership.LIST_MEMBERS,
    query =
        "SELECT m, u FROM Membership m, ChatUser u WHERE m.roomId = :room AND u.id = m.userId"
            + " ORDER BY LOWER(u.displayName)")
@NamedQuery(
    name = Membership.COUNT_OWNERS,
    query = "SELECT COUNT(m) FROM Membership m WHERE m.roomId = :room AND m.role = 'owner'")
public class Membership {

  public static final String OWNER = "owner";
  public static final String MEMBER = "member";
  public static final String LIST_BY_SUBJECT = "Membership.listBySubject";
  public static final String LIST_MEMBERS = "Membership.listMembers";
  public static final String COUNT_OWNERS = "Membership.countOwners";
  public static final String FIND_BY_SUBJECT_AND_ROOM = "Membership.findBySubjectAndRoom";

  @Id
  @Column(name = "room_id")
  private Long roomId;

  @Id
  @Column(name = "user_id")
  private Long userId;

  private String role;

  @Column(name = "last_read_seq")
  private long lastReadSeq;

  protected Membership() {}

  public Membership(Long roomId, Long userId, String role) {
    this.roomId = roomId;
    this.userId = userId;
    this.role = role;
  }

  public Long roomId() {
    return roomId;
  }

  public String role() {
    return role;
  }

  public long lastReadSeq() {
    return lastReadSeq;
  }

  public Long userId() {
    return userId;
  }

  public boolean isOwner() {
    return OWNER.equals(role);
  }

  /** Moves the read marker forward, never back (an old tab must not undo a newer read). */
  public void readUpTo(long seq) {
    lastReadSeq = Math.max(lastReadSeq, seq);
  }

  /** The composite key (room, user). */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    Long roomId;
    Long userId;

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.roomId.equals(roomId) && key.userId.equals(userId);
    }

    @Override
    public int hashCode() {
      return roomId.hashCode() * 31 + userId.hashCode();
    }
  }
}
