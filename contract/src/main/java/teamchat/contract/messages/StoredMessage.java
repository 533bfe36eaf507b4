package teamchat.contract.messages;

import jakarta.json.bind.annotation.JsonbProperty;
import java.time.Instant;

/** A message as stored: its place in the room is {@code seq}, gap-free from 1. */
public record StoredMessage(
    long id,
    long room,
    long seq,
    String sender,
    @JsonbProperty("client_msg_id") String clientMsgId,
    String body,
    Instant time) {}
