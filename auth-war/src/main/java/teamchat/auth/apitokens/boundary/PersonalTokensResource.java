package teamchat.auth.apitokens.boundary;

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
import teamchat.auth.apitokens.control.PersonalTokens;
import teamchat.auth.apitokens.entity.PersonalToken;
import teamchat.auth.apitokens.entity.Scope;
import teamchat.auth.tokens.control.RefreshTokens;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * A signed-in person's personal access tokens: make one, list them, revoke one. As for the other
 * changes to one's own account, the session is proven by its current refresh token (not used up),
 * in the body; that is why listing is a POST. Described in docs/api.md and META-INF/openapi.yaml.
 */
@Path("accounts/me/personal-tokens")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PersonalTokensResource {

  @Inject RefreshTokens refreshTokens;
  @Inject PersonalTokens tokens;

  public record NewToken(
      @JsonbProperty("refresh_token") String refreshToken,
      String name,
      List<String> scopes,
      @JsonbProperty("expires_in_days") Integer expiresInDays) {}

  public record SessionProof(@JsonbProperty("refresh_token") String refreshToken) {}

  /** A token as listed: never the token itself. */
  public record TokenView(
      UUID id,
      String name,
      List<String> scopes,
      @JsonbProperty("created_at") Instant createdAt,
      @JsonbProperty("expires_at") Instant expiresAt,
      @JsonbProperty("last_used_at") Instant lastUsedAt,
      @JsonbProperty("revoked_at") Instant revokedAt,
      boolean active) {

    public static TokenView of(PersonalToken token) {
      return new TokenView(
          token.id(),
          token.name(),
          token.scopes().stream().map(Scope::word).toList(),
          token.created(),
          token.expires(),
          token.lastUsed(),
          token.revoked(),
          token.activeAt(Instant.now()));
    }
  }

  /** A token just made: the only answer that carries the token. */
  public record MadeToken(String token, @JsonbProperty("personal_token") TokenView listed) {}

  public record TokenList(List<TokenView> tokens) {}

  @POST
  public Response create(NewToken request) throws Refused {
    if (request == null || request.refreshToken() == null) {
      throw ApiProblem.badRequest("malformed_request", "refresh_token is required.");
    }
    UUID account = refreshTokens.sessionOf(request.refreshToken()).accountId();
    PersonalTokens.Made made =
        tokens.create(account, request.name(), request.scopes(), request.expiresInDays());
    return Response.status(Response.Status.CREATED)
        .entity(new MadeToken(made.token(), TokenView.of(made.listed())))
        .build();
  }

  @POST
  @Path("list")
  public TokenList list(SessionProof proof) throws Refused {
    return new TokenList(tokens.of(account(proof)).stream().map(TokenView::of).toList());
  }

  @POST
  @Path("{id}/revoke")
  public Response revoke(@PathParam("id") String id, SessionProof proof) throws Refused {
    UUID account = account(proof);
    UUID token;
    try {
      token = UUID.fromString(id);
    } catch (IllegalArgumentException notAnId) {
      throw new Refused(Response.Status.NOT_FOUND, "token_not_found", "You have no such token.");
    }
    tokens.revoke(account, token);
    return Response.noContent().build();
  }

  private UUID account(SessionProof proof) throws Refused {
    if (proof == null || proof.refreshToken() == null) {
      throw ApiProblem.badRequest("malformed_request", "refresh_token is required.");
    }
    return refreshTokens.sessionOf(proof.refreshToken()).accountId();
  }
}
