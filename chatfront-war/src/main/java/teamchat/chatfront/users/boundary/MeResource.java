package teamchat.chatfront.users.boundary;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import teamchat.chatfront.ChatfrontApi;

/** Who the bearer of the token is, as chatfront sees them. */
@Path("me")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

  @Inject JsonWebToken token;

  public record Me(String subject, String username) {}

  @GET
  @RolesAllowed(ChatfrontApi.USER)
  public Me me() {
    return new Me(token.getSubject(), token.getName());
  }
}
