package teamchat.chatserv.storage.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.messages.MembershipChanges;
import teamchat.contract.messages.MessagePage;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.RoomMembership;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.messages.StoreResult;

/**
 * chatfront's internal REST API, with chatserv's service token. Every call is bounded in time
 * ({@code chatserv.chatfront-timeout}): when chatfront or its database is down, the caller learns
 * it within that time and tells its users "not stored, retry" instead of waiting.
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

  @Inject ServiceToken serviceToken;

  private Client client;
  private Client longPolls;

  /** A person as chatserv verified them, for chatfront's list of people. */
  public record KnownUser(String username, @JsonbProperty("display_name") String displayName) {}

  /** How long the membership feed may hold a request before answering with no change. */
  public static final Duration FEED_WAIT = Duration.ofSeconds(20);

  /** chatfront could not be reached, or did not answer as the contract says. */
  public static class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message + ": " + cause, cause);
      // The cause names a host or a status, never a token: safe to log.
      LOG.log(Level.WARNING, "chatfront unavailable: {0}", getMessage());
    }
  }

  /** The user is not a member of the room. */
  public static class NotAMember extends Exception {
    private static final long serialVersionUID = 1L;
  }

  @PostConstruct
  void connect() {
    client =
        ClientBuilder.newBuilder()
            .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .build();
    longPolls =
        ClientBuilder.newBuilder()
            .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(FEED_WAIT.plus(timeout).toMillis(), TimeUnit.MILLISECONDS)
            .build();
  }

  @PreDestroy
  void close() {
    client.close();
    longPolls.close();
  }

  public List<StoreOutcome> store(List<NewMessage> messages) throws Unavailable {
    try (Response response =
        authorized(client.target(url).path("api/messages/batch"))
            .post(Entity.entity(new StoreBatch(messages), MediaType.APPLICATION_JSON))) {
      return expect(response, StoreResult.class).outcomes();
    } catch (RuntimeException e) {
      throw new Unavailable("storing a batch failed", e);
    }
  }

  public MessagePage after(long room, String member, long after, int limit)
      throws Unavailable, NotAMember {
    try (Response response =
        authorized(
                client
                    .target(url)
                    .path("api/rooms/{room}/messages")
                    .resolveTemplate("room", room)
                    .queryParam("member", member)
                    .queryParam("after", after)
                    .queryParam("limit", limit))
            .get()) {
      if (response.getStatus() == 403) {
        throw new NotAMember();
      }
      return expect(response, MessagePage.class);
    } catch (RuntimeException e) {
      throw new Unavailable("reading a room failed", e);
    }
  }

  public List<RoomMembership> roomsOf(String member) throws Unavailable {
    try (Response response =
        authorized(
                client
                    .target(url)
                    .path("api/users/{subject}/rooms")
                    .resolveTemplate("subject", member))
            .get()) {
      return expect(response, new GenericType<List<RoomMembership>>() {});
    } catch (RuntimeException e) {
      throw new Unavailable("reading memberships failed", e);
    }
  }

  /**
   * Tells chatfront about a person chatserv has just verified, so that others can invite them and
   * write to them although they never opened the web app. Names come from the verified token.
   */
  public void knowUser(String subject, String username, String displayName) throws Unavailable {
    try (Response response =
        authorized(
                client.target(url).path("api/users/{subject}").resolveTemplate("subject", subject))
            .put(Entity.entity(new KnownUser(username, displayName), MediaType.APPLICATION_JSON))) {
      if (response.getStatus() == 401) {
        serviceToken.discard();
      }
      if (response.getStatus() != 204 && response.getStatus() != 200) {
        throw new IllegalStateException("chatfront answered " + response.getStatus());
      }
    } catch (RuntimeException e) {
      throw new Unavailable("recording a signed-in person failed", e);
    }
  }

  /**
   * The memberships that ended after change {@code after}: answers at once when there are some,
   * else after up to {@code wait} with none (a long poll, so its read timeout is longer).
   */
  public MembershipChanges membershipChanges(long after, Duration wait) throws Unavailable {
    try (Response response =
        authorized(
                longPolls
                    .target(url)
                    .path("api/memberships/changes")
                    .queryParam("after", after)
                    .queryParam("wait_ms", wait.toMillis()))
            .get()) {
      return expect(response, MembershipChanges.class);
    } catch (RuntimeException e) {
      throw new Unavailable("reading membership changes failed", e);
    }
  }

  private Invocation.Builder authorized(WebTarget target) {
    return target
        .request(MediaType.APPLICATION_JSON)
        .header("Authorization", "Bearer " + serviceToken.current());
  }

  private <T> T expect(Response response, Class<T> type) {
    check(response);
    return response.readEntity(type);
  }

  private <T> T expect(Response response, GenericType<T> type) {
    check(response);
    return response.readEntity(type);
  }

  private void check(Response response) {
    if (response.getStatus() == 401) {
      serviceToken.discard();
    }
    if (response.getStatus() != 200) {
      throw new IllegalStateException("chatfront answered " + response.getStatus());
    }
  }
}
