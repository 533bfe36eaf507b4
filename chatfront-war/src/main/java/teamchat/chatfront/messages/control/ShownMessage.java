package teamchat.chatfront.messages.control;

import jakarta.json.bind.annotation.JsonbProperty;
import java.time.Instant;

/** A stored message with its sender's display name, as the web app shows it. */
public record ShownMessage(
    long id,
    long seq,
    String sender,
    @JsonbProperty("sender_name") String senderName,
    String body,
    Instant time) {}
