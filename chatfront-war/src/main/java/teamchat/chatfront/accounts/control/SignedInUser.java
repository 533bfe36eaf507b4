package teamchat.chatfront.accounts.control;

import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import teamchat.contract.problems.Refused;

/**
 * Who is signed in to this browser session, and their tokens. The refresh token stays here, on the
 * server: the browser holds only the session cookie ({@code HttpOnly}) and, on the chat page, a
 * short-lived access token for chatserv.
 */
@Named
@SessionScoped
public class SignedInUser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** An access token handed to a page must stay valid at least this long. */
  static final Duration MIN_REMAINING = Duration.ofMinutes(2);

  @Inject AuthAccounts auth;

  private Tokens tokens;

  public synchronized boolean isSignedIn() {
    return tokens != null;
  }

  public synchronized void signIn(Tokens tokens) {
    this.tokens = tokens;
  }

  public synchronized String subject() {
    return tokens == null ? null : tokens.subject();
  }

  public synchronized String username() {
    return tokens == null ? null : tokens.username();
  }

  public synchronized String displayName() {
    return tokens == null ? null : tokens.displayName();
  }

  /**
   * An access token valid for at least two more minutes, renewed with the refresh token when the
   * current one is older. Synchronized: refresh tokens are single-use, and two tabs refreshing with
   * the same one at once would look like theft to auth, which then ends the session.
   *
   * @return empty when the session has ended at auth (logged out elsewhere, expired, revoked)
   */
  public synchronized Optional<Tokens> freshTokens() throws AuthUnavailable {
    if (tokens == null) {
      return Optional.empty();
    }
    if (Instant.now().plus(MIN_REMAINING).isBefore(tokens.accessExpires())) {
      return Optional.of(tokens);
    }
    try {
      tokens = auth.refresh(tokens.refreshToken());
      return Optional.of(tokens);
    } catch (Refused ended) {
      tokens = null;
      return Optional.empty();
    }
  }

  /** Forgets the tokens and ends the session at auth; the caller invalidates the HTTP session. */
  public synchronized void signOut() {
    Tokens ending = tokens;
    tokens = null;
    if (ending != null) {
      try {
        auth.logout(ending.refreshToken());
      } catch (Refused | AuthUnavailable ignored) {
        // The tokens are forgotten here either way; the refresh token expires on its own.
      }
    }
  }
}
