package teamchat.chatserv.storage.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.messages.MembershipChanges;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.OutsideStores;
import teamchat.contract.messages.RoomMembership;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreOutcome;

/**
 * chatfront's internal REST API ({@link ChatfrontApi}), with chatserv's own assertion, in the terms
 * chatserv works with: outcomes, pages, and two refusals. Every call is bounded in time ({@code
 * chatserv.chatfront-timeout}): when chatfront or its database is down, the caller learns it within
 * that time and tells its users so instead of waiting. A failed store is of unknown outcome:
 * chatfront may have committed it (or may still), and even a refused connection does not prove the
 * opposite, as the HTTP client may have sent the request once before on a connection that broke.
 * While chatfront does not answer, its circuit is open for a moment ({@link GuardedChatfrontApi}):
 * calls fail at once, with the same answers.
 */
@ApplicationScoped
public class Chatfront {

  private static final Logger LOG = Logger.getLogger(Chatfront.class.getName());

  @Inject
  @ConfigProperty(name = "chatfront.url")
  String url;

  @Inject
  @ConfigProperty(name = "chatserv.chatfront-timeout")
  Duration timeout;

  @Inject ServiceAssertion serviceAssertion;

  @Inject GuardedChatfrontApi guarded;

  /** A person as chatserv verified them, for chatfront's list of people. */
  public record KnownUser(String username, @JsonbProperty("display_name") String displayName) {}

  /** How long a feed (memberships, outside stores) may hold a request before answering empty. */
  public static final Duration FEED_WAIT = Duration.ofSeconds(20);

  /** chatfront could not be reached, or did not answer as the contract says. */
  public static class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message, Throwable cause) {
      super(message + ": " + cause, cause);
    }
  }

  /** The user is not a member of the room. */
  public static class NotAMember extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** Calls behind a circuit breaker ({@link GuardedChatfrontApi}); long polls on their own. */
  ChatfrontApi calls;

  ChatfrontApi longPolls;

  /** Whether the last call was answered: the log says when this changes, not at every call. */
  private final AtomicBoolean reachable = new AtomicBoolean(true);

  @PostConstruct
  void connect() {
    calls = guarded;
    longPolls =
        RestClients.build(
            ChatfrontApi.class,
            url,
            timeout,
            FEED_WAIT.plus(timeout),
            true,
            serviceAssertion.bearer());
  }

  @PreDestroy
  void close() {
    RestClients.close(longPolls);
  }

  public List<StoreOutcome> store(List<NewMessage> messages) throws Unavailable {
    try {
      // Behind its circuit as well, with a lean client of its own (GuardedChatfrontApi#store).
      BatchPoster.Answer answer = guarded.store(new StoreBatch(messages));
      check(answer.status(), 200);
      return answer.result().outcomes();
    } catch (RuntimeException e) {
      throw unavailable("storing a batch failed", e);
    }
  }

  public MessagePage after(long room, String member, long after, int limit)
      throws Unavailable, NotAMember {
    try (Response response = calls.messagesAfter(room, member, after, limit)) {
      if (response.getStatus() == 403) {
        answered();
        throw new NotAMember();
      }
      return expect(response, MessagePage.class);
    } catch (RuntimeException e) {
      throw unavailable("reading a room failed", e);
    }
  }

  public List<RoomMembership> roomsOf(String member) throws Unavailable {
    try (Response response = calls.roomsOf(member)) {
      return expect(response, new GenericType<List<RoomMembership>>() {});
    } catch (RuntimeException e) {
      throw unavailable("reading memberships failed", e);
    }
  }

  /**
   * Tells chatfront about a person chatserv has just verified, so that others can invite them and
   * write to them although they never opened the web app. Names come from the verified token.
   */
  public void knowUser(String subject, String username, String displayName) throws Unavailable {
    try (Response response = calls.knowUser(subject, new KnownUser(username, displayName))) {
      check(response.getStatus(), 204);
    } catch (RuntimeException e) {
      throw unavailable("recording a signed-in person failed", e);
    }
  }

  /**
   * The memberships that ended after change {@code after}: answers at once when there are some,
   * else after up to {@code wait} with none (a long poll, so its read timeout is longer).
   */
  public MembershipChanges membershipChanges(long after, Duration wait) throws Unavailable {
    try (Response response = longPolls.membershipChanges(after, wait.toMillis())) {
      return expect(response, MembershipChanges.class);
    } catch (RuntimeException e) {
      throw unavailable("reading membership changes failed", e);
    }
  }

  /**
   * The rooms with entries stored outside chatserv after notice {@code after}: answers at once when
   * there are some, else after up to {@code wait} with none (a long poll, like {@link
   * #membershipChanges}).
   */
  public OutsideStores outsideStores(long after, Duration wait) throws Unavailable {
    try (Response response = longPolls.outsideStores(after, wait.toMillis())) {
      return expect(response, OutsideStores.class);
    } catch (RuntimeException e) {
      throw unavailable("reading stores made outside chatserv failed", e);
    }
  }

  /**
   * A call failed: logged once when chatfront stops answering (one line, however many calls fail
   * while it is away), at FINE after that.
   */
  private Unavailable unavailable(String what, RuntimeException cause) {
    Unavailable unavailable = new Unavailable(what, cause);
    // The cause names a host or a status, never a token: safe to log.
    LOG.log(
        reachable.getAndSet(false) ? Level.WARNING : Level.FINE,
        "chatfront unavailable: {0}",
        unavailable.getMessage());
    return unavailable;
  }

  /** chatfront answered as the contract says: if it was away, the log says it is back. */
  private void answered() {
    if (!reachable.getAndSet(true)) {
      LOG.info("chatfront answers again");
    }
  }

  private <T> T expect(Response response, Class<T> type) {
    check(response.getStatus(), 200);
    return response.readEntity(type);
  }

  private <T> T expect(Response response, GenericType<T> type) {
    check(response.getStatus(), 200);
    return response.readEntity(type);
  }

  /** A 401 means chatfront refused chatserv's assertion: the next call signs a new one. */
  private void check(int status, int... expected) {
    if (status == 401) {
      serviceAssertion.refused();
    }
    for (int ok : expected) {
      if (status == ok || (ok == 204 && status == 200)) {
        answered();
        return;
      }
    }
    throw new IllegalStateException("chatfront answered " + status);
  }
}
