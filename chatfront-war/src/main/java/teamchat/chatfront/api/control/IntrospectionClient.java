package teamchat.chatfront.api.control;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import teamchat.chatfront.accounts.control.AuthAnswers;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.contract.problems.Refused;

/**
 * auth's RFC 7662 introspection of personal access tokens, which only chatfront may call (its own
 * assertion as the bearer): a MicroProfile Rest Client with its address and short timeouts under
 * {@code auth-introspection/mp-rest/} in microprofile-config.properties, so that an API request
 * waits little on a hung auth. Used through {@link PersonalTokenChecks}.
 */
@RegisterRestClient(configKey = "auth-introspection")
@RegisterProvider(AuthAnswers.class)
@Produces(MediaType.APPLICATION_JSON)
public interface IntrospectionClient {

  /**
   * auth's answer: for an inactive token only {@code active}, false. {@code name} is the holder's
   * display name; {@code bot_owner} the owner's subject when the holder is a bot account.
   */
  record Introspection(
      boolean active,
      String scope,
      String sub,
      String username,
      String name,
      @JsonbProperty("bot_owner") String botOwner,
      Long exp,
      @JsonbProperty("token_type") String tokenType) {}

  @POST
  @Path("tokens/introspect")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  Introspection introspect(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String assertion, @FormParam("token") String token)
      throws Refused, AuthUnavailable;
}
