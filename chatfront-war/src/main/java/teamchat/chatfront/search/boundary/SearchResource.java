package teamchat.chatfront.search.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.rooms.control.Rooms;
import teamchat.chatfront.search.control.MessageSearch;
import teamchat.chatfront.search.control.MessagesAround;
import teamchat.chatfront.search.control.RoomSearch;
import teamchat.chatfront.search.control.SearchQuery;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * The chat screen's search (docs/web-app.md, "Search"): messages the person may read, the messages
 * around one of them (to open its room there), and rooms by name. Under the session like the rest
 * of {@code /session} ({@code SignInRequired}); the person comes from the session, never from the
 * request. Reads only, so no CSRF marker.
 */
@Path("search")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

  @Inject SignedInUser user;
  @Inject Rooms rooms;
  @Inject MessageSearch messages;
  @Inject MessagesAround around;
  @Inject RoomSearch roomSearch;

  /**
   * Messages matching {@code q} (words, "phrases", filters: see {@link SearchQuery}), {@code order}
   * newest (default) or relevance; {@code tz} is the browser's time zone for {@code before:}/{@code
   * after:} (UTC when absent).
   */
  @GET
  @Path("messages")
  public MessageSearch.Results messages(
      @QueryParam("q") @Size(max = SearchQuery.MAX_LENGTH) String q,
      @QueryParam("order") @DefaultValue("newest") @Pattern(regexp = "newest|relevance")
          String order,
      @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(MessageSearch.MAX_OFFSET) int offset,
      @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(MessageSearch.MAX_PAGE) int limit,
      @QueryParam("tz") @Size(max = 64) String tz)
      throws Refused {
    return messages.search(
        user.subject(),
        SearchQuery.parse(q),
        order.equals("relevance") ? MessageSearch.Order.RELEVANCE : MessageSearch.Order.NEWEST,
        offset,
        limit,
        zone(tz));
  }

  /** The room's messages around {@code seq}: a search result's surroundings. */
  @GET
  @Path("around")
  public MessagesAround.Window around(
      @QueryParam("room") @Min(1) long room, @QueryParam("seq") @Min(1) long seq) {
    if (!rooms.isMember(user.subject(), room)) {
      // The same answer as for a room that does not exist: private rooms stay private.
      throw new ApiProblem(Response.Status.NOT_FOUND, "room_not_found", "No such room.");
    }
    return around.around(room, seq);
  }

  /** The person's rooms and the public ones whose name or topic holds {@code q}. */
  @GET
  @Path("rooms")
  public List<RoomSearch.FoundRoom> rooms(
      @QueryParam("q") @Size(max = RoomSearch.MAX_QUERY) String q) {
    return roomSearch.search(user.subject(), q);
  }

  private static ZoneId zone(String tz) throws Refused {
    if (tz == null || tz.isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(tz);
    } catch (DateTimeException e) {
      throw new Refused(
          Response.Status.BAD_REQUEST, "search_invalid", "tz must be a time zone such as UTC.");
    }
  }
}
