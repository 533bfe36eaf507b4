package teamchat.chatfront.messages.boundary;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import teamchat.chatfront.ChatfrontApi;
import teamchat.chatfront.messages.control.MessageHistory;
import teamchat.chatfront.messages.control.MessageStore;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.RoomMembership;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoreResult;
import teamchat.contract.problems.ApiProblem;

/**
 * chatserv's way to the chat data (service token, group {@code chat-service}). chatserv speaks for
 * the users it verified; chatfront still checks each one's membership.
 */
@Path("")
@RolesAllowed(ChatfrontApi.SERVICE)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

  /** Concurrent batches rarely collide on a client id; one more try then finds the original. */
  private static final int ATTEMPTS = 3;

  @Inject MessageStore store;
  @Inject MessageHistory history;

  @POST
  @Path("messages/batch")
  public StoreResult store(@NotNull @Valid StoreBatch batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        List<StoreOutcome> outcomes = store.store(batch.messages());
        return new StoreResult(outcomes);
      } catch (SQLException | RuntimeException e) {
        if (attempt >= ATTEMPTS || !uniqueViolation(e)) {
          throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
      }
    }
  }

  @GET
  @Path("rooms/{room}/messages")
  public MessagePage read(
      @PathParam("room") @Min(1) long room,
      @QueryParam("member") @NotNull @Size(min = 1, max = 64) String member,
      @QueryParam("after") @PositiveOrZero Long after,
      @QueryParam("before") @Min(1) Long before,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(MessagePage.MAX_LIMIT) int limit) {
    if ((after == null) == (before == null)) {
      throw ApiProblem.badRequest("invalid_request", "Give exactly one of after and before.");
    }
    if (!history.isMember(member, room)) {
      throw new ApiProblem(
          Response.Status.FORBIDDEN, "not_a_member", "The user is not a member of this room.");
    }
    return after != null ? history.after(room, after, limit) : history.before(room, before, limit);
  }

  @GET
  @Path("users/{subject}/rooms")
  public List<RoomMembership> rooms(@PathParam("subject") @Size(min = 1, max = 64) String subject) {
    return history.roomsOf(subject);
  }

  private static boolean uniqueViolation(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
