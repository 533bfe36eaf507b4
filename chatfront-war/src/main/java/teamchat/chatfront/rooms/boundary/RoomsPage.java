package teamchat.chatfront.rooms.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.rooms.control.RoomSummary;
import teamchat.chatfront.rooms.control.Rooms;
import teamchat.chatfront.rooms.entity.Room;
import teamchat.chatfront.search.control.MessageSearch;
import teamchat.chatfront.search.control.SearchQuery;
import teamchat.chatfront.search.control.Snippet;
import teamchat.chatfront.web.FormInput;
import teamchat.chatfront.web.Pages;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * The rooms page: my rooms with unread counts, public rooms to join, a new room, a direct chat, and
 * a search of messages (a GET form: {@code ?q=} and {@code &offset=} on the page's address).
 */
@Named
@RequestScoped
public class RoomsPage {

  /** The longest list of usernames read: seven of the longest usernames (32) and separators. */
  private static final int MAX_DIRECT_TO = 300;

  /** Results per page of the search, as the chat screen's panel shows them. */
  static final int SEARCH_PAGE = 20;

  /**
   * The page knows no time zone (the chat screen sends the browser's): days of {@code before:} and
   * {@code after:} and the times shown are UTC, and say so.
   */
  private static final DateTimeFormatter SEARCH_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  /**
   * A message found, as the page lists it: where, who, when, and the snippet's pieces (each put in
   * as escaped text, a marked one inside {@code <mark>}).
   *
   * @param room the room to open; {@code title} its name, or the other people of a conversation
   * @param time as shown; {@code datetime} the same for {@code <time datetime>}
   */
  public record FoundMessage(
      long room,
      String title,
      boolean direct,
      String sender,
      String time,
      String datetime,
      boolean inThread,
      List<Snippet.Piece> snippet) {}

  @Inject SignedInUser user;
  @Inject Rooms rooms;
  @Inject MessageSearch messageSearch;

  private final String query = requestParameter("q");
  private final String offsetAsked = requestParameter("offset");
  private MessageSearch.Results found;
  private String searchProblem;

  private List<RoomSummary> myRooms;
  private List<Room> publicRooms;
  private String newName;
  private String newTopic;
  private boolean newPublic = true;
  private String directTo;

  public List<RoomSummary> getMyRooms() {
    if (myRooms == null) {
      myRooms = rooms.roomsOf(user.subject());
    }
    return myRooms;
  }

  /**
   * The first direct conversation of {@link #getMyRooms()} (they come after the rooms), where the
   * chat screen's sidebar starts its "Direct messages" section; null when there is none.
   */
  public Long getFirstDirectId() {
    return getMyRooms().stream()
        .filter(RoomSummary::direct)
        .map(RoomSummary::id)
        .findFirst()
        .orElse(null);
  }

  public List<Room> getPublicRooms() {
    if (publicRooms == null) {
      publicRooms = rooms.publicRoomsToJoin(user.subject());
    }
    return publicRooms;
  }

  public String create() {
    try {
      Room room = rooms.create(user.subject(), newName, newTopic, newPublic);
      return Pages.redirect("room?id=" + room.id());
    } catch (Refused refused) {
      Pages.error("create:name", refused.getMessage());
      return null;
    }
  }

  public String join(long roomId) {
    try {
      rooms.join(user.subject(), roomId);
      return Pages.redirect("room?id=" + roomId);
    } catch (Refused refused) {
      Pages.error(null, refused.getMessage());
      return null;
    }
  }

  /**
   * Starts (or opens) the conversation with the people named, by username, separated by commas or
   * spaces: the form the chat screen's dialog stands in for, which works without a script.
   */
  public String startDirect() {
    if (directTo != null && directTo.length() > MAX_DIRECT_TO) {
      Pages.error("direct:username", "That is more names than a conversation can have.");
      return null;
    }
    List<String> usernames =
        directTo == null
            ? List.of()
            : Arrays.stream(directTo.split("[,\\s]+")).filter(name -> !name.isEmpty()).toList();
    try {
      return Pages.redirect("room?id=" + rooms.conversation(user.subject(), usernames));
    } catch (Refused refused) {
      Pages.error("direct:username", refused.getMessage());
      return null;
    }
  }

  /** Whether a search was asked for: {@code ?q=} with something in it. */
  public boolean isSearched() {
    return query != null && !query.isBlank();
  }

  public String getQuery() {
    return query;
  }

  /** The sentence that says why the search was not run, or null. */
  public String getSearchProblem() {
    search();
    return searchProblem;
  }

  /** The page of messages found, newest first; empty when none or not searched. */
  public List<FoundMessage> getSearchResults() {
    search();
    if (found == null) {
      return List.of();
    }
    return found.results().stream()
        .map(
            result ->
                new FoundMessage(
                    result.room(),
                    result.roomName(),
                    result.direct(),
                    result.senderName(),
                    SEARCH_TIME.format(result.time()),
                    result.time().toString(),
                    result.parent() != null,
                    result.snippet()))
        .toList();
  }

  /** The offset of the next page, or null when there is none (or it would be past the bound). */
  public Integer getNextOffset() {
    search();
    int next = offset() + SEARCH_PAGE;
    return found != null && found.more() && next <= MessageSearch.MAX_OFFSET ? next : null;
  }

  /**
   * Runs the search once per request, bounded and validated as the API is: the text (at most {@link
   * SearchQuery#MAX_LENGTH} characters of plain text), the offset (0 to {@link
   * MessageSearch#MAX_OFFSET}), the query's words and filters ({@link SearchQuery}), and the
   * statement timeout; a refusal becomes the sentence beside the form.
   */
  private void search() {
    if (found != null || searchProblem != null || !isSearched()) {
      return;
    }
    Optional<String> problem =
        FormInput.textProblem("The search", query, 1, SearchQuery.MAX_LENGTH);
    if (problem.isPresent()) {
      searchProblem = problem.get();
      return;
    }
    if (offset() < 0) {
      searchProblem = "The results start at a number from 0 to " + MessageSearch.MAX_OFFSET + ".";
      return;
    }
    try {
      found =
          messageSearch.search(
              user.subject(),
              SearchQuery.parse(FormInput.clean(query)),
              MessageSearch.Order.NEWEST,
              offset(),
              SEARCH_PAGE,
              ZoneOffset.UTC);
    } catch (Refused refused) {
      searchProblem = refused.getMessage();
    } catch (ApiProblem tooLong) {
      // The statement timeout (search_too_long): its sentence says what to do.
      searchProblem = tooLong.getMessage();
    }
  }

  /** {@code ?offset=} as asked; -1 when it is not a number from 0 to the bound. */
  private int offset() {
    if (offsetAsked == null || offsetAsked.isEmpty()) {
      return 0;
    }
    try {
      int offset = Integer.parseInt(offsetAsked);
      return offset >= 0 && offset <= MessageSearch.MAX_OFFSET ? offset : -1;
    } catch (NumberFormatException notANumber) {
      return -1;
    }
  }

  private static String requestParameter(String name) {
    return FacesContext.getCurrentInstance()
        .getExternalContext()
        .getRequestParameterMap()
        .get(name);
  }

  public String getNewName() {
    return newName;
  }

  public void setNewName(String newName) {
    this.newName = newName;
  }

  public String getNewTopic() {
    return newTopic;
  }

  public void setNewTopic(String newTopic) {
    this.newTopic = newTopic;
  }

  public boolean isNewPublic() {
    return newPublic;
  }

  public void setNewPublic(boolean newPublic) {
    this.newPublic = newPublic;
  }

  public String getDirectTo() {
    return directTo;
  }

  public void setDirectTo(String directTo) {
    this.directTo = directTo;
  }
}
