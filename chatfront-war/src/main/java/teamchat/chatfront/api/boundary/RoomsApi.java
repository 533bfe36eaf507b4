package teamchat.chatfront.api.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import teamchat.chatfront.messages.control.MessageHistory;
import teamchat.chatfront.messages.control.MessageStore;
import teamchat.chatfront.messages.control.StoreRefusals;
import teamchat.chatfront.rooms.control.Member;
import teamchat.chatfront.rooms.control.RoomSummary;
import teamchat.chatfront.rooms.control.Rooms;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;
import teamchat.database.control.SqlStates;

/**
 * Rooms, their members and messages, for the token's holder: the web app's rules, decided by {@link
 * Rooms} and {@link MessageStore}. A room the caller is not in is 404 {@code room_not_found}
 * whatever it is (strangers learn nothing of private rooms, as in the web app).
 */
@Path("rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomsApi {

  /** Concurrent stores rarely collide on a client id; one more try then finds the original. */
  private static final int ATTEMPTS = 3;

  /** An {@code Idempotency-Key}: the socket's client id rule (NewMessage). */
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Inject Rooms rooms;
  @Inject MessageHistory history;
  @Inject MessageStore store;
  @Inject Validator validator;
  @Context SecurityContext security;
  @Context UriInfo uri;

  public record RoomList(List<RoomSummary> rooms) {}

  /** A room to make: a name (1-64), an optional topic (at most 256), public or private. */
  public record NewRoom(String name, String topic, String visibility) {}

  public record MemberList(List<Member> members) {}

  public record Invitation(String username) {}

  /** A message to post: its text (Markdown, 1-4,000 characters), optionally a thread's root id. */
  public record NewPost(String text, @JsonbProperty("thread") Long thread) {}

  /** A posted message: where it is in its room's stream. */
  public record Posted(
      long id,
      long room,
      long seq,
      Instant time,
      @JsonbProperty("client_msg_id") String clientMsgId) {}

  @GET
  @RequiresScope(RequiresScope.READ)
  public RoomList mine() {
    return new RoomList(rooms.roomsOf(me()));
  }

  @POST
  @RequiresScope(RequiresScope.WRITE)
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@NotNull NewRoom room) throws Refused {
    boolean isPublic;
    if ("public".equals(room.visibility())) {
      isPublic = true;
    } else if ("private".equals(room.visibility())) {
      isPublic = false;
    } else {
      throw ApiProblem.badRequest("visibility_invalid", "visibility: public or private.");
    }
    long id = rooms.create(me(), room.name(), room.topic(), isPublic).id();
    RoomSummary made = summary(id);
    // A path, not an absolute URI: behind nginx the request's scheme is http, the site's https.
    return Response.status(Response.Status.CREATED)
        .header(HttpHeaders.LOCATION, uri.getBaseUri().getPath() + "rooms/" + id)
        .entity(made)
        .build();
  }

  /** One room of the caller's, as their list shows it. */
  @GET
  @Path("{room}")
  @RequiresScope(RequiresScope.READ)
  public RoomSummary room(@PathParam("room") long room) throws Refused {
    requireMember(room);
    return summary(room);
  }

  /** A room's new topic: at most 256 characters, empty for none. */
  public record NewTopic(String topic) {}

  /** An owner changes the topic (as bounded as when the room is made). */
  @PUT
  @Path("{room}/topic")
  @RequiresScope(RequiresScope.ADMIN)
  @Consumes(MediaType.APPLICATION_JSON)
  public RoomSummary topic(@PathParam("room") long room, @NotNull NewTopic topic) throws Refused {
    requireMember(room);
    rooms.changeTopic(me(), room, topic.topic());
    return summary(room);
  }

  /** An owner archives the room: history readable, nothing new (docs/api.md). Twice is harmless. */
  @PUT
  @Path("{room}/archive")
  @RequiresScope(RequiresScope.ADMIN)
  public RoomSummary archive(@PathParam("room") long room) throws Refused {
    requireMember(room);
    rooms.archive(me(), room, true);
    return summary(room);
  }

  /** An owner takes the room out of the archive. */
  @DELETE
  @Path("{room}/archive")
  @RequiresScope(RequiresScope.ADMIN)
  public RoomSummary unarchive(@PathParam("room") long room) throws Refused {
    requireMember(room);
    rooms.archive(me(), room, false);
    return summary(room);
  }

  /** An owner removes someone (recorded as {@code removed} in chatserv's membership feed). */
  @DELETE
  @Path("{room}/members/{username}")
  @RequiresScope(RequiresScope.ADMIN)
  public Response remove(@PathParam("room") long room, @PathParam("username") String username)
      throws Refused {
    requireMember(room);
    rooms.remove(me(), room, username);
    return Response.noContent().build();
  }

  /** The caller leaves the room, as with the web app's Leave room. */
  @POST
  @Path("{room}/leave")
  @RequiresScope(RequiresScope.WRITE)
  public Response leave(@PathParam("room") long room) throws Refused {
    requireMember(room);
    rooms.leave(me(), room);
    return Response.noContent().build();
  }

  @GET
  @Path("{room}/members")
  @RequiresScope(RequiresScope.READ)
  public MemberList members(@PathParam("room") long room) throws Refused {
    requireMember(room);
    return new MemberList(rooms.members(room));
  }

  /** Adds someone, by username: anyone to a public room, only an owner to a private one. */
  @POST
  @Path("{room}/members")
  @RequiresScope(RequiresScope.WRITE)
  @Consumes(MediaType.APPLICATION_JSON)
  public Response invite(@PathParam("room") long room, @NotNull Invitation invitation)
      throws Refused {
    requireMember(room);
    rooms.invite(me(), room, invitation.username());
    return Response.noContent().build();
  }

  /**
   * The web app's paging: exactly one of {@code after} (oldest first) and {@code before}, {@code
   * limit} 1 to 200. Read as text, so that a value that is no number is a 400 like any other bad
   * value (JAX-RS would answer a query parameter it cannot convert with 404).
   */
  @GET
  @Path("{room}/messages")
  @RequiresScope(RequiresScope.READ)
  public MessagePage messages(
      @PathParam("room") long room,
      @QueryParam("after") String after,
      @QueryParam("before") String before,
      @QueryParam("limit") String limit)
      throws Refused {
    if ((after == null) == (before == null)) {
      throw ApiProblem.badRequest("invalid_request", "Give exactly one of after and before.");
    }
    long from = after == null ? number("before", before, 1) : number("after", after, 0);
    int size = limit == null ? 100 : (int) number("limit", limit, 1);
    if (size > MessagePage.MAX_LIMIT) {
      throw ApiProblem.badRequest("invalid_request", "limit: 1 to " + MessagePage.MAX_LIMIT + ".");
    }
    requireMember(room);
    return after != null ? history.after(room, from, size) : history.before(room, from, size);
  }

  /** A whole number of at least {@code min}; 400 otherwise. */
  private static long number(String name, String text, long min) {
    try {
      long value = Long.parseLong(text);
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // answered below, as a number out of range is
    }
    throw ApiProblem.badRequest(
        "invalid_request", name + ": a whole number of at least " + min + ".");
  }

  /**
   * Posts a message as the token's holder, stored exactly as one sent over the socket: the same
   * store, the same rules, and the same idempotency by (sender, client id), the client id being the
   * {@code Idempotency-Key}. 201 when stored now, 200 with the original for a key used before for
   * the same message; 409 {@code client_msg_id_reused} for a key used for another.
   */
  @POST
  @Path("{room}/messages")
  @RequiresScope(RequiresScope.WRITE)
  @Consumes(MediaType.APPLICATION_JSON)
  public Response post(
      @PathParam("room") long room,
      @HeaderParam("Idempotency-Key") String key,
      @NotNull NewPost post)
      throws Refused {
    requireKey(key);
    requireMember(room);
    return entry(new NewMessage(me(), room, key, null, post.text(), null, post.thread(), null));
  }

  /** A message's new text (Markdown, 1-4,000 characters). */
  public record NewText(String text) {}

  /**
   * Edits a message: only its author, as over the socket; stored as an {@code edit} entry of the
   * room's stream, idempotent by {@code Idempotency-Key} like a post.
   */
  @PUT
  @Path("{room}/messages/{id}")
  @RequiresScope(RequiresScope.WRITE)
  @Consumes(MediaType.APPLICATION_JSON)
  public Response edit(
      @PathParam("room") long room,
      @PathParam("id") long id,
      @HeaderParam("Idempotency-Key") String key,
      @NotNull NewText text)
      throws Refused {
    requireKey(key);
    requireMember(room);
    return entry(new NewMessage(me(), room, key, EntryKind.EDIT, text.text(), id, null, null));
  }

  /** Deletes a message (its author, or an owner of the room): a {@code delete} entry. */
  @DELETE
  @Path("{room}/messages/{id}")
  @RequiresScope(RequiresScope.WRITE)
  public Response delete(
      @PathParam("room") long room,
      @PathParam("id") long id,
      @HeaderParam("Idempotency-Key") String key)
      throws Refused {
    requireKey(key);
    requireMember(room);
    return entry(new NewMessage(me(), room, key, EntryKind.DELETE, null, id, null, null));
  }

  /** Adds the caller's reaction (one emoji or a :shortcode:, at most 20 different per message). */
  @PUT
  @Path("{room}/messages/{id}/reactions/{emoji}")
  @RequiresScope(RequiresScope.WRITE)
  public Response react(
      @PathParam("room") long room,
      @PathParam("id") long id,
      @PathParam("emoji") String emoji,
      @HeaderParam("Idempotency-Key") String key)
      throws Refused {
    requireKey(key);
    requireMember(room);
    return entry(new NewMessage(me(), room, key, EntryKind.REACT, null, id, null, emoji));
  }

  /** Takes the caller's reaction away. */
  @DELETE
  @Path("{room}/messages/{id}/reactions/{emoji}")
  @RequiresScope(RequiresScope.WRITE)
  public Response unreact(
      @PathParam("room") long room,
      @PathParam("id") long id,
      @PathParam("emoji") String emoji,
      @HeaderParam("Idempotency-Key") String key)
      throws Refused {
    requireKey(key);
    requireMember(room);
    return entry(new NewMessage(me(), room, key, EntryKind.UNREACT, null, id, null, emoji));
  }

  private static void requireKey(String key) {
    if (key == null || !IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw ApiProblem.badRequest(
          "idempotency_key_invalid",
          "Send an Idempotency-Key header: 1 to 64 letters, digits or . _ : -");
    }
  }

  /**
   * Stores one entry of the room's stream (a message or a change to one) as the socket's would be:
   * the contract's checks, then the store through the outside-stores path (live delivery). 201 or
   * 200 (a resend) with where it is; the store's refusal as problem JSON otherwise.
   */
  private Response entry(NewMessage entry) throws Refused {
    NewMessage message = StoreRefusals.normalized(entry);
    Optional<StoreOutcome> refused = StoreRefusals.check(validator, message);
    StoreOutcome outcome = refused.isPresent() ? refused.get() : stored(message);
    if (!outcome.durable()) {
      throw new Refused(
          outcome.status(), outcome.code(), "Nothing was stored (" + outcome.code() + ").", null);
    }
    return Response.status(outcome.status())
        .entity(
            new Posted(
                outcome.id(), outcome.room(), outcome.seq(), outcome.time(), outcome.clientMsgId()))
        .build();
  }

  private StoreOutcome stored(NewMessage message) {
    try {
      return SqlStates.retryingUniqueViolations(
              ATTEMPTS, () -> store.storeOutsideChatserv(List.of(message)))
          .get(0);
    } catch (SQLException | RuntimeException e) {
      if (SqlStates.isRefusedData(e)) {
        return StoreRefusals.refusedByDatabase(message);
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  private RoomSummary summary(long room) {
    return rooms.roomsOf(me()).stream()
        .filter(summary -> summary.id() == room)
        .findFirst()
        .orElseThrow();
  }

  private void requireMember(long room) throws Refused {
    if (room < 1 || !rooms.isMember(me(), room)) {
      throw new Refused(
          Response.Status.NOT_FOUND, "room_not_found", "You are in no room with that id.");
    }
  }

  private String me() {
    return security.getUserPrincipal().getName();
  }
}
