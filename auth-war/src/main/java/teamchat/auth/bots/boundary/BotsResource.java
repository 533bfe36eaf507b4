package teamchat.auth.bots.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import teamchat.auth.apitokens.boundary.PersonalTokensResource.MadeToken;
import teamchat.auth.apitokens.boundary.PersonalTokensResource.NewToken;
import teamchat.auth.apitokens.boundary.PersonalTokensResource.SessionProof;
import teamchat.auth.apitokens.boundary.PersonalTokensResource.TokenList;
import teamchat.auth.apitokens.boundary.PersonalTokensResource.TokenView;
import teamchat.auth.apitokens.control.PersonalTokens;
import teamchat.auth.bots.control.Bots;
import teamchat.auth.bots.entity.Bot;
import teamchat.auth.tokens.control.RefreshTokens;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * A signed-in person's bots: make one, list them, delete one, and make, list and revoke a bot's
 * tokens. As for personal tokens, the session is proven by its current refresh token (not used up)
 * in the body, so listing is a POST too; a bot has no session, so only a person gets past it.
 * Described in docs/api.md ("Bot accounts") and META-INF/openapi.yaml.
 */
@Path("accounts/me/bots")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BotsResource {

  @Inject RefreshTokens refreshTokens;
  @Inject Bots bots;
  @Inject PersonalTokens tokens;

  public record NewBot(
      @JsonbProperty("refresh_token") String refreshToken,
      String username,
      @JsonbProperty("display_name") String displayName) {}

  /** A bot as its owner lists it: its active tokens counted, the last use of any of them. */
  public record BotView(
      UUID id,
      String username,
      @JsonbProperty("display_name") String displayName,
      @JsonbProperty("created_at") Instant createdAt,
      @JsonbProperty("active_tokens") int activeTokens,
      @JsonbProperty("last_used_at") Instant lastUsedAt) {

    static BotView of(Bot bot) {
      return new BotView(
          bot.id(), bot.username(), bot.displayName(), bot.created(), bot.tokens(), bot.lastUsed());
    }
  }

  public record BotList(List<BotView> bots) {}

  @POST
  public Response create(NewBot request) throws Refused {
    if (request == null || request.refreshToken() == null) {
      throw ApiProblem.badRequest("malformed_request", "refresh_token is required.");
    }
    UUID owner = refreshTokens.sessionOf(request.refreshToken()).accountId();
    Bot made = bots.create(owner, request.username(), request.displayName());
    return Response.status(Response.Status.CREATED).entity(BotView.of(made)).build();
  }

  @POST
  @Path("list")
  public BotList list(SessionProof proof) throws Refused {
    return new BotList(bots.of(owner(proof)).stream().map(BotView::of).toList());
  }

  @POST
  @Path("{bot}/delete")
  public Response delete(@PathParam("bot") String bot, SessionProof proof) throws Refused {
    UUID owner = owner(proof);
    bots.delete(owner, id(bot, "bot_not_found", "You have no such bot."));
    return Response.noContent().build();
  }

  /** A token for the bot, shown once in this answer, as a personal token is to its owner. */
  @POST
  @Path("{bot}/tokens")
  public Response createToken(@PathParam("bot") String bot, NewToken request) throws Refused {
    if (request == null || request.refreshToken() == null) {
      throw ApiProblem.badRequest("malformed_request", "refresh_token is required.");
    }
    UUID owner = refreshTokens.sessionOf(request.refreshToken()).accountId();
    Bot owned = ownedBot(owner, bot);
    PersonalTokens.Made made =
        tokens.create(owned.id(), request.name(), request.scopes(), request.expiresInDays());
    return Response.status(Response.Status.CREATED)
        .entity(new MadeToken(made.token(), TokenView.of(made.listed())))
        .build();
  }

  @POST
  @Path("{bot}/tokens/list")
  public TokenList listTokens(@PathParam("bot") String bot, SessionProof proof) throws Refused {
    Bot owned = ownedBot(owner(proof), bot);
    return new TokenList(tokens.of(owned.id()).stream().map(TokenView::of).toList());
  }

  @POST
  @Path("{bot}/tokens/{token}/revoke")
  public Response revokeToken(
      @PathParam("bot") String bot, @PathParam("token") String token, SessionProof proof)
      throws Refused {
    Bot owned = ownedBot(owner(proof), bot);
    tokens.revoke(owned.id(), id(token, "token_not_found", "You have no such token."));
    return Response.noContent().build();
  }

  private Bot ownedBot(UUID owner, String bot) throws Refused {
    return bots.owned(owner, id(bot, "bot_not_found", "You have no such bot."));
  }

  private UUID owner(SessionProof proof) throws Refused {
    if (proof == null || proof.refreshToken() == null) {
      throw ApiProblem.badRequest("malformed_request", "refresh_token is required.");
    }
    return refreshTokens.sessionOf(proof.refreshToken()).accountId();
  }

  private static UUID id(String text, String code, String sentence) throws Refused {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException notAnId) {
      throw new Refused(Response.Status.NOT_FOUND, code, sentence);
    }
  }
}
