package teamchat.chatfront.rooms.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A room. {@code lastSeq} is the seq of its newest message: messages are numbered 1, 2, 3, ...
 * without gaps, which is how clients know they missed nothing.
 */
@Entity
@Table(name = "room")
@NamedQuery(
    name = Room.LIST_PUBLIC_NOT_JOINED,
    query =
        "SELECT r FROM Room r WHERE r.visibility = :visibility AND NOT EXISTS (SELECT m FROM"
            + " Membership m, ChatUser u WHERE m.roomId = r.id AND m.userId = u.id AND u.subject ="
            + " :subject) ORDER BY LOWER(r.name)")
@NamedQuery(
    name = Room.LIST_IDS_BY_NAME,
    query =
        "SELECT r.id FROM Room r WHERE LOWER(r.name) = LOWER(:name) AND r.visibility <> :direct")
public class Room {

  public static final String LIST_PUBLIC_NOT_JOINED = "Room.listPublicNotJoined";

  /** Rooms by name in any case, direct conversations aside (they share one name). */
  public static final String LIST_IDS_BY_NAME = "Room.listIdsByName";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  private String name;
  private String topic;

  @Convert(converter = Visibility.Column.class)
  private Visibility visibility;

  @Column(name = "last_seq")
  private long lastSeq;

  /** Since when the room is archived (read-only), or null. */
  @Column(name = "archived_at")
  private OffsetDateTime archivedAt;

  protected Room() {}

  public Room(String name, String topic, Visibility visibility) {
    this.name = name;
    this.topic = topic;
    this.visibility = visibility;
  }

  public Long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public long lastSeq() {
    return lastSeq;
  }

  public String topic() {
    return topic;
  }

  public Visibility visibility() {
    return visibility;
  }

  public boolean isPublic() {
    return visibility == Visibility.PUBLIC;
  }

  public boolean isArchived() {
    return archivedAt != null;
  }

  public OffsetDateTime archivedAt() {
    return archivedAt;
  }

  /**
   * Archives the room (from now) or takes it out of the archive; archiving twice keeps the first
   * time.
   */
  public void archive(boolean archived) {
    if (!archived) {
      archivedAt = null;
    } else if (archivedAt == null) {
      archivedAt = OffsetDateTime.now();
    }
  }

  public void changeTopic(String topic) {
    this.topic = topic;
  }

  public boolean isDirect() {
    return visibility == Visibility.DIRECT;
  }
}
