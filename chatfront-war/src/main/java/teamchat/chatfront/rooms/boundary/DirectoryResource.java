package teamchat.chatfront.rooms.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.rooms.control.RoomSummary;
import teamchat.chatfront.rooms.control.Rooms;
import teamchat.chatfront.users.control.People;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * What the chat screen's dialogs ask of chatfront (docs/web-app.md, "Conversations"): the public
 * rooms to join, people to start a conversation with, and making, joining or starting one. Every
 * answer that opens a room is that room as the sidebar lists it, so the page can add it and open it
 * in place. The rules are {@link Rooms}' (the same as the rooms page's forms); the person comes
 * from the session; changes carry {@code X-Chat-Request: 1} (CSRF, as in {@link SessionResource}).
 */
@Path("directory")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DirectoryResource {

  @Inject SignedInUser user;
  @Inject Rooms rooms;
  @Inject People people;

  /** A room to make: a name, an optional topic, public or private. */
  public record NewRoom(
      @NotNull @Size(max = 1000) String name,
      @Size(max = 1000) String topic,
      @JsonbProperty("public") boolean isPublic) {}

  /** The people to talk to, by username: one to seven others (the starter is always in). */
  public record NewConversation(@NotNull @Size(max = 16) List<@Size(max = 100) String> usernames) {}

  /** A public room the person has not joined. */
  public record PublicRoom(long id, String name, String topic) {}

  @GET
  @Path("rooms")
  public List<PublicRoom> publicRooms() {
    return rooms.publicRoomsToJoin(user.subject()).stream()
        .map(room -> new PublicRoom(room.id(), room.name(), room.topic()))
        .toList();
  }

  @POST
  @Path("rooms")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(
      @HeaderParam(SessionResource.CSRF_HEADER) String marker, @NotNull NewRoom room)
      throws Refused {
    requireMarker(marker);
    long id = rooms.create(user.subject(), room.name(), room.topic(), room.isPublic()).id();
    return Response.status(Response.Status.CREATED).entity(listed(id)).build();
  }

  @POST
  @Path("rooms/{room}/join")
  public RoomSummary join(
      @HeaderParam(SessionResource.CSRF_HEADER) String marker, @PathParam("room") long room)
      throws Refused {
    requireMarker(marker);
    rooms.join(user.subject(), room);
    return listed(room);
  }

  /** Opens the direct conversation of these people, made on first use. */
  @POST
  @Path("conversations")
  @Consumes(MediaType.APPLICATION_JSON)
  public RoomSummary converse(
      @HeaderParam(SessionResource.CSRF_HEADER) String marker,
      @NotNull NewConversation conversation)
      throws Refused {
    requireMarker(marker);
    return listed(rooms.conversation(user.subject(), conversation.usernames()));
  }

  /** People to pick, by name or username: usernames and display names only, a few at a time. */
  @GET
  @Path("people")
  public List<People.Found> people(@QueryParam("q") @Size(max = People.MAX_QUERY) String text) {
    return people.search(user.subject(), text);
  }

  /** The room as the person's sidebar lists it (title, counts, seqs). */
  private RoomSummary listed(long room) {
    return rooms.roomsOf(user.subject()).stream()
        .filter(summary -> summary.id() == room)
        .findFirst()
        .orElseThrow(
            () -> new ApiProblem(Response.Status.NOT_FOUND, "room_not_found", "No such room."));
  }

  private static void requireMarker(String marker) {
    if (!"1".equals(marker)) {
      throw new ApiProblem(
          Response.Status.FORBIDDEN,
          "csrf_marker_missing",
          SessionResource.CSRF_HEADER + ": 1 is required.");
    }
  }
}
