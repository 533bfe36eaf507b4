package teamchat.chatfront.rooms.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;

/**
 * That a user belongs to a room, in a role, how far they have read, and whether they muted it (no
 * notifications, counts shown greyed).
 */
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
    name = Membership.LIST_OTHER_PEOPLE,
    query =
        "SELECT m.roomId, u.displayName FROM Membership m, ChatUser u WHERE m.roomId IN :rooms"
            + " AND u.id = m.userId AND u.subject <> :subject ORDER BY LOWER(u.displayName)")
@NamedQuery(
    name = Membership.COUNT_BY_ROLE,
    query = "SELECT COUNT(m) FROM Membership m WHERE m.roomId = :room AND m.role = :role")
@NamedQuery(
    name = Membership.LIST_BY_ROOM_LONGEST_FIRST,
    query = "SELECT m FROM Membership m WHERE m.roomId = :room ORDER BY m.joinedAt, m.userId")
public class Membership {

  /** A person's rooms, with their memberships. */
  public static final String LIST_BY_SUBJECT = "Membership.listBySubject";

  /** A room's members, with who they are, by display name. */
  public static final String LIST_MEMBERS = "Membership.listMembers";

  /** The other people (not {@code :subject}) of some rooms: (room id, display name). */
  public static final String LIST_OTHER_PEOPLE = "Membership.listOtherPeople";

  public static final String COUNT_BY_ROLE = "Membership.countByRole";
  public static final String FIND_BY_SUBJECT_AND_ROOM = "Membership.findBySubjectAndRoom";
  public static final String LIST_BY_ROOM_LONGEST_FIRST = "Membership.listByRoomLongestFirst";

  @Id
  @Column(name = "room_id")
  private Long roomId;

  @Id
  @Column(name = "user_id")
  private Long userId;

  @Convert(converter = Role.Column.class)
  private Role role;

  @Column(name = "last_read_seq")
  private long lastReadSeq;

  private boolean muted;

  @Column(name = "joined_at", insertable = false, updatable = false)
  private OffsetDateTime joinedAt;

  protected Membership() {}

  public Membership(Long roomId, Long userId, Role role) {
    this.roomId = roomId;
    this.userId = userId;
    this.role = role;
  }

  public Role role() {
    return role;
  }

  public long lastReadSeq() {
    return lastReadSeq;
  }

  public boolean muted() {
    return muted;
  }

  /** Mutes or unmutes the room for this member. */
  public void mute(boolean muted) {
    this.muted = muted;
  }

  public boolean isOwner() {
    return role == Role.OWNER;
  }

  /** Makes this member an owner (when the last owner left). */
  public void makeOwner() {
    role = Role.OWNER;
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
