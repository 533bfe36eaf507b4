package teamchat.contract.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NewMessageTest {

  private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

  private static NewMessage entry(
      String kind, String body, Long target, Long parent, String emoji) {
    return new NewMessage("someone", 1L, "c-1", kind, body, target, parent, emoji);
  }

  @Test
  void eachKindTakesExactlyItsFields() {
    assertEquals(Set.of(), invalid(entry(null, "hi", null, null, null)), "a message, kind unnamed");
    assertEquals(Set.of(), invalid(entry("message", "a reply", null, 7L, null)), "a reply");
    assertEquals(Set.of(), invalid(entry("edit", "fixed", 7L, null, null)));
    assertEquals(Set.of(), invalid(entry("delete", null, 7L, null, null)));
    assertEquals(Set.of(), invalid(entry("react", null, 7L, null, "👍")));
    assertEquals(Set.of(), invalid(entry("unreact", null, 7L, null, ":tada:")));
  }

  @Test
  void fieldsThatDoNotFitTheKindAreRefused() {
    String shape = "shapedLikeItsKind";
    assertEquals(
        Set.of("bodyGivenWhereNeeded"),
        invalid(entry("message", null, null, null, null)),
        "no body");
    assertEquals(
        Set.of("bodyGivenWhereNeeded"), invalid(entry("edit", null, 7L, null, null)), "no body");
    assertEquals(Set.of(shape), invalid(entry("message", "x", 7L, null, null)), "a target");
    assertEquals(Set.of(shape), invalid(entry("edit", "x", null, null, null)), "no target");
    assertEquals(Set.of(shape), invalid(entry("edit", "x", 7L, 3L, null)), "a parent");
    assertEquals(Set.of(shape), invalid(entry("delete", "x", 7L, null, null)), "a body");
    assertEquals(Set.of(shape), invalid(entry("react", null, 7L, null, null)), "no emoji");
    assertEquals(Set.of(shape), invalid(entry("react", null, 7L, null, "ok")), "letters");
    assertEquals(Set.of("kind", shape), invalid(entry("shout", "x", null, null, null)));
  }

  @Test
  void reactionsAreOneEmojiOrAShortcode() {
    for (String emoji : new String[] {"👍", "👍🏽", "❤️", "👨‍👩‍👧", "🇫🇮", ":tada:", ":+1:"}) {
      assertTrue(Reactions.isEmoji(emoji), emoji);
    }
    for (String text :
        new String[] {"", "a", "1", " 👍", "👍 ", "👍a", ":Tada:", "::", "\u200d", "👍\u0000"}) {
      assertFalse(Reactions.isEmoji(text), text);
    }
    assertFalse(Reactions.isEmoji("👍".repeat(17)), "a short sequence, not a string of them");
  }

  private Set<String> invalid(NewMessage message) {
    return validator.validate(message).stream()
        .map(ConstraintViolation::getPropertyPath)
        .map(Object::toString)
        .collect(Collectors.toSet());
  }
}
