package teamchat.contract.messages;

import jakarta.json.bind.annotation.JsonbProperty;

/** A room a user may read and post in. */
public record RoomMembership(
    long room,
    String name,
    String role,
    @JsonbProperty("last_seq") long lastSeq,
    @JsonbProperty("last_read_seq") long lastReadSeq) {}
