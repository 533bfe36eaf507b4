package teamchat.chatfront.rooms.boundary;

import jakarta.inject.Inject;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import teamchat.chatfront.ChatfrontApi;
import teamchat.chatfront.rooms.control.MembershipFeed;
import teamchat.chatfront.security.boundary.TokenGroups;
import teamchat.contract.messages.MembershipChanges;

/**
 * chatserv's feed of ended memberships (chatserv's assertion): {@code GET
 * /api/memberships/changes?after=N&wait_ms=M} answers at once with the changes after {@code N}, or
 * waits up to {@code M} ms (at most 25 s) for one and then answers with none.
 */
@Path("memberships")
@TokenGroups(ChatfrontApi.SERVICE)
@Produces(MediaType.APPLICATION_JSON)
public class MembershipsResource {

  @Inject MembershipFeed feed;

  @GET
  @Path("changes")
  public void changes(
      @QueryParam("after") @DefaultValue("0") @PositiveOrZero long after,
      @QueryParam("wait_ms") @DefaultValue("0") @PositiveOrZero long waitMillis,
      @Suspended AsyncResponse response)
      throws SQLException {
    Duration wait = Duration.ofMillis(Math.min(waitMillis, MembershipFeed.MAX_WAIT.toMillis()));
    // A safety net only: the feed answers by the deadline itself.
    response.setTimeoutHandler(late -> late.resume(new MembershipChanges(List.of(), after)));
    response.setTimeout(wait.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    feed.await(after, wait, response::resume);
  }
}
