package teamchat.contract.messages;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Messages to store in one transaction, in this order. */
public record StoreBatch(
    @NotNull @Size(min = 1, max = StoreBatch.MAX_MESSAGES)
        List<@Valid @NotNull NewMessage> messages) {

  public static final int MAX_MESSAGES = 500;
}
