package teamchat.auth.accounts.entity;

import java.util.UUID;

/**
 * Someone who can log in. {@code id} is the subject ({@code sub}) of their tokens; {@code username}
 * is unique whatever its case and is their {@code upn}.
 */
public record Account(UUID id, String username, String displayName, String passwordHash) {}
