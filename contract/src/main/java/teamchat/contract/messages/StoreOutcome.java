package teamchat.contract.messages;

import jakarta.json.bind.annotation.JsonbProperty;
import java.time.Instant;

/**
 * What became of one message of a batch. {@code status} reads like HTTP: 201 stored now, 200 stored
 * before (a resend: the original id, seq and time come back), 403 the sender is not a member of the
 * room, 409 the sender used this client id for a different message.
 */
public record StoreOutcome(
    @JsonbProperty("client_msg_id") String clientMsgId,
    String sender,
    int status,
    String code,
    Long id,
    Long room,
    Long seq,
    Instant time) {

  public static final int STORED = 201;
  public static final int ALREADY_STORED = 200;
  public static final int NOT_A_MEMBER = 403;
  public static final int CLIENT_ID_CONFLICT = 409;

  /** Whether the message is in the database now (stored by this call or before). */
  public boolean durable() {
    return status == STORED || status == ALREADY_STORED;
  }
}
