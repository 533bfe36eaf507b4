package teamchat.chatfront.accounts.control;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import teamchat.contract.problems.Refused;

/**
 * auth's account and token endpoints, as chatfront calls them for people using the web app (see
 * docs/tokens.md; auth's META-INF/openapi.yaml describes each): a MicroProfile Rest Client, with
 * its address and timeouts under {@code auth/mp-rest/} in microprofile-config.properties. auth's
 * refusals arrive as {@link Refused}, its failures as {@link AuthUnavailable} ({@link
 * AuthAnswers}). Used through {@link AuthAccounts}.
 *
 * <p>Guarded by MicroProfile Fault Tolerance (applied to an injected Rest Client's interface, with
 * the settings as Config keys of this interface in microprofile-config.properties): a bulkhead per
 * method, so that a hung auth holds a bounded number of chatfront's request threads and its pages
 * and health keep answering; and a circuit per method that opens when auth stops answering, so that
 * sign-ins fail at once with "auth unavailable" instead of each waiting for the timeouts. Only a
 * call that got no answer counts ({@code failOn}): a refusal (a wrong password) is auth working,
 * and guessing passwords must never open the circuit for everyone.
 */
@RegisterRestClient(configKey = "auth")
@CircuitBreaker(failOn = ProcessingException.class)
@Bulkhead
@RegisterProvider(AuthAnswers.class)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface AuthClient {

  /** A new account; a null display name (left out of the JSON) lets auth use the username. */
  record NewAccount(
      String username, String password, @JsonbProperty("display_name") String displayName) {}

  record Credentials(String username, String password) {}

  record RefreshToken(@JsonbProperty("refresh_token") String refreshToken) {}

  /** A session's (refresh token, not used up by this) new display name. */
  record DisplayNameChange(
      @JsonbProperty("refresh_token") String refreshToken,
      @JsonbProperty("display_name") String displayName) {}

  /** A session's new password, with the current one. */
  record PasswordChange(
      @JsonbProperty("refresh_token") String refreshToken,
      @JsonbProperty("current_password") String currentPassword,
      @JsonbProperty("new_password") String newPassword) {}

  /** auth's answer to a password change or signing out everywhere: how many sessions it ended. */
  record SessionsEnded(@JsonbProperty("ended_sessions") int endedSessions) {}

  /** auth's answer to a sign-in or a refresh. */
  record TokenGrant(
      @JsonbProperty("access_token") String accessToken,
      @JsonbProperty("expires_in") long expiresIn,
      @JsonbProperty("refresh_token") String refreshToken) {}

  /**
   * The answer (201, the account as JSON) is of no use here; the caller closes it. Not {@code
   * void}: the Rest Client would try to read that body as {@code void}, and fail.
   */
  @POST
  @Path("accounts")
  Response register(NewAccount account) throws Refused, AuthUnavailable;

  /**
   * {@code forwardedFor}: the chain of addresses the request came through, so that auth throttles
   * password guessing per real client, not per chatfront.
   */
  @POST
  @Path("tokens")
  TokenGrant login(Credentials credentials, @HeaderParam("X-Forwarded-For") String forwardedFor)
      throws Refused, AuthUnavailable;

  @POST
  @Path("tokens/refresh")
  TokenGrant refresh(RefreshToken token) throws Refused, AuthUnavailable;

  /** The answer (204) is closed by the caller; {@code Response} for the reason above. */
  @POST
  @Path("tokens/revoke")
  Response revoke(RefreshToken token) throws Refused, AuthUnavailable;

  /**
   * The answer (200, the account) is closed by the caller; {@code Response} for the reason above.
   */
  @PUT
  @Path("accounts/me/display-name")
  Response changeDisplayName(DisplayNameChange change) throws Refused, AuthUnavailable;

  /**
   * {@code forwardedFor} as for {@link #login}: wrong current passwords are throttled like logins.
   */
  @PUT
  @Path("accounts/me/password")
  SessionsEnded changePassword(
      PasswordChange change, @HeaderParam("X-Forwarded-For") String forwardedFor)
      throws Refused, AuthUnavailable;

  @POST
  @Path("accounts/me/sign-out-everywhere")
  SessionsEnded signOutEverywhere(RefreshToken token) throws Refused, AuthUnavailable;
}
