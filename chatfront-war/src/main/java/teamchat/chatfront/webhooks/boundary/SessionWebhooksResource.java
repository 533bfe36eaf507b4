package teamchat.chatfront.webhooks.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.webhooks.boundary.RoomWebhooksApi.MadeWebhook;
import teamchat.chatfront.webhooks.boundary.RoomWebhooksApi.NewWebhook;
import teamchat.chatfront.webhooks.control.IncomingWebhooks;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * The room page's webhook settings (webhooks.js): the same as {@link RoomWebhooksApi}, for the
 * signed-in person, under {@code /session} (the session cookie). Changes carry {@code
 * X-Chat-Request: 1}, as every change the chat page makes (CSRF).
 */
@Path("rooms/{room}/webhooks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SessionWebhooksResource {

  private static final String CSRF_HEADER = "X-Chat-Request";

  @Inject SignedInUser user;
  @Inject IncomingWebhooks webhooks;
  @Context HttpServletRequest request;

  @GET
  public List<IncomingWebhooks.Listed> list(@PathParam("room") long room) throws Refused {
    return webhooks.of(user.subject(), room);
  }

  /** Makes one; the answer holds its URL (a path on this site), shown once. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response make(
      @HeaderParam(CSRF_HEADER) String marker, @PathParam("room") long room, NewWebhook webhook)
      throws Refused {
    requireMarker(marker);
    IncomingWebhooks.Made made =
        webhooks.make(user.subject(), room, webhook == null ? null : webhook.name());
    String url =
        request.getContextPath() + "/api/v1/" + HookPaths.of(made.webhook().id(), made.secret());
    return Response.status(Response.Status.CREATED)
        .header("Cache-Control", "no-store")
        .entity(new MadeWebhook(made.webhook(), url))
        .build();
  }

  @POST
  @Path("{webhook}/revoke")
  public Response revoke(
      @HeaderParam(CSRF_HEADER) String marker,
      @PathParam("room") long room,
      @PathParam("webhook") long webhook)
      throws Refused {
    requireMarker(marker);
    webhooks.revoke(user.subject(), room, webhook);
    return Response.noContent().build();
  }

  private static void requireMarker(String marker) {
    if (!"1".equals(marker)) {
      throw new ApiProblem(
          Response.Status.FORBIDDEN, "csrf_marker_missing", CSRF_HEADER + ": 1 is required.");
    }
  }
}
