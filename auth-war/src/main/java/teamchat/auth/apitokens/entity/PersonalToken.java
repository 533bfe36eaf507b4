package teamchat.auth.apitokens.entity;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A personal access token as its owner sees it in their list: never the token itself, which only
 * its creation shows. {@code lastUsed} is null until chatfront first checks it; {@code revoked} is
 * null while it is not revoked.
 */
public record PersonalToken(
    UUID id,
    UUID accountId,
    String name,
    Set<Scope> scopes,
    Instant created,
    Instant expires,
    Instant lastUsed,
    Instant revoked) {

  /** Whether chatfront may still take it: neither revoked nor expired. */
  public boolean activeAt(Instant now) {
    return revoked == null && now.isBefore(expires);
  }
}
