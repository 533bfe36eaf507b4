package teamchat.chatfront.messages.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import teamchat.chatfront.ChatfrontApi;
import teamchat.chatfront.messages.control.MessageHistory;
import teamchat.chatfront.messages.control.OutsideStoreFeed;
import teamchat.chatfront.rooms.control.Rooms;
import teamchat.chatfront.security.boundary.TokenGroups;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.OutsideStores;
import teamchat.contract.problems.ApiProblem;

/**
 * chatserv's way to the chat data (chatserv's assertion, group {@code chat-service}). chatserv
 * speaks for the users it verified; chatfront still checks each one's membership. Its batches are
 * stored by {@link StoreBatchServlet}, outside JAX-RS (see there why).
 *
 * <p>Application-scoped: it holds no state of a request, and without a scope Jersey had CDI make it
 * anew for every request, with its injections and its interceptors' instances (11% of chatfront's
 * CPU samples on the store path, issue 18).
 */
@ApplicationScoped
@Path("")
@TokenGroups(ChatfrontApi.SERVICE)
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

  @Inject MessageHistory history;
  @Inject Rooms rooms;
  @Inject OutsideStoreFeed outsideStores;

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
    if (!rooms.isMember(member, room)) {
      throw new ApiProblem(
          Response.Status.FORBIDDEN, "not_a_member", "The user is not a member of this room.");
    }
    return after != null ? history.after(room, after, limit) : history.before(room, before, limit);
  }

  /**
   * A thread: the message it hangs on, then its replies after {@code after} in seq order. 404 for
   * someone who is not a member ({@code not_a_member}: like a room, a thread is not shown to
   * strangers) and for an id that is no message of the room starting a thread ({@code
   * no_such_thread}).
   */
  @GET
  @Path("rooms/{room}/threads/{id}")
  public MessagePage thread(
      @PathParam("room") @Min(1) long room,
      @PathParam("id") @Min(1) long id,
      @QueryParam("member") @NotNull @Size(min = 1, max = 64) String member,
      @QueryParam("after") @DefaultValue("0") @PositiveOrZero long after,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(MessagePage.MAX_LIMIT) int limit) {
    if (!rooms.isMember(member, room)) {
      throw new ApiProblem(
          Response.Status.NOT_FOUND, "not_a_member", "The user is not a member of this room.");
    }
    return history
        .thread(room, id, after, limit)
        .orElseThrow(
            () ->
                new ApiProblem(
                    Response.Status.NOT_FOUND, "no_such_thread", "No such thread in this room."));
  }

  /**
   * chatserv's feed of entries stored outside chatserv (API posts, webhooks, bots): {@code GET
   * /api/messages/outside?after=N&wait_ms=M} answers at once with the notices after position {@code
   * N}, or waits up to {@code M} ms (at most 25 s) for one and then answers with none.
   */
  @GET
  @Path("messages/outside")
  public void outsideStores(
      @QueryParam("after") @DefaultValue("0") @PositiveOrZero long after,
      @QueryParam("wait_ms") @DefaultValue("0") @PositiveOrZero long waitMillis,
      @Suspended AsyncResponse response)
      throws SQLException {
    Duration wait = Duration.ofMillis(Math.min(waitMillis, OutsideStoreFeed.MAX_WAIT.toMillis()));
    // A safety net only: the feed answers by the deadline itself.
    response.setTimeoutHandler(late -> late.resume(new OutsideStores(List.of(), after)));
    response.setTimeout(wait.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    outsideStores.await(after, wait, response::resume);
  }
}
