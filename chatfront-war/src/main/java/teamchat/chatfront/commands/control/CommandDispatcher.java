package teamchat.chatfront.commands.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.commands.entity.CallState;
import teamchat.chatfront.messages.control.StoreRefusals;
import teamchat.contract.messages.NewMessage;
import teamchat.contract.messages.StoreOutcome;

/**
 * Calls the commands of the outbox: every {@link #EVERY} on a container thread, on every chatfront
 * instance (they share the work through {@link CommandOutbox#claim}), a few calls per round, one
 * after the other. Each call is checked by the {@link TargetGuard} again (the name may resolve
 * elsewhere now), signed ({@link CallSigner}), POSTed to the address checked, and its result
 * decided by the {@link RetryPolicy}. Logs a call's id, command and reason, never its secret or
 * text.
 */
@ApplicationScoped
public class CommandDispatcher {

  private static final Logger LOG = Logger.getLogger(CommandDispatcher.class.getName());

  /** The pause between rounds: how long a command waits at most before it is called. */
  static final Duration EVERY = Duration.ofMillis(500);

  /** Calls one round claims: a round takes at most this many calls' timeouts. */
  static final int PER_ROUND = 4;

  @Resource ManagedScheduledExecutorService scheduler;
  @Inject CommandOutbox outbox;
  @Inject CommandSettings settings;
  @Inject Validator validator;

  private ScheduledFuture<?> rounds;

  synchronized void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    // A malformed chatfront.commands.allow-private-targets stops the start here, not a call later.
    settings.guard();
    if (rounds == null) {
      rounds =
          scheduler.scheduleWithFixedDelay(
              this::round, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (rounds != null) {
      rounds.cancel(false);
    }
  }

  /** One round; never throws, so the schedule is never cancelled. */
  void round() {
    try {
      List<CommandOutbox.Claimed> calls;
      do {
        calls = outbox.claim(PER_ROUND);
        for (CommandOutbox.Claimed call : calls) {
          call(call);
        }
      } while (calls.size() == PER_ROUND);
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "command calls cannot be read: {0}", e.toString());
    }
  }

  /**
   * One attempt of one call, and what comes of it. Anything unforeseen counts as no answer, so the
   * retry policy still bounds the attempts.
   */
  void call(CommandOutbox.Claimed call) throws SQLException {
    try {
      attempt(call);
    } catch (RuntimeException e) {
      fail(call, new RetryPolicy.NoAnswer(), "failed: " + e.getClass().getSimpleName());
    }
  }

  private void attempt(CommandOutbox.Claimed call) throws SQLException {
    TargetGuard.Target target;
    try {
      target = settings.guard().check(call.url());
    } catch (TargetRefused refused) {
      fail(call, new RetryPolicy.Refused(), "target refused: " + refused.getMessage());
      return;
    }
    byte[] body = payload(call).getBytes(StandardCharsets.UTF_8);
    String signature = CallSigner.signature(call.secret(), Instant.now().getEpochSecond(), body);
    PinnedPost.Answer answer;
    try {
      answer = settings.poster().post(target, body, signature);
    } catch (IOException e) {
      fail(call, new RetryPolicy.NoAnswer(), "no answer: " + e.getClass().getSimpleName());
      return;
    }
    if (answer.status() < 200 || answer.status() > 299) {
      fail(call, new RetryPolicy.Answered(answer.status()), "answered " + answer.status());
      return;
    }
    Optional<String> text;
    try {
      text = answerText(answer.body());
    } catch (RuntimeException e) {
      outbox.finish(call, CallState.FAILED, "the answer is not JSON with a text", null);
      return;
    }
    if (text.isEmpty()) {
      outbox.finish(call, CallState.DONE, null, null);
      return;
    }
    NewMessage message =
        StoreRefusals.normalized(
            NewMessage.message(call.bot(), call.room(), "command-call-" + call.id(), text.get()));
    Optional<StoreOutcome> refused = StoreRefusals.check(validator, message);
    if (refused.isPresent()) {
      outbox.finish(
          call, CallState.FAILED, "the answer was refused: " + refused.get().code(), null);
      return;
    }
    StoreOutcome outcome = outbox.answer(call, message);
    if (!outcome.durable()) {
      LOG.log(
          Level.INFO,
          "command call {0} (/{1}): the answer was refused: {2}",
          new Object[] {call.id(), call.command(), outcome.code()});
    }
  }

  private void fail(CommandOutbox.Claimed call, RetryPolicy.Result result, String reason)
      throws SQLException {
    Optional<Duration> retry = RetryPolicy.retryAfter(call.attempt(), result);
    LOG.log(
        Level.INFO,
        "command call {0} (/{1}), attempt {2}: {3}{4}",
        new Object[] {
          call.id(), call.command(), call.attempt(), reason, retry.isPresent() ? ", retried" : ""
        });
    outbox.finish(
        call, retry.isPresent() ? CallState.PENDING : CallState.FAILED, reason, retry.orElse(null));
  }

  /** The JSON a target receives (docs/api.md, "Slash commands"). */
  static String payload(CommandOutbox.Claimed call) {
    return Json.createObjectBuilder()
        .add("command", "/" + call.command())
        .add("text", call.arguments())
        .add("room", Json.createObjectBuilder().add("id", call.room()).add("name", call.roomName()))
        .add(
            "user",
            Json.createObjectBuilder()
                .add("username", call.username() == null ? "" : call.username())
                .add("display_name", call.displayName() == null ? "" : call.displayName()))
        .add(
            "message",
            Json.createObjectBuilder()
                .add("id", call.message())
                .add("seq", call.seq())
                .add("time", call.sent().toString()))
        .add("call_id", call.id())
        .add("timestamp", Instant.now().toString())
        .build()
        .toString();
  }

  /** The answer's {@code text}: empty when the answer is empty or has none (nothing to post). */
  static Optional<String> answerText(String body) {
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      JsonObject answer = reader.readObject();
      JsonValue text = answer.get("text");
      if (text == null || text.getValueType() == JsonValue.ValueType.NULL) {
        return Optional.empty();
      }
      String value = ((JsonString) text).getString();
      return value.isBlank() ? Optional.empty() : Optional.of(value);
    }
  }
}
