package teamchat.chatfront.api.control;

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
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import teamchat.chatfront.accounts.control.AuthAnswers;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.contract.problems.Refused;

/**
 * auth's personal access tokens of a signed-in person, as the profile page lists, makes and revokes
 * them (docs/api.md): the session is proven by its refresh token in the body. Same address and
 * timeouts as {@code AuthClient} ({@code auth/mp-rest/}).
 */
@RegisterRestClient(configKey = "auth")
@RegisterProvider(AuthAnswers.class)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface PersonalTokensClient {

  record SessionProof(@JsonbProperty("refresh_token") String refreshToken) {}

  record NewToken(
      @JsonbProperty("refresh_token") String refreshToken,
      String name,
      List<String> scopes,
      @JsonbProperty("expires_in_days") int expiresInDays) {}

  /** A token as auth lists it (never the token itself). */
  record Listed(
      String id,
      String name,
      List<String> scopes,
      @JsonbProperty("created_at") Instant createdAt,
      @JsonbProperty("expires_at") Instant expiresAt,
      @JsonbProperty("last_used_at") Instant lastUsedAt,
      @JsonbProperty("revoked_at") Instant revokedAt,
      boolean active) {}

  record TokenList(List<Listed> tokens) {}

  record Made(String token, @JsonbProperty("personal_token") Listed listed) {}

  @POST
  @Path("accounts/me/personal-tokens")
  Made create(NewToken token) throws Refused, AuthUnavailable;

  @POST
  @Path("accounts/me/personal-tokens/list")
  TokenList list(SessionProof proof) throws Refused, AuthUnavailable;

  /** The answer (204) is closed by the caller. */
  @POST
  @Path("accounts/me/personal-tokens/{id}/revoke")
  Response revoke(@PathParam("id") String id, SessionProof proof) throws Refused, AuthUnavailable;
}
