package teamchat.contract.messages;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import teamchat.contract.text.Text;

/**
 * A message chatserv asks chatfront to store, on behalf of the user who sent it over the socket.
 *
 * @param sender the sender's subject (the {@code sub} of the token chatserv verified)
 * @param room the room's id
 * @param clientMsgId the sender's own id for the message: resending it never stores it twice
 * @param body the text, stored and shown as plain text: well-formed, NFC, no control character but
 *     newline and tab, 1 to {@value #MAX_BODY_CHARACTERS} code points ({@link
 *     teamchat.contract.text.PlainText})
 */
public record NewMessage(
    @NotBlank @Size(max = 64) String sender,
    @NotNull @Positive Long room,
    @JsonbProperty("client_msg_id") @NotNull @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}")
        String clientMsgId,
    @NotNull @Text(max = NewMessage.MAX_BODY_CHARACTERS, multiline = true) String body) {

  /** Code points, as people count characters. */
  public static final int MAX_BODY_CHARACTERS = 4000;
}
