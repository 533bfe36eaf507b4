package teamchat.chatfront.rooms.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.accounts.control.Tokens;
import teamchat.chatfront.messages.control.MessageHistory;
import teamchat.chatfront.messages.control.ShownMessage;
import teamchat.chatfront.messages.control.ShownThread;
import teamchat.chatfront.rooms.control.Member;
import teamchat.chatfront.rooms.control.RoomSummary;
import teamchat.chatfront.rooms.control.Rooms;
import teamchat.chatfront.security.control.WebSettings;
import teamchat.contract.problems.ApiProblem;

/**
 * What the chat page's script asks of chatfront: an access token for chatserv (renewed before it
 * expires), older messages when scrolling back, a thread, the room's members, the user's rooms with
 * their unread and mention counts, how far the user has read, and which rooms they muted. The
 * signed-in user comes from the session ({@code SignInRequired} lets no one else through). Requests
 * that change something must carry {@code X-Chat-Request: 1}: another site's page cannot send that
 * header without a CORS preflight, which chatfront never grants (CSRF).
 */
@Path("")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

  static final String CSRF_HEADER = "X-Chat-Request";

  @Inject SignedInUser user;
  @Inject Rooms rooms;
  @Inject MessageHistory history;
  @Inject WebSettings settings;
  @Context HttpServletRequest request;

  /** What the page needs to talk to chatserv. */
  public record ChatTicket(
      @JsonbProperty("access_token") String accessToken,
      @JsonbProperty("expires_at") long expiresAt,
      @JsonbProperty("chatserv_url") String chatservUrl,
      @JsonbProperty("user_id") String userId,
      @JsonbProperty("user_name") String userName) {}

  @POST
  @Path("token")
  public Response token(@HeaderParam(CSRF_HEADER) String marker) {
    requireMarker(marker);
    Optional<Tokens> tokens;
    try {
      tokens = user.freshTokens();
    } catch (AuthUnavailable unavailable) {
      throw new ApiProblem(
          503, "auth_unavailable", "Try again in a moment.", Map.of("Retry-After", "2"));
    }
    if (tokens.isEmpty()) {
      request.getSession().invalidate();
      throw new ApiProblem(Response.Status.UNAUTHORIZED, "signed_out", "Sign in again.");
    }
    Tokens current = tokens.get();
    return Response.ok(
            new ChatTicket(
                current.accessToken(),
                current.accessExpires().toEpochMilli(),
                settings.chatservUrl(),
                current.subject(),
                current.displayName()))
        .header("Cache-Control", "no-store")
        .build();
  }

  @GET
  @Path("rooms/{room}/messages")
  public List<ShownMessage> messagesBefore(
      @PathParam("room") long room,
      @QueryParam("before") @Min(1) long before,
      @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(MessageHistory.MAX_PAGE) int limit) {
    requireMember(room);
    return history.shownBefore(room, before, limit);
  }

  /** A thread of the room: its first message, then its replies after {@code after}. */
  @GET
  @Path("rooms/{room}/threads/{id}")
  public ShownThread thread(
      @PathParam("room") long room,
      @PathParam("id") long id,
      @QueryParam("after") @DefaultValue("0") @Min(0) long after,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(MessageHistory.MAX_PAGE) int limit) {
    requireMember(room);
    return history
        .shownThread(room, id, after, limit)
        .orElseThrow(
            () -> new ApiProblem(Response.Status.NOT_FOUND, "thread_not_found", "No such thread."));
  }

  /** The user's rooms with their unread and mention counts (the room list, kept fresh). */
  @GET
  @Path("rooms")
  public List<RoomSummary> myRooms() {
    return rooms.roomsOf(user.subject());
  }

  @GET
  @Path("rooms/{room}/members")
  public List<Member> members(@PathParam("room") long room) {
    requireMember(room);
    return rooms.members(room);
  }

  @POST
  @Path("rooms/{room}/read")
  public Response read(
      @HeaderParam(CSRF_HEADER) String marker,
      @PathParam("room") long room,
      @QueryParam("seq") @Min(0) long seq) {
    requireMarker(marker);
    requireMember(room);
    rooms.markRead(user.subject(), room, seq);
    return Response.noContent().build();
  }

  /** The longest body {@link #mute} reads: {@code {"muted": false}} and some whitespace. */
  private static final int MAX_MUTE_BODY = 64;

  /**
   * Mutes or unmutes the room for the signed-in person (kept with their membership, so every device
   * of theirs follows it). The body is {@code {"muted": true}} or {@code {"muted": false}}, a JSON
   * boolean: read here rather than bound, because binding took {@code "yes"} for false.
   */
  @PUT
  @Path("rooms/{room}/muted")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response mute(
      @HeaderParam(CSRF_HEADER) String marker, @PathParam("room") long room, String body) {
    requireMarker(marker);
    boolean muted = mutedIn(body);
    if (!rooms.mute(user.subject(), room, muted)) {
      throw new ApiProblem(Response.Status.NOT_FOUND, "room_not_found", "No such room.");
    }
    return Response.noContent().build();
  }

  private static boolean mutedIn(String body) {
    ApiProblem invalid =
        new ApiProblem(
            Response.Status.BAD_REQUEST,
            "invalid_request",
            "Send {\"muted\": true} or {\"muted\": false}.");
    if (body == null || body.length() > MAX_MUTE_BODY) {
      throw invalid;
    }
    JsonValue value;
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      value = reader.readValue();
    } catch (JsonException e) {
      throw invalid;
    }
    if (!(value instanceof JsonObject object) || object.size() != 1) {
      throw invalid;
    }
    JsonValue muted = object.get("muted");
    if (muted == JsonValue.TRUE || muted == JsonValue.FALSE) {
      return muted == JsonValue.TRUE;
    }
    throw invalid;
  }

  private void requireMember(long room) {
    if (!rooms.isMember(user.subject(), room)) {
      // The same answer as for a room that does not exist: private rooms stay private.
      throw new ApiProblem(Response.Status.NOT_FOUND, "room_not_found", "No such room.");
    }
  }

  private static void requireMarker(String marker) {
    if (!"1".equals(marker)) {
      throw new ApiProblem(
          Response.Status.FORBIDDEN, "csrf_marker_missing", CSRF_HEADER + ": 1 is required.");
    }
  }
}
