package teamchat.chatfront.commands.entity;

import jakarta.json.bind.annotation.JsonbProperty;
import java.time.Instant;

/**
 * A registered command of a room, as its owners see it: never its secret (shown once, when it is
 * registered), and the last failed call's reason, so an owner sees why their bot stayed silent.
 */
public record RoomCommand(
    long id,
    String name,
    String url,
    String bot,
    @JsonbProperty("created_at") Instant createdAt,
    @JsonbProperty("last_error") String lastError,
    @JsonbProperty("last_error_at") Instant lastErrorAt) {}
