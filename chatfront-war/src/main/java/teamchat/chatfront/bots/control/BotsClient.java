package teamchat.chatfront.bots.control;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import teamchat.chatfront.accounts.control.AuthAnswers;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.api.control.PersonalTokensClient;
import teamchat.contract.problems.Refused;

/**
 * auth's bot accounts of a signed-in person (auth's {@code accounts/me/bots}): the session is
 * proven by its refresh token in the body, as for personal tokens, whose records a bot's tokens
 * share. Same address and timeouts as {@code AuthClient} ({@code auth/mp-rest/}).
 */
@RegisterRestClient(configKey = "auth")
@RegisterProvider(AuthAnswers.class)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface BotsClient {

  record NewBot(
      @JsonbProperty("refresh_token") String refreshToken,
      String username,
      @JsonbProperty("display_name") String displayName) {}

  /** A bot as auth lists it to its owner. */
  record Listed(
      String id,
      String username,
      @JsonbProperty("display_name") String displayName,
      @JsonbProperty("created_at") Instant createdAt,
      @JsonbProperty("active_tokens") int activeTokens,
      @JsonbProperty("last_used_at") Instant lastUsedAt) {}

  record BotList(java.util.List<Listed> bots) {}

  @POST
  @Path("accounts/me/bots")
  Listed create(NewBot bot) throws Refused, AuthUnavailable;

  @POST
  @Path("accounts/me/bots/list")
  BotList list(PersonalTokensClient.SessionProof proof) throws Refused, AuthUnavailable;

  /** The answer (204) is closed by the caller. */
  @POST
  @Path("accounts/me/bots/{bot}/delete")
  Response delete(@PathParam("bot") String bot, PersonalTokensClient.SessionProof proof)
      throws Refused, AuthUnavailable;

  @POST
  @Path("accounts/me/bots/{bot}/tokens")
  PersonalTokensClient.Made createToken(
      @PathParam("bot") String bot, PersonalTokensClient.NewToken token)
      throws Refused, AuthUnavailable;

  @POST
  @Path("accounts/me/bots/{bot}/tokens/list")
  PersonalTokensClient.TokenList listTokens(
      @PathParam("bot") String bot, PersonalTokensClient.SessionProof proof)
      throws Refused, AuthUnavailable;

  /** The answer (204) is closed by the caller. */
  @POST
  @Path("accounts/me/bots/{bot}/tokens/{token}/revoke")
  Response revokeToken(
      @PathParam("bot") String bot,
      @PathParam("token") String token,
      PersonalTokensClient.SessionProof proof)
      throws Refused, AuthUnavailable;
}
