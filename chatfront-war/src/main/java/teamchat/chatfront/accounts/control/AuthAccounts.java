package teamchat.chatfront.accounts.control;

import static teamchat.chatfront.accounts.control.AuthCalls.call;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import teamchat.contract.problems.Refused;

/**
 * chatfront's calls to auth on behalf of people using the web app: register, log in, refresh, log
 * out (here or everywhere), change their display name or password (see docs/tokens.md). Passwords
 * pass through and are never kept or logged. An auth that cannot be reached, or answers what cannot
 * be read, is {@link AuthUnavailable}: nothing about the person is known from that attempt.
 */
@ApplicationScoped
public class AuthAccounts {

  @Inject @RestClient AuthClient auth;

  @Inject
  @ConfigProperty(name = "auth/mp-rest/connectTimeout")
  long connectTimeoutMillis;

  @Inject
  @ConfigProperty(name = "auth/mp-rest/readTimeout")
  long readTimeoutMillis;

  /** The longest one call to auth may take: to connect, then to read the answer. */
  public Duration longestCall() {
    return Duration.ofMillis(connectTimeoutMillis + readTimeoutMillis);
  }

  /** Registers an account; a blank display name lets auth use the username. */
  public void register(String username, String displayName, String password)
      throws Refused, AuthUnavailable {
    String shown = displayName == null || displayName.isBlank() ? null : displayName;
    call(
        () -> {
          auth.register(new AuthClient.NewAccount(nonNull(username), nonNull(password), shown))
              .close();
          return null;
        });
  }

  /**
   * Logs in. {@code forwardedFor} is the chain of addresses the request came through, so that auth
   * throttles password guessing per real client, not per chatfront.
   */
  public Tokens login(String username, String password, String forwardedFor)
      throws Refused, AuthUnavailable {
    return tokens(
        call(
            () ->
                auth.login(
                    new AuthClient.Credentials(nonNull(username), nonNull(password)),
                    forwardedFor)));
  }

  /** The next token pair of a session (the refresh token given is used up). */
  public Tokens refresh(String refreshToken) throws Refused, AuthUnavailable {
    return tokens(call(() -> auth.refresh(new AuthClient.RefreshToken(refreshToken))));
  }

  /** Ends the session of a refresh token at auth: its access tokens are refused within seconds. */
  public void logout(String refreshToken) throws Refused, AuthUnavailable {
    call(
        () -> {
          auth.revoke(new AuthClient.RefreshToken(refreshToken)).close();
          return null;
        });
  }

  /** Gives the session's account a new display name; the next refresh's token carries it. */
  public void changeDisplayName(String refreshToken, String displayName)
      throws Refused, AuthUnavailable {
    call(
        () -> {
          auth.changeDisplayName(
                  new AuthClient.DisplayNameChange(refreshToken, nonNull(displayName)))
              .close();
          return null;
        });
  }

  /**
   * Replaces the session's password; auth ends every other session of the account.
   *
   * @return how many other sessions were ended
   */
  public int changePassword(
      String refreshToken, String currentPassword, String newPassword, String forwardedFor)
      throws Refused, AuthUnavailable {
    return call(() ->
            auth.changePassword(
                new AuthClient.PasswordChange(
                    refreshToken, nonNull(currentPassword), nonNull(newPassword)),
                forwardedFor))
        .endedSessions();
  }

  /** Ends every session of the account, this one included. */
  public void signOutEverywhere(String refreshToken) throws Refused, AuthUnavailable {
    call(() -> auth.signOutEverywhere(new AuthClient.RefreshToken(refreshToken)));
  }

  private static Tokens tokens(AuthClient.TokenGrant grant) throws AuthUnavailable {
    try {
      return Tokens.of(grant.accessToken(), grant.expiresIn(), grant.refreshToken());
    } catch (RuntimeException unreadable) {
      throw new AuthUnavailable("auth sent an unreadable token response", unreadable);
    }
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}
