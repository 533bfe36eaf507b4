package teamchat.auth.tokens.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import teamchat.auth.tokens.control.AccessTokens;
import teamchat.auth.tokens.control.Login;
import teamchat.auth.tokens.control.RefreshTokens;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/** Login, refresh and logout. The flows are described in docs/tokens.md. */
@Path("tokens")
@Tag(name = "tokens")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TokensResource {

  @Inject Login login;
  @Inject RefreshTokens refreshTokens;
  @Inject AccessTokens accessTokens;
  @Inject ClientAddress clientAddress;
  @Context HttpServletRequest request;

  public record Credentials(String username, String password) {}

  public record RefreshRequest(@JsonbProperty("refresh_token") String refreshToken) {}

  /** The OAuth 2 token response shape, so that any client library reads it. */
  public record TokenResponse(
      @JsonbProperty("access_token") String accessToken,
      @JsonbProperty("token_type") String tokenType,
      @JsonbProperty("expires_in") long expiresIn,
      @JsonbProperty("refresh_token") String refreshToken,
      @JsonbProperty("refresh_expires_in") Long refreshExpiresIn) {}

  @POST
  @Operation(summary = "Log in with username and password")
  @APIResponse(responseCode = "200", description = "An access token and a refresh token")
  @APIResponse(
      responseCode = "401",
      description = "invalid_credentials (unknown user or wrong password alike)")
  @APIResponse(responseCode = "429", description = "too_many_attempts, with Retry-After")
  public TokenResponse login(Credentials credentials) throws Refused {
    if (credentials == null) {
      throw ApiProblem.badRequest("malformed_request", "A JSON body is required.");
    }
    return response(
        login.login(credentials.username(), credentials.password(), clientAddress.of(request)));
  }

  @POST
  @Path("refresh")
  @Operation(
      summary = "Exchange a refresh token for a new token pair (the old refresh token is used up)")
  @APIResponse(responseCode = "200", description = "A new access token and refresh token")
  @APIResponse(
      responseCode = "401",
      description =
          "refresh_token_invalid, refresh_token_expired, session_revoked, or refresh_token_reused (the session is"
              + " revoked)")
  public TokenResponse refresh(RefreshRequest refresh) throws Refused {
    if (refresh == null || refresh.refreshToken() == null) {
      throw ApiProblem.badRequest("malformed_request", "refresh_token is required.");
    }
    return response(login.refresh(refresh.refreshToken()));
  }

  @POST
  @Path("revoke")
  @Operation(summary = "Log out: revoke the session of a refresh token")
  @APIResponse(responseCode = "204", description = "Revoked (also for unknown tokens)")
  public Response revoke(RefreshRequest refresh) {
    if (refresh == null || refresh.refreshToken() == null) {
      throw ApiProblem.badRequest("malformed_request", "refresh_token is required.");
    }
    refreshTokens.revokeSessionOf(refresh.refreshToken());
    return Response.noContent().build();
  }

  private static TokenResponse response(Login.Tokens tokens) {
    return new TokenResponse(
        tokens.accessToken(),
        "Bearer",
        tokens.accessLifetime().toSeconds(),
        tokens.refreshToken(),
        tokens.refreshLifetime().toSeconds());
  }
}
