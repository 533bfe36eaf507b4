package teamchat.chatfront.api.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.contract.problems.Refused;

/**
 * The signed-in person's personal access tokens at auth, for the profile page: list, make (the
 * token is returned once, to be shown once and never kept), revoke. Each call proves the session
 * with its refresh token ({@link SignedInUser#withRefreshToken}).
 */
@ApplicationScoped
public class PersonalTokenAccounts {

  @Inject @RestClient PersonalTokensClient auth;

  public List<PersonalTokensClient.Listed> of(SignedInUser user) throws Refused, AuthUnavailable {
    return user.withRefreshToken(
        refresh -> call(() -> auth.list(new PersonalTokensClient.SessionProof(refresh)).tokens()));
  }

  public PersonalTokensClient.Made create(
      SignedInUser user, String name, List<String> scopes, int days)
      throws Refused, AuthUnavailable {
    return user.withRefreshToken(
        refresh ->
            call(
                () -> auth.create(new PersonalTokensClient.NewToken(refresh, name, scopes, days))));
  }

  public void revoke(SignedInUser user, String id) throws Refused, AuthUnavailable {
    user.withRefreshToken(
        refresh ->
            call(
                () -> {
                  auth.revoke(id, new PersonalTokensClient.SessionProof(refresh)).close();
                  return null;
                }));
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws Refused, AuthUnavailable;
  }

  /**
   * As AuthAccounts' calls: what the client library throws for an unreachable auth is
   * unavailability.
   */
  private static <T> T call(Call<T> call) throws Refused, AuthUnavailable {
    try {
      return call.run();
    } catch (WebApplicationException failed) {
      // Jersey's Rest Client hands over the checked exception of AuthAnswers wrapped in one.
      if (failed.getCause() instanceof Refused refused) {
        throw refused;
      }
      if (failed.getCause() instanceof AuthUnavailable unavailable) {
        throw unavailable;
      }
      throw new AuthUnavailable("auth answered " + failed.getMessage(), failed);
    } catch (ProcessingException unreachable) {
      throw new AuthUnavailable("auth did not answer: " + unreachable.getMessage(), unreachable);
    }
  }
}
