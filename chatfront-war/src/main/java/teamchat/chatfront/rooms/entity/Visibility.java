package teamchat.chatfront.rooms.entity;

import jakarta.json.bind.adapter.JsonbAdapter;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Who may see and join a room. Stored as its {@link #word} ({@code public}, {@code private}, {@code
 * direct}: the {@code room_visibility} check of V1), which the pages use too (a room's CSS class).
 * A converter rather than {@code @Enumerated(STRING)}: that stores the constant's name, and {@code
 * public} and {@code private} cannot be constant names in Java; upper case names would have needed
 * a data migration of every room and of the check.
 */
public enum Visibility {
  PUBLIC("public"),
  PRIVATE("private"),
  DIRECT("direct");

  private final String word;

  Visibility(String word) {
    this.word = word;
  }

  /** The word stored in the database and shown in JSON and on the pages. */
  public String word() {
    return word;
  }

  /** The constant stored as this word. */
  public static Visibility of(String word) {
    for (Visibility visibility : values()) {
      if (visibility.word.equals(word)) {
        return visibility;
      }
    }
    throw new IllegalArgumentException("not a room visibility: " + word);
  }

  /**
   * Maps {@link Visibility} to and from the column, in the entity and in JPQL parameters compared
   * with it.
   */
  @Converter
  public static class Column implements AttributeConverter<Visibility, String> {
    @Override
    public String convertToDatabaseColumn(Visibility visibility) {
      return visibility == null ? null : visibility.word;
    }

    @Override
    public Visibility convertToEntityAttribute(String word) {
      return word == null ? null : of(word);
    }
  }

  /** The word in JSON too (JSON-B would write the constant's name). */
  public static class Json implements JsonbAdapter<Visibility, String> {
    @Override
    public String adaptToJson(Visibility visibility) {
      return visibility.word;
    }

    @Override
    public Visibility adaptFromJson(String word) {
      return of(word);
    }
  }
}
