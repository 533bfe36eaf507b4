package teamchat.auth.accounts.boundary;

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
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import teamchat.auth.accounts.control.Registration;
import teamchat.auth.accounts.entity.Account;
import teamchat.auth.tokens.boundary.ClientAddress;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/** Registration. */
@Path("accounts")
@Tag(name = "accounts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

  @Inject Registration registration;
  @Inject ClientAddress clientAddress;
  @Context HttpServletRequest request;

  /** What a new user sends. The display name is optional and defaults to the username. */
  public record NewAccount(
      String username, @JsonbProperty("display_name") String displayName, String password) {}

  /** An account as others may see it. */
  public record AccountView(
      UUID id, String username, @JsonbProperty("display_name") String displayName) {}

  @POST
  @Operation(summary = "Register a new account")
  @APIResponse(responseCode = "201", description = "Registered")
  @APIResponse(
      responseCode = "400",
      description =
          "A rule is broken: username_missing, username_invalid, display_name_invalid, password_missing,"
              + " password_too_short, password_too_long, password_common, password_contains_username,"
              + " malformed_request")
  @APIResponse(responseCode = "409", description = "username_taken")
  @APIResponse(
      responseCode = "429",
      description = "too_many_registrations from this address, with Retry-After")
  public Response register(NewAccount account) throws Refused {
    if (account == null) {
      throw ApiProblem.badRequest("malformed_request", "A JSON body is required.");
    }
    Account created =
        registration.register(
            account.username(),
            account.displayName(),
            account.password(),
            clientAddress.of(request));
    return Response.created(URI.create("accounts/" + created.id()))
        .entity(new AccountView(created.id(), created.username(), created.displayName()))
        .build();
  }
}
