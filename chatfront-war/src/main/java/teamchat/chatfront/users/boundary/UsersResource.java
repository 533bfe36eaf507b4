package teamchat.chatfront.users.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import teamchat.chatfront.ChatfrontApi;
import teamchat.chatfront.rooms.control.Rooms;
import teamchat.chatfront.security.boundary.TokenGroups;
import teamchat.chatfront.users.control.People;
import teamchat.contract.accounts.Usernames;
import teamchat.contract.messages.RoomMembership;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.text.Text;

/**
 * People as chatserv sees them (chatserv's assertion): the rooms of a user, and who signed in over
 * a socket. chatserv reports each person it verified ({@code PUT /api/users/{subject}}, names from
 * their verified token), so that someone who has only ever used the chat over the socket can be
 * invited and messaged like someone who signed in to the web app.
 */
@Path("users")
@TokenGroups(ChatfrontApi.SERVICE)
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

  @Inject People people;
  @Inject Rooms rooms;

  /** A person as their verified token names them. */
  public record KnownUser(
      @NotNull @Size(max = Usernames.MAX_LENGTH) String username,
      @JsonbProperty("display_name") @NotNull @Text(max = 64) String displayName) {}

  @GET
  @Path("{subject}/rooms")
  public List<RoomMembership> rooms(
      @PathParam("subject") @Size(min = 1, max = 64) @Text(max = 64) String subject) {
    return rooms.membershipsOf(subject);
  }

  /** Records (or brings up to date) a person chatserv verified. Idempotent. */
  @PUT
  @Path("{subject}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response known(
      @PathParam("subject") @Text(max = 64) String subject, @NotNull @Valid KnownUser user) {
    if (!Usernames.isValid(user.username())) {
      throw ApiProblem.badRequest("invalid_request", "Invalid: username.");
    }
    people.signedIn(subject, user.username(), user.displayName());
    return Response.noContent().build();
  }
}
