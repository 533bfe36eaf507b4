package teamchat.chatserv.storage.control;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * chatfront's internal REST API as chatserv calls it (MicroProfile Rest Client). Every method
 * answers the raw {@link Response}: {@link Chatfront} reads the status itself, because a 403 means
 * "not a member" and a 401 an assertion to sign anew, not a failure of the call. The paths are on
 * the methods, none on the interface, so that no JAX-RS application takes it for a resource. The
 * store of a batch, the call on the path of every message, is not here: {@link BatchPoster} makes
 * it with a leaner client.
 */
@Produces(MediaType.APPLICATION_JSON)
public interface ChatfrontApi {

  @GET
  @Path("api/rooms/{room}/messages")
  Response messagesAfter(
      @PathParam("room") long room,
      @QueryParam("member") String member,
      @QueryParam("after") long after,
      @QueryParam("limit") int limit);

  @GET
  @Path("api/users/{subject}/rooms")
  Response roomsOf(@PathParam("subject") String subject);

  @PUT
  @Path("api/users/{subject}")
  @Consumes(MediaType.APPLICATION_JSON)
  Response knowUser(@PathParam("subject") String subject, Chatfront.KnownUser user);

  @GET
  @Path("api/memberships/changes")
  Response membershipChanges(@QueryParam("after") long after, @QueryParam("wait_ms") long waitMs);

  @GET
  @Path("api/messages/outside")
  Response outsideStores(@QueryParam("after") long after, @QueryParam("wait_ms") long waitMs);
}
