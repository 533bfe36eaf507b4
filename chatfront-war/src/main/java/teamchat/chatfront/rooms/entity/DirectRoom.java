package teamchat.chatfront.rooms.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** The one direct-message room of a pair of users, the pair kept in id order. */
@Entity
@Table(name = "direct_room")
@IdClass(DirectRoom.Pair.class)
public class DirectRoom {

  @Id
  @Column(name = "user_low")
  private Long userLow;

  @Id
  @Column(name = "user_high")
  private Long userHigh;

  @Column(name = "room_id")
  private Long roomId;

  protected DirectRoom() {}

  public DirectRoom(long oneUser, long otherUser, long roomId) {
    this.userLow = Math.min(oneUser, otherUser);
    this.userHigh = Math.max(oneUser, otherUser);
    this.roomId = roomId;
  }

  public Long roomId() {
    return roomId;
  }

  /** The key of a pair, in id order whichever way round it is asked for. */
  public static Pair pair(long oneUser, long otherUser) {
    Pair pair = new Pair();
    pair.userLow = Math.min(oneUser, otherUser);
    pair.userHigh = Math.max(oneUser, otherUser);
    return pair;
  }

  /** The composite key (user_low, user_high). */
  public static class Pair implements Serializable {
    private static final long serialVersionUID = 1L;
    Long userLow;
    Long userHigh;

    @Override
    public boolean equals(Object other) {
      return other instanceof Pair pair
          && pair.userLow.equals(userLow)
          && pair.userHigh.equals(userHigh);
    }

    @Override
    public int hashCode() {
      return userLow.hashCode() * 31 + userHigh.hashCode();
    }
  }
}
