package teamchat.chatfront.api.control;

import static teamchat.chatfront.accounts.control.AuthCalls.call;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
}
