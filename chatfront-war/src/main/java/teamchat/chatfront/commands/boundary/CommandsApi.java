package teamchat.chatfront.commands.boundary;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.sql.SQLException;
import java.util.List;
import teamchat.chatfront.api.boundary.RequiresScope;
import teamchat.chatfront.commands.control.RoomCommands;
import teamchat.chatfront.commands.entity.RegisteredCommand;
import teamchat.chatfront.commands.entity.RoomCommand;
import teamchat.contract.problems.Refused;

/**
 * A room's slash commands in the public API ({@code /api/v1/rooms/{room}/commands}), for the room's
 * owners: listed with a read token, registered and revoked with a write token. The rules are {@link
 * RoomCommands}'.
 */
@Path("rooms/{room}/commands")
@Produces(MediaType.APPLICATION_JSON)
public class CommandsApi {

  @Inject RoomCommands commands;
  @Context SecurityContext security;

  /** A command to register: its name ({@code deploy} or {@code /deploy}), target URL and bot. */
  public record NewCommand(String name, String url, String bot) {}

  public record CommandList(List<RoomCommand> commands) {}

  @GET
  @RequiresScope(RequiresScope.READ)
  public CommandList list(@PathParam("room") long room) throws Refused, SQLException {
    return new CommandList(commands.list(me(), room));
  }

  /** 201 with the command and its secret: the only answer that ever holds the secret. */
  @POST
  @RequiresScope(RequiresScope.WRITE)
  @Consumes(MediaType.APPLICATION_JSON)
  public Response register(@PathParam("room") long room, @NotNull NewCommand command)
      throws Refused, SQLException {
    RegisteredCommand registered =
        commands.register(me(), room, command.name(), command.url(), command.bot());
    return Response.status(Response.Status.CREATED).entity(registered).build();
  }

  @DELETE
  @Path("{command}")
  @RequiresScope(RequiresScope.WRITE)
  public Response revoke(@PathParam("room") long room, @PathParam("command") long command)
      throws Refused, SQLException {
    commands.revoke(me(), room, command);
    return Response.noContent().build();
  }

  private String me() {
    return security.getUserPrincipal().getName();
  }
}
