package teamchat.auth.profile.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import teamchat.auth.accounts.boundary.AccountsResource.AccountView;
import teamchat.auth.accounts.entity.Account;
import teamchat.auth.profile.control.ProfileChanges;
import teamchat.auth.tokens.boundary.ClientAddress;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * A signed-in person's own account: display name, password, and signing out everywhere. The caller
 * proves the session with its current refresh token, which is not used up. Described in
 * META-INF/openapi.yaml.
 */
@Path("accounts/me")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

  @Inject ProfileChanges changes;
  @Inject ClientAddress clientAddress;
  @Context HttpServletRequest request;

  public record DisplayNameChange(
      @JsonbProperty("refresh_token") String refreshToken,
      @JsonbProperty("display_name") String displayName) {}

  public record PasswordChange(
      @JsonbProperty("refresh_token") String refreshToken,
      @JsonbProperty("current_password") String currentPassword,
      @JsonbProperty("new_password") String newPassword) {}

  public record SessionProof(@JsonbProperty("refresh_token") String refreshToken) {}

  /** How many sessions a change ended: others for a password change, all for signing out. */
  public record SessionsEnded(@JsonbProperty("ended_sessions") int endedSessions) {}

  @PUT
  @Path("display-name")
  public AccountView changeDisplayName(DisplayNameChange change) throws Refused {
    if (change == null || change.refreshToken() == null) {
      throw ApiProblem.badRequest("malformed_request", "refresh_token is required.");
    }
    Account account = changes.changeDisplayName(change.refreshToken(), change.displayName());
    return new AccountView(account.id(), account.username(), account.displayName());
  }

  @PUT
  @Path("password")
  public SessionsEnded changePassword(PasswordChange change) throws Refused {
    if (change == null || change.refreshToken() == null) {
      throw ApiProblem.badRequest("malformed_request", "refresh_token is required.");
    }
    return new SessionsEnded(
        changes.changePassword(
            change.refreshToken(),
            change.currentPassword(),
            change.newPassword(),
            clientAddress.of(request)));
  }

  @POST
  @Path("sign-out-everywhere")
  public SessionsEnded signOutEverywhere(SessionProof proof) throws Refused {
    if (proof == null || proof.refreshToken() == null) {
      throw ApiProblem.badRequest("malformed_request", "refresh_token is required.");
    }
    return new SessionsEnded(changes.signOutEverywhere(proof.refreshToken()));
  }
}
