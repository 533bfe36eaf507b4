package teamchat.chatfront.api.boundary;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import teamchat.chatfront.users.control.People;

/** People search: the web app's type-ahead for invitations (at most 10, never the directory). */
@Path("people")
@Produces(MediaType.APPLICATION_JSON)
public class PeopleApi {

  @Inject People people;
  @Context SecurityContext security;

  public record Found(List<People.Found> people) {}

  @GET
  @RequiresScope(RequiresScope.READ)
  public Found search(@QueryParam("q") @NotNull @Size(min = 1, max = People.MAX_QUERY) String q) {
    return new Found(people.search(security.getUserPrincipal().getName(), q));
  }
}
