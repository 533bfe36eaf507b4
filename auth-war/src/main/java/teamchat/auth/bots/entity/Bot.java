package teamchat.auth.bots.entity;

import java.time.Instant;
import java.util.UUID;

/**
 * A bot as its owner sees it in their list. {@code id} is the bot's account id, the subject its
 * tokens act as; {@code tokens} counts its active tokens and {@code lastUsed} is the latest use of
 * any of them (null before the first).
 */
public record Bot(
    UUID id,
    UUID ownerId,
    String username,
    String displayName,
    Instant created,
    int tokens,
    Instant lastUsed) {}
