package teamchat.chatfront.api.control;

import java.time.Instant;
import java.util.Set;

/**
 * Whom a personal access token speaks for, as auth said when asked: their subject (the same as in
 * their web sessions' tokens), username, the token's scopes and its expiry.
 */
public record TokenHolder(String subject, String username, Set<String> scopes, Instant expires) {

  public boolean may(String scope) {
    return scopes.contains(scope);
  }
}
