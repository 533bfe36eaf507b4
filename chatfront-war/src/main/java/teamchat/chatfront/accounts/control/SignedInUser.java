package teamchat.chatfront.accounts.control;

import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.core.Response;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import teamchat.chatfront.web.SessionChanges;
import teamchat.contract.problems.Refused;

/**
 * Who is signed in to this browser session, and their tokens. The refresh token stays here, on the
 * server: the browser holds only the session cookie ({@code HttpOnly}) and, on the chat page, a
 * short-lived access token for chatserv.
 *
 * <p>No lock is held while auth is called: the session's other requests (page views, the chat
 * page's token) read the tokens at once however long auth takes, and a request that needs the
 * refresh another one started waits for it no longer than that call itself may take.
 *
 * <p>With several chatfront instances the session, and this bean in it, lives in the Data Grid:
 * every change of the tokens is reported to {@link SessionChanges}, so that the instance that
 * serves the session's next request sees it (docs/scaling.md).
 */
@Named
@SessionScoped
public class SignedInUser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** An access token handed to a page must stay valid at least this long. */
  static final Duration MIN_REMAINING = Duration.ofMinutes(2);

  @Inject AuthAccounts auth;
  @Inject SessionChanges changes;

  private Tokens tokens;

  /**
   * The call to auth with this session's refresh token in progress (a refresh, a profile change),
   * if any. One at a time: refresh tokens are single-use, and two tabs refreshing with the same one
   * would look like theft to auth, which then ends the session. Not kept when the session is
   * stored: a call belongs to a running request.
   */
  private transient CompletableFuture<Void> inUse;

  public synchronized boolean isSignedIn() {
    return tokens != null;
  }

  public void signIn(Tokens tokens) {
    synchronized (this) {
      this.tokens = tokens;
    }
    changes.changed();
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
  public void ended() {
    synchronized (this) {
      tokens = null;
    }
    changes.changed();
  }

  /**
   * An access token valid for at least two more minutes, renewed with the refresh token when the
   * current one is older: by this request, or by the one that started the renewal already.
   *
   * @return empty when the session has ended at auth (logged out elsewhere, expired, revoked)
   */
  public Optional<Tokens> freshTokens() throws AuthUnavailable {
    synchronized (this) {
      if (tokens != null && Instant.now().plus(MIN_REMAINING).isBefore(tokens.accessExpires())) {
        return Optional.of(tokens); // the usual case: nothing to ask auth, nobody to wait for
      }
    }
    try {
      return alone(
          used -> {
            if (Instant.now().plus(MIN_REMAINING).isBefore(used.accessExpires())) {
              return Optional.of(used); // renewed by the call this one waited for
            }
            return renewed(used);
          });
    } catch (Refused signedOut) {
      return Optional.empty();
    }
  }

  /**
   * Changes the display name at auth, then takes the next token pair at once so that pages and the
   * chat socket carry the new name.
   *
   * @return the session's tokens with the new name
   */
  public Tokens changeDisplayName(String displayName) throws Refused, AuthUnavailable {
    return alone(
        used -> {
          auth.changeDisplayName(used.refreshToken(), displayName);
          return renewed(used).orElseThrow(SignedInUser::signedOut);
        });
  }

  /**
   * Changes the password at auth, which signs the person out of every other session.
   *
   * @return how many other sessions were ended
   */
  public int changePassword(String currentPassword, String newPassword, String forwardedFor)
      throws Refused, AuthUnavailable {
    return alone(
        used ->
            auth.changePassword(used.refreshToken(), currentPassword, newPassword, forwardedFor));
  }

  /**
   * Ends every session of the person at auth, this one included, and forgets the tokens; the caller
   * invalidates the HTTP session. Other browsers' pages follow within seconds.
   */
  public void signOutEverywhere() throws Refused, AuthUnavailable {
    alone(
        used -> {
          auth.signOutEverywhere(used.refreshToken());
          forget(used);
          return null;
        });
  }

  /**
   * A call to auth that proves this session with its refresh token (not used up), such as the
   * profile page's personal access tokens (issue 20); alone, as every call with the session's
   * tokens is.
   */
  public <T> T withRefreshToken(RefreshTokenCall<T> call) throws Refused, AuthUnavailable {
    return alone(used -> call.run(used.refreshToken()));
  }

  /** A call to auth given the session's refresh token. */
  @FunctionalInterface
  public interface RefreshTokenCall<T> {
    T run(String refreshToken) throws Refused, AuthUnavailable;
  }

  /** A call to auth with the session's tokens. */
  @FunctionalInterface
  private interface TokenCall<T> {
    T run(Tokens used) throws Refused, AuthUnavailable;
  }

  /**
   * Runs {@code call} with the session's tokens, and no other call with them at the same time; no
   * lock is held while auth is asked. A request that finds another one's call in progress waits for
   * it at most {@link AuthAccounts#longestCall()} in all (what its own call may take), then hears
   * that auth is unavailable. auth's 401 means the session has ended there: it is forgotten.
   *
   * @throws Refused {@code signed_out} when there are no tokens (any more)
   */
  private <T> T alone(TokenCall<T> call) throws Refused, AuthUnavailable {
    long deadline = System.nanoTime() + auth.longestCall().toNanos();
    while (true) {
      CompletableFuture<Void> theirs;
      CompletableFuture<Void> mine = new CompletableFuture<>();
      Tokens used;
      synchronized (this) {
        if (tokens == null) {
          throw signedOut();
        }
        used = tokens;
        theirs = inUse;
        if (theirs == null) {
          inUse = mine;
        }
      }
      if (theirs != null) {
        awaitOther(theirs, deadline - System.nanoTime());
        continue; // look again: the session's tokens may have changed meanwhile
      }
      try {
        return call.run(used);
      } catch (Refused refused) {
        if (refused.status() == Response.Status.UNAUTHORIZED.getStatusCode()) {
          forget(used);
        }
        throw refused;
      } finally {
        synchronized (this) {
          inUse = null;
        }
        mine.complete(null);
      }
    }
  }

  /** The next token pair for {@code used}, kept unless the person signed out or in meanwhile. */
  private Optional<Tokens> renewed(Tokens used) throws AuthUnavailable {
    Tokens next;
    try {
      next = auth.refresh(used.refreshToken());
    } catch (Refused ended) {
      forget(used);
      return Optional.empty();
    }
    boolean kept;
    synchronized (this) {
      kept = tokens == used;
      if (kept) {
        tokens = next;
      }
    }
    if (kept) {
      changes.changed();
    }
    return Optional.of(next);
  }

  private void forget(Tokens used) {
    boolean forgotten;
    synchronized (this) {
      forgotten = tokens == used;
      if (forgotten) {
        tokens = null;
      }
    }
    if (forgotten) {
      changes.changed();
    }
  }

  private static void awaitOther(CompletableFuture<Void> theirs, long nanosLeft)
      throws AuthUnavailable {
    try {
      theirs.get(Math.max(0, nanosLeft), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AuthUnavailable("another request of this session is still waiting on auth", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("never completed exceptionally", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuthUnavailable("interrupted while waiting on auth", e);
    }
  }

  private static Refused signedOut() {
    return new Refused(Response.Status.UNAUTHORIZED, "signed_out", "Sign in again.");
  }

  /** Forgets the tokens and ends the session at auth; the caller invalidates the HTTP session. */
  public void signOut() {
    Tokens ending;
    synchronized (this) {
      ending = tokens;
      tokens = null;
    }
    changes.changed();
    if (ending != null) {
      try {
        auth.logout(ending.refreshToken());
      } catch (Refused | AuthUnavailable ignored) {
        // The tokens are forgotten here either way; the refresh token expires on its own.
      }
    }
  }
}
