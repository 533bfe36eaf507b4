package teamchat.chatfront.rooms.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The one group conversation (three to eight people) of a set of people, keyed by the set: their
 * ids in ascending order, so that whoever starts it and in whatever order they pick the others, the
 * same people find the same room.
 */
@Entity
@Table(name = "direct_group")
public class DirectGroup {

  @Id
  @Column(name = "member_key")
  private String memberKey;

  @Column(name = "room_id")
  private Long roomId;

  protected DirectGroup() {}

  public DirectGroup(Collection<Long> members, long roomId) {
    this.memberKey = key(members);
    this.roomId = roomId;
  }

  public Long roomId() {
    return roomId;
  }

  /** The key of a set of people, whatever order they are given in. */
  public static String key(Collection<Long> members) {
    return members.stream()
        .distinct()
        .sorted()
        .map(String::valueOf)
        .collect(Collectors.joining(","));
  }
}
