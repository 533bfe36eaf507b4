package teamchat.chatfront.accounts.control;

import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.core.Response;
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

  /** The session at auth ({@code sid}); null when signed out. */
  public synchronized String session() {
    return tokens == null ? null : tokens.session();
  }

  /**
   * Forgets the tokens of a session that auth already ended (revoked elsewhere): nothing to tell
   * auth. The caller invalidates the HTTP session.
   */
  public synchronized void ended() {
    tokens = null;
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

  /**
   * Changes the display name at auth, then takes the next token pair at once so that pages and the
   * chat socket carry the new name. Synchronized for the reason {@link #freshTokens} is.
   *
   * @return the session's tokens with the new name
   */
  public synchronized Tokens changeDisplayName(String displayName) throws Refused, AuthUnavailable {
    Tokens current = current();
    try {
      auth.changeDisplayName(current.refreshToken(), displayName);
      tokens = auth.refresh(current.refreshToken());
      return tokens;
    } catch (Refused refused) {
      forgetIfEnded(refused);
      throw refused;
    }
  }

  /**
   * Changes the password at auth, which signs the person out of every other session.
   *
   * @return how many other sessions were ended
   */
  public synchronized int changePassword(
      String currentPassword, String newPassword, String forwardedFor)
      throws Refused, AuthUnavailable {
    Tokens current = current();
    try {
      return auth.changePassword(
          current.refreshToken(), currentPassword, newPassword, forwardedFor);
    } catch (Refused refused) {
      forgetIfEnded(refused);
      throw refused;
    }
  }

  /**
   * Ends every session of the person at auth, this one included, and forgets the tokens; the caller
   * invalidates the HTTP session. Other browsers' pages follow within seconds.
   */
  public synchronized void signOutEverywhere() throws Refused, AuthUnavailable {
    Tokens current = current();
    try {
      auth.signOutEverywhere(current.refreshToken());
      tokens = null;
    } catch (Refused refused) {
      forgetIfEnded(refused);
      throw refused;
    }
  }

  private Tokens current() throws Refused {
    if (tokens == null) {
      throw new Refused(Response.Status.UNAUTHORIZED, "signed_out", "Sign in again.");
    }
    return tokens;
  }

  /** auth's 401: this session has ended there (signed out elsewhere, revoked, expired). */
  private void forgetIfEnded(Refused refused) {
    if (refused.status() == Response.Status.UNAUTHORIZED.getStatusCode()) {
      tokens = null;
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
