package teamchat.chatfront.rooms.entity;

import jakarta.json.bind.adapter.JsonbAdapter;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * What a member may do in a room: an owner of a private room may invite. Stored as its {@link
 * #word} ({@code owner}, {@code member}: the {@code membership_role} check of V1), which the JSON
 * says too. A converter, not {@code @Enumerated(STRING)}, for the reason {@link Visibility} gives.
 */
public enum Role {
  OWNER("owner"),
  MEMBER("member");

  private final String word;

  Role(String word) {
    this.word = word;
  }

  /** The word stored in the database and shown in JSON and on the pages. */
  public String word() {
    return word;
  }

  /** The constant stored as this word. */
  public static Role of(String word) {
    for (Role role : values()) {
      if (role.word.equals(word)) {
        return role;
      }
    }
    throw new IllegalArgumentException("not a member role: " + word);
  }

  /**
   * Maps {@link Role} to and from the column, in the entity and in JPQL parameters compared with
   * it.
   */
  @Converter
  public static class Column implements AttributeConverter<Role, String> {
    @Override
    public String convertToDatabaseColumn(Role role) {
      return role == null ? null : role.word;
    }

    @Override
    public Role convertToEntityAttribute(String word) {
      return word == null ? null : of(word);
    }
  }

  /** The word in JSON too (JSON-B would write the constant's name). */
  public static class Json implements JsonbAdapter<Role, String> {
    @Override
    public String adaptToJson(Role role) {
      return role.word;
    }

    @Override
    public Role adaptFromJson(String word) {
      return of(word);
    }
  }
}
