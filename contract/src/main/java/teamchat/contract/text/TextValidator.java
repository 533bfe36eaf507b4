package teamchat.contract.text;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Bean Validation's side of {@link Text}: the rules themselves are {@link PlainText}'s. */
public class TextValidator implements ConstraintValidator<Text, String> {

  private int min;
  private int max;
  private boolean multiline;

  @Override
  public void initialize(Text constraint) {
    min = constraint.min();
    max = constraint.max();
    multiline = constraint.multiline();
  }

  @Override
  public boolean isValid(String value, ConstraintValidatorContext context) {
    return value == null || PlainText.isAcceptable(value, min, max, multiline);
  }
}
