package teamchat.chatfront.bots.control;

import static teamchat.chatfront.accounts.control.AuthCalls.call;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.api.control.PersonalTokensClient;
import teamchat.contract.problems.Refused;

/**
 * The signed-in person's bots at auth, for the profile page: make one (and record it in chat, so
 * that it can be invited at once), list, delete, and make, list and revoke a bot's tokens (a token
 * is returned once, to be shown once and never kept). Each call proves the session with its refresh
 * token ({@link SignedInUser#withRefreshToken}). A deleted bot stays a chat user: its messages keep
 * its name and its badge.
 */
@ApplicationScoped
public class BotAccounts {

  @Inject @RestClient BotsClient auth;
  @Inject BotUsers botUsers;

  public List<BotsClient.Listed> of(SignedInUser user) throws Refused, AuthUnavailable {
    return user.withRefreshToken(
        refresh -> call(() -> auth.list(new PersonalTokensClient.SessionProof(refresh)).bots()));
  }

  public BotsClient.Listed create(SignedInUser user, String username, String displayName)
      throws Refused, AuthUnavailable {
    BotsClient.Listed made =
        user.withRefreshToken(
            refresh ->
                call(() -> auth.create(new BotsClient.NewBot(refresh, username, displayName))));
    botUsers.seen(made.id(), made.username(), made.displayName(), user.subject());
    return made;
  }

  public void delete(SignedInUser user, String bot) throws Refused, AuthUnavailable {
    user.withRefreshToken(
        refresh ->
            call(
                () -> {
                  auth.delete(bot, new PersonalTokensClient.SessionProof(refresh)).close();
                  return null;
                }));
  }

  public List<PersonalTokensClient.Listed> tokensOf(SignedInUser user, String bot)
      throws Refused, AuthUnavailable {
    return user.withRefreshToken(
        refresh ->
            call(
                () ->
                    auth.listTokens(bot, new PersonalTokensClient.SessionProof(refresh)).tokens()));
  }

  public PersonalTokensClient.Made createToken(
      SignedInUser user, String bot, String name, List<String> scopes, int days)
      throws Refused, AuthUnavailable {
    return user.withRefreshToken(
        refresh ->
            call(
                () ->
                    auth.createToken(
                        bot, new PersonalTokensClient.NewToken(refresh, name, scopes, days))));
  }

  public void revokeToken(SignedInUser user, String bot, String token)
      throws Refused, AuthUnavailable {
    user.withRefreshToken(
        refresh ->
            call(
                () -> {
                  auth.revokeToken(bot, token, new PersonalTokensClient.SessionProof(refresh))
                      .close();
                  return null;
                }));
  }
}
