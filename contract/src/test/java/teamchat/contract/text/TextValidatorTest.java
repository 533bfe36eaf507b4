package teamchat.contract.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import teamchat.contract.messages.NewMessage;

/** The contract's NewMessage as chatfront's REST layer validates it (Hibernate Validator). */
class TextValidatorTest {

  private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

  @Test
  void aWellFormedMessageIsValid() {
    assertEquals(Set.of(), invalid(NewMessage.message("someone", 1L, "c-1", "hello 👍\nbye")));
  }

  @Test
  void everyBodyTheRulesRefuseIsInvalidByName() {
    for (String body : new String[] {"", "a\u0000b", "a\ud800b", "x".repeat(4001), "a\u001bb"}) {
      assertEquals(Set.of("body"), invalid(NewMessage.message("someone", 1L, "c-1", body)), body);
    }
    assertEquals(
        Set.of("bodyGivenWhereNeeded"), invalid(NewMessage.message("someone", 1L, "c-1", null)));
  }

  @Test
  void fourThousandEmojiAreOneMessage() {
    assertEquals(Set.of(), invalid(NewMessage.message("someone", 1L, "c-1", "😀".repeat(4000))));
  }

  private Set<String> invalid(NewMessage message) {
    return validator.validate(message).stream()
        .map(ConstraintViolation::getPropertyPath)
        .map(Object::toString)
        .collect(Collectors.toSet());
  }
}
