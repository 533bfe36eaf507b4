package teamchat.auth.apitokens.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import teamchat.auth.apitokens.control.ChatfrontAssertions;
import teamchat.auth.apitokens.control.PersonalTokens;
import teamchat.contract.problems.Refused;

/**
 * RFC 7662 token introspection of personal access tokens, for chatfront alone: the caller proves it
 * is chatfront with its own signed assertion as the bearer ({@link ChatfrontAssertions}); anyone
 * else gets 401 and learns nothing of the token. An inactive token (unknown, revoked, expired,
 * malformed) is {@code {"active": false}} and nothing more. nginx does not route this path.
 */
@Path("tokens/introspect")
public class IntrospectionResource {

  private static final String BEARER = "Bearer ";

  /** The longest token worth looking up: a personal token is 47 characters. */
  private static final int MAX_TOKEN = 256;

  @Inject ChatfrontAssertions chatfront;
  @Inject PersonalTokens tokens;

  /**
   * RFC 7662's answer: {@code active}, and for an active token who and what it is for (JSON-B
   * leaves the nulls of an inactive one out). {@code name} is the holder's display name; a bot's
   * token also carries {@code bot_owner}, the subject of the person who owns the bot (absent for a
   * person's token), so that chat can mark the bot and know whose it is.
   */
  public record Answer(
      boolean active,
      String scope,
      String sub,
      String username,
      String name,
      @JsonbProperty("bot_owner") String botOwner,
      Long exp,
      @JsonbProperty("token_type") String tokenType) {
    static final Answer INACTIVE = new Answer(false, null, null, null, null, null, null, null);
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  public Answer introspect(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @FormParam("token") String token)
      throws Refused {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw unauthorized();
    }
    if (!chatfront.isChatfront(authorization.substring(BEARER.length()))) {
      throw unauthorized();
    }
    if (token == null || token.length() > MAX_TOKEN) {
      return Answer.INACTIVE;
    }
    return tokens
        .introspect(token)
        .map(
            found ->
                new Answer(
                    true,
                    PersonalTokens.words(found.scopes()),
                    found.accountId().toString(),
                    found.username(),
                    found.displayName(),
                    found.botOwner() == null ? null : found.botOwner().toString(),
                    found.expires().getEpochSecond(),
                    "Bearer"))
        .orElse(Answer.INACTIVE);
  }

  private static Refused unauthorized() {
    return new Refused(
        Response.Status.UNAUTHORIZED, "caller_invalid", "Only chatfront may introspect tokens.");
  }
}
