package teamchat.chatfront.commands.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.commands.boundary.CommandsApi.CommandList;
import teamchat.chatfront.commands.boundary.CommandsApi.NewCommand;
import teamchat.chatfront.commands.control.RoomCommands;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * A room's slash commands for the chat page's owner panel (commands.js), under {@code /session}:
 * the signed-in user from the session, the rules of {@link RoomCommands}, the answers of the public
 * API's {@link CommandsApi}. Changes carry {@code X-Chat-Request: 1}, as every session request that
 * changes something (CSRF).
 */
@Path("rooms/{room}/commands")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class CommandsSession {

  @Inject SignedInUser user;
  @Inject RoomCommands commands;

  @GET
  public CommandList list(@PathParam("room") long room) throws Refused, SQLException {
    return new CommandList(commands.list(user.subject(), room));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response register(
      @HeaderParam("X-Chat-Request") String marker,
      @PathParam("room") long room,
      @NotNull NewCommand command)
      throws Refused, SQLException {
    requireMarker(marker);
    return Response.status(Response.Status.CREATED)
        .entity(
            commands.register(user.subject(), room, command.name(), command.url(), command.bot()))
        .header("Cache-Control", "no-store")
        .build();
  }

  @DELETE
  @Path("{command}")
  public Response revoke(
      @HeaderParam("X-Chat-Request") String marker,
      @PathParam("room") long room,
      @PathParam("command") long command)
      throws Refused, SQLException {
    requireMarker(marker);
    commands.revoke(user.subject(), room, command);
    return Response.noContent().build();
  }

  private static void requireMarker(String marker) {
    if (!"1".equals(marker)) {
      throw new ApiProblem(
          Response.Status.FORBIDDEN, "csrf_marker_missing", "X-Chat-Request: 1 is required.");
    }
  }
}
