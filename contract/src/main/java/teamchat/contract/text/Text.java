package teamchat.contract.text;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The value is text a person may send: {@link PlainText#check} finds nothing wrong with it. {@code
 * null} is valid here; combine with {@code @NotNull} where the text is required.
 */
@Documented
@Constraint(validatedBy = TextValidator.class)
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface Text {

  /** Fewest code points. */
  int min() default 1;

  /** Most code points. */
  int max();

  /** Whether newline and tab are allowed (message bodies); no other control character ever is. */
  boolean multiline() default false;

  String message() default
      "must be {min} to {max} characters of well-formed text without control characters";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
