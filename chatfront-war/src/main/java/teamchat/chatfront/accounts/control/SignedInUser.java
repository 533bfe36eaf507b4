package teamchat.chatfront.accounts.control;

import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import teamchat.contract.problems.Refused;

/**
 * Who is signed in to this browser session, and their tokens. The refresh token stays here, on the
 * server: the browser holds only the session cookie ({@code HttpOnly}) and, on the chat page, a
 * short-lived access token for chatserv.
 *
 * <p>No lock is held while auth is called: the session's other requests (page views, the chat
 * page's token) read the tokens at once however long auth takes, and a request that needs the
 * refresh another one started waits for it no longer than that call itself may take.
 */
@Named
@SessionScoped
public class SignedInUser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** An access token handed to a page must stay valid at least this long. */
  static final Duration MIN_REMAINING = Duration.ofMinutes(2);

  @Inject AuthAccounts auth;

  private Tokens tokens;

  /**
   * The refresh in progress, shared by the session's requests: refresh tokens are single-use, and
   * two tabs refreshing with the same one would look like theft to auth, which then ends the
   * session. Not kept when the session is stored: a refresh belongs to a running request.
   */
  private transient CompletableFuture<Optional<Tokens>> refreshing;

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
   * current one is older: by this request, or by the one that started the renewal already, waited
   * for at most {@link AuthAccounts#longestCall()}.
   *
   * @return empty when the session has ended at auth (logged out elsewhere, expired, revoked)
   */
  public Optional<Tokens> freshTokens() throws AuthUnavailable {
    Tokens used;
    CompletableFuture<Optional<Tokens>> mine;
    CompletableFuture<Optional<Tokens>> theirs;
    synchronized (this) {
      if (tokens == null) {
        return Optional.empty();
      }
      if (Instant.now().plus(MIN_REMAINING).isBefore(tokens.accessExpires())) {
        return Optional.of(tokens);
      }
      used = tokens;
      theirs = refreshing;
      mine = theirs == null ? new CompletableFuture<>() : null;
      if (mine != null) {
        refreshing = mine;
      }
    }
    return mine == null ? awaitRefresh(theirs) : refresh(used, mine);
  }

  /** Renews {@code used} at auth, with no lock held, and tells those waiting for it. */
  private Optional<Tokens> refresh(Tokens used, CompletableFuture<Optional<Tokens>> mine)
      throws AuthUnavailable {
    Optional<Tokens> renewed = Optional.empty();
    Exception failure = null;
    try {
      renewed = Optional.of(auth.refresh(used.refreshToken()));
    } catch (Refused ended) {
      // renewed stays empty: the session has ended at auth
    } catch (AuthUnavailable | RuntimeException e) {
      failure = e;
    }
    synchronized (this) {
      refreshing = null;
      if (failure == null && tokens == used) { // not signed out or in again meanwhile
        tokens = renewed.orElse(null);
      }
    }
    if (failure == null) {
      mine.complete(renewed);
      return renewed;
    }
    mine.completeExceptionally(failure);
    if (failure instanceof AuthUnavailable unavailable) {
      throw unavailable;
    }
    throw (RuntimeException) failure;
  }

  private Optional<Tokens> awaitRefresh(CompletableFuture<Optional<Tokens>> theirs)
      throws AuthUnavailable {
    Duration longest = auth.longestCall();
    try {
      return theirs.get(longest.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AuthUnavailable("auth did not renew the session's tokens within " + longest, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthUnavailable unavailable) {
        throw unavailable;
      }
      throw new AuthUnavailable("renewing the session's tokens failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuthUnavailable("interrupted while auth renewed the session's tokens", e);
    }
  }

  /** Forgets the tokens and ends the session at auth; the caller invalidates the HTTP session. */
  public void signOut() {
    Tokens ending;
    synchronized (this) {
      ending = tokens;
      tokens = null;
    }
    if (ending != null) {
      try {
        auth.logout(ending.refreshToken());
      } catch (Refused | AuthUnavailable ignored) {
        // The tokens are forgotten here either way; the refresh token expires on its own.
      }
    }
  }
}
