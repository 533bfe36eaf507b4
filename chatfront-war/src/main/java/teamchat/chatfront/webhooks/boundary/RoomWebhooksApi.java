package teamchat.chatfront.webhooks.boundary;

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
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import teamchat.chatfront.api.boundary.RequiresScope;
import teamchat.chatfront.webhooks.control.IncomingWebhooks;
import teamchat.contract.problems.Refused;

/**
 * A room's incoming webhooks in the public API, for the room's owners: list ({@code read}), make
 * and revoke ({@code write}). The answer to a make is the only place the webhook's URL (its secret)
 * is ever shown.
 */
@Path("rooms/{room}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class RoomWebhooksApi {

  @Inject IncomingWebhooks webhooks;
  @Context SecurityContext security;
  @Context UriInfo uri;

  public record NewWebhook(String name) {}

  public record WebhookList(List<IncomingWebhooks.Listed> webhooks) {}

  /**
   * A webhook just made: its listing and its URL, a path on this site ({@code /api/v1/hooks/…}).
   */
  public record MadeWebhook(IncomingWebhooks.Listed webhook, String url) {}

  @GET
  @RequiresScope(RequiresScope.READ)
  public WebhookList list(@PathParam("room") long room) throws Refused {
    return new WebhookList(webhooks.of(me(), room));
  }

  @POST
  @RequiresScope(RequiresScope.WRITE)
  @Consumes(MediaType.APPLICATION_JSON)
  public Response make(@PathParam("room") long room, @NotNull NewWebhook webhook) throws Refused {
    IncomingWebhooks.Made made = webhooks.make(me(), room, webhook.name());
    // A path, not an absolute URI: behind nginx the request's scheme is http, the site's https.
    String url = uri.getBaseUri().getPath() + HookPaths.of(made.webhook().id(), made.secret());
    return Response.status(Response.Status.CREATED)
        .header("Cache-Control", "no-store")
        .entity(new MadeWebhook(made.webhook(), url))
        .build();
  }

  @DELETE
  @Path("{webhook}")
  @RequiresScope(RequiresScope.WRITE)
  public Response revoke(@PathParam("room") long room, @PathParam("webhook") long webhook)
      throws Refused {
    webhooks.revoke(me(), room, webhook);
    return Response.noContent().build();
  }

  private String me() {
    return security.getUserPrincipal().getName();
  }
}
