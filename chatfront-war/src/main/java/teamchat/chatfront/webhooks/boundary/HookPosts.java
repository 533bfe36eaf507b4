package teamchat.chatfront.webhooks.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import teamchat.chatfront.api.control.ApiRateLimit;
import teamchat.chatfront.messages.control.MessageStore;
import teamchat.chatfront.messages.control.StoreRefusals;
import teamchat.chatfront.webhooks.control.IncomingWebhooks;
import teamchat.chatfront.webhooks.control.IncomingWebhooks.Poster;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreOutcome;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;
import teamchat.database.control.SqlStates;

/**
 * Takes a post through an incoming webhook, {@code POST /api/v1/hooks/{id}/{secret}} with {@code
 * {"text": ...}}, and stores it in the webhook's room as its creator, through the store every
 * message outside chatserv goes through (so it is in the room's seq and shown live). An unknown id,
 * a wrong secret and a revoked webhook get the same 404: nothing tells a guesser which it was. The
 * secret is in the path, so nothing here logs the path (nginx logs it with the secret cut off).
 */
@Path("{webhook}/{secret}")
@Produces(MediaType.APPLICATION_JSON)
public class HookPosts {

  /** Concurrent stores rarely collide on a client id; one more try then finds the original. */
  private static final int ATTEMPTS = 3;

  /**
   * An {@code Idempotency-Key}: the public API's characters, at most 40 of them, so that with the
   * webhook's prefix ({@code hook.<id>.}) it is still a client id of at most 64.
   */
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,40}");

  @Inject IncomingWebhooks webhooks;
  @Inject ApiRateLimit rateLimit;
  @Inject MessageStore store;
  @Inject Validator validator;

  /**
   * What a tool posts: Slack's incoming-webhook fields. {@code username} is the name the message is
   * shown under (else the webhook's name), marked "via webhook"; {@code icon} is read and checked
   * so that a Slack payload is taken as it is, but never shown: the page loads no image from
   * elsewhere (docs/api.md).
   */
  public record HookPayload(
      String text, String username, @JsonbProperty("icon_url") String iconUrl, String icon) {}

  /** A stored post: where it is in its room's stream. */
  public record Posted(long id, long room, long seq, Instant time) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response post(
      @PathParam("webhook") String webhook,
      @PathParam("secret") String secret,
      @HeaderParam("Idempotency-Key") String key,
      HookPayload payload)
      throws Refused {
    Poster poster = open(webhook, secret);
    Optional<Duration> wait = rateLimit.spend("webhook:" + poster.webhook());
    if (wait.isPresent()) {
      throw new Refused(
          Response.Status.TOO_MANY_REQUESTS.getStatusCode(),
          "too_many_requests",
          "Too many posts through this webhook; try again in " + wait.get().toSeconds() + " s.",
          wait.get());
    }
    if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw ApiProblem.badRequest(
          "idempotency_key_invalid",
          "An Idempotency-Key header is 1 to 40 letters, digits or . _ : -");
    }
    HookPayload checked = HookPayloads.check(payload);
    // Without a key every request is a new message (as Slack's webhooks); with one, a resend is
    // the message stored before.
    String clientMsgId =
        "hook." + poster.webhook() + "." + (key != null ? key : UUID.randomUUID().toString());
    NewMessage message =
        StoreRefusals.normalized(
            NewMessage.message(poster.creatorSubject(), poster.room(), clientMsgId, checked.text())
                .postedThroughWebhook(
                    checked.username() != null ? checked.username() : poster.name()));
    Optional<StoreOutcome> refused = StoreRefusals.check(validator, message);
    StoreOutcome outcome = refused.isPresent() ? refused.get() : stored(message);
    if (!outcome.durable()) {
      throw new Refused(
          outcome.status(),
          outcome.code(),
          "The message was not stored (" + outcome.code() + ").",
          null);
    }
    return Response.status(outcome.status())
        .entity(new Posted(outcome.id(), outcome.room(), outcome.seq(), outcome.time()))
        .build();
  }

  private Poster open(String webhook, String secret) throws Refused {
    long id;
    try {
      id = Long.parseLong(webhook);
    } catch (NumberFormatException notANumber) {
      id = -1;
    }
    Optional<Poster> poster = id > 0 ? webhooks.open(id, secret) : Optional.empty();
    if (poster.isEmpty()) {
      throw new Refused(
          Response.Status.NOT_FOUND,
          "webhook_unknown",
          "No webhook takes posts at this address: unknown, revoked, or the secret is wrong.");
    }
    return poster.get();
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
}
