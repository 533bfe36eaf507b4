package teamchat.chatfront.rooms.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A room. {@code lastSeq} is the seq of its newest message: messages are numbered 1, 2, 3, ...
 * without gaps, which is how clients know they missed nothing.
 */
@Entity
@Table(name = "room")
public class Room {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  private String name;
  private String topic;
  private String visibility;

  @Column(name = "last_seq")
  private long lastSeq;

  protected Room() {}

  public Room(String name, String topic, String visibility) {
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
}
