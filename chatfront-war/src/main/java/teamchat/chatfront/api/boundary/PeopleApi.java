package teamchat.chatfront.api.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import teamchat.chatfront.users.control.People;
import teamchat.contract.problems.Refused;

/**
 * People search: the web app's type-ahead for invitations (at most 10, never the directory); and
 * one person's profile by username: what chat shows of anyone to anyone (username, display name).
 */
@Path("people")
@Produces(MediaType.APPLICATION_JSON)
public class PeopleApi {

  @Inject People people;
  @Context SecurityContext security;

  public record Found(List<People.Found> people) {}

  /** What anyone may see of a person. */
  public record Profile(String username, @JsonbProperty("display_name") String displayName) {}

  @GET
  @Path("{username}")
  @RequiresScope(RequiresScope.READ)
  public Profile profile(@PathParam("username") String username) throws Refused {
    return people
        .byUsername(username)
        .map(person -> new Profile(person.username(), person.displayName()))
        .orElseThrow(
            () ->
                new Refused(
                    Response.Status.NOT_FOUND,
                    "user_unknown",
                    "No one by that username has signed in to chat yet."));
  }

  @GET
  @RequiresScope(RequiresScope.READ)
  public Found search(@QueryParam("q") @NotNull @Size(min = 1, max = People.MAX_QUERY) String q) {
    return new Found(people.search(security.getUserPrincipal().getName(), q));
  }
}
