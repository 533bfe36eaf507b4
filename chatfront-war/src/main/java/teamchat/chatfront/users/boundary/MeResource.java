package teamchat.chatfront.users.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import teamchat.chatfront.ChatfrontApi;
import teamchat.chatfront.security.boundary.TokenGroups;
import teamchat.chatfront.security.boundary.TokenPolicy;

/** Who the bearer of the token is, as chatfront sees them. */
@Path("me")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

  public record Me(String subject, String username) {}

  @GET
  @TokenGroups(ChatfrontApi.USER)
  public Me me(@Context SecurityContext security) {
    TokenPolicy.Caller caller = (TokenPolicy.Caller) security.getUserPrincipal();
    return new Me(caller.token().subject(), caller.token().username());
  }
}
