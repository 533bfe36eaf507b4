package teamchat.chatfront.api.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.bots.control.BotUsers;
import teamchat.contract.problems.Refused;
import teamchat.contract.tokens.ServiceAssertionSigner;

/**
 * Checks a personal access token presented to the public API by asking auth (RFC 7662
 * introspection), with chatfront's own assertion as the bearer: the mechanism chatserv uses for
 * chatfront ({@link ServiceAssertionSigner}, docs/tokens.md "Service calls"), here with issuer
 * {@value #ISSUER} and audience {@value #AUDIENCE}, signed with {@code chatfront.assertion-key}.
 *
 * <p>auth's answer, active or not, is remembered for {@code chatfront.api.token-cache} (30 s) by
 * the token's SHA-256 (never the token), and never past the token's expiry: a revoked token keeps
 * working on an instance for at most that long (docs/api.md states it), and a script that calls
 * many times a second costs auth one call per 30 s. When auth does not answer, a remembered answer
 * still holds until it runs out, and no longer: after that the API answers 503.
 */
@ApplicationScoped
public class PersonalTokenChecks {

  /** The {@code iss} and {@code sub} of chatfront's assertions for auth. */
  public static final String ISSUER = "chatfront";

  /** The {@code aud} of chatfront's assertions for auth. */
  public static final String AUDIENCE = "auth";

  /** The exact shape of a personal access token: anything else is refused without asking auth. */
  private static final Pattern SHAPE = Pattern.compile("tcp_[A-Za-z0-9_-]{43}");

  /** Answers remembered at most; past this the expired ones go, then all (asked again). */
  static final int MAX_REMEMBERED = 10_000;

  private static final Logger LOG = Logger.getLogger(PersonalTokenChecks.class.getName());

  @Inject @RestClient IntrospectionClient auth;
  @Inject BotUsers botUsers;

  @Inject
  @ConfigProperty(name = "chatfront.assertion-key")
  Optional<String> keyFile; // a path: MicroProfile Config has no converter to Path

  @Inject
  @ConfigProperty(name = "service-assertion.lifetime")
  Duration assertionLifetime;

  @Inject
  @ConfigProperty(name = "chatfront.api.token-cache")
  Duration remembered;

  Clock clock = Clock.systemUTC();

  private ServiceAssertionSigner signer;

  /** auth's answer about one token, until when it is taken without asking again. */
  private record Answer(Optional<TokenHolder> holder, Instant until) {}

  private final Map<ByteBuffer, Answer> answers = new ConcurrentHashMap<>();

  /** Whether the last question to auth went unanswered: its warning is logged once. */
  private volatile boolean failing;

  @PostConstruct
  void build() {
    if (keyFile.isEmpty() || keyFile.get().isBlank()) {
      LOG.warning(
          "chatfront.assertion-key is not set: the public API cannot check personal access tokens"
              + " and answers 503");
      return;
    }
    signer =
        new ServiceAssertionSigner(
            Path.of(keyFile.get()), ISSUER, AUDIENCE, assertionLifetime, Clock.systemUTC());
  }

  /**
   * Whom the token speaks for; empty for a token auth does not know as active (unknown, revoked,
   * expired, malformed).
   *
   * @throws AuthUnavailable when auth must be asked and cannot be (or refuses chatfront)
   */
  public Optional<TokenHolder> holderOf(String token) throws AuthUnavailable {
    if (token == null || !SHAPE.matcher(token).matches()) {
      return Optional.empty();
    }
    ByteBuffer key = sha256(token);
    Instant now = clock.instant();
    Answer known = answers.get(key);
    if (known != null && now.isBefore(known.until)) {
      return known.holder;
    }
    Optional<TokenHolder> holder;
    try {
      holder = ask(token);
    } catch (AuthUnavailable unavailable) {
      if (!failing) {
        failing = true;
        LOG.log(
            Level.WARNING,
            "personal access tokens cannot be checked: {0}; the public API answers 503 for tokens"
                + " not checked within the last {1}",
            new Object[] {unavailable.getMessage(), remembered});
      }
      throw unavailable;
    }
    if (failing) {
      failing = false;
      LOG.info("auth answers introspection again");
    }
    Instant until = now.plus(remembered);
    if (holder.isPresent() && holder.get().expires().isBefore(until)) {
      until = holder.get().expires();
    }
    remember(key, new Answer(holder, until), now);
    return holder;
  }

  private Optional<TokenHolder> ask(String token) throws AuthUnavailable {
    if (signer == null) {
      throw new AuthUnavailable("chatfront.assertion-key is not set", null);
    }
    IntrospectionClient.Introspection answer;
    try {
      answer = auth.introspect("Bearer " + signer.current(), token);
    } catch (ServiceAssertionSigner.Unavailable unsigned) {
      throw new AuthUnavailable(unsigned.getMessage(), unsigned);
    } catch (Refused refused) {
      throw refusedChatfront(refused);
    } catch (WebApplicationException failed) {
      // Jersey's Rest Client hands over the checked exception of AuthAnswers wrapped in one.
      if (failed.getCause() instanceof Refused refused) {
        throw refusedChatfront(refused);
      }
      if (failed.getCause() instanceof AuthUnavailable unavailable) {
        throw unavailable;
      }
      throw new AuthUnavailable("auth answered " + failed.getMessage(), failed);
    } catch (ProcessingException unreachable) {
      throw new AuthUnavailable("auth did not answer: " + unreachable.getMessage(), unreachable);
    }
    if (answer == null || !answer.active() || answer.sub() == null || answer.exp() == null) {
      return Optional.empty();
    }
    if (answer.botOwner() != null && answer.username() != null && answer.name() != null) {
      // A bot made at auth is a chat user from its first call on, and its names follow auth's.
      botUsers.seen(answer.sub(), answer.username(), answer.name(), answer.botOwner());
    }
    Set<String> scopes =
        answer.scope() == null
            ? Set.of()
            : Arrays.stream(answer.scope().split(" "))
                .filter(word -> !word.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    return Optional.of(
        new TokenHolder(
            answer.sub(), answer.username(), scopes, Instant.ofEpochSecond(answer.exp())));
  }

  /** auth refused chatfront itself (a key auth does not hold): a setup fault, never the token's. */
  private AuthUnavailable refusedChatfront(Refused refused) {
    signer.discard();
    return new AuthUnavailable(
        "auth refused chatfront's assertion (" + refused.code() + "): check auth.chatfront-keys",
        refused);
  }

  private void remember(ByteBuffer key, Answer answer, Instant now) {
    if (answers.size() >= MAX_REMEMBERED) {
      answers.values().removeIf(held -> !now.isBefore(held.until));
      if (answers.size() >= MAX_REMEMBERED) {
        answers.clear();
      }
    }
    answers.put(key, answer);
  }

  private static ByteBuffer sha256(String token) {
    try {
      return ByteBuffer.wrap(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
