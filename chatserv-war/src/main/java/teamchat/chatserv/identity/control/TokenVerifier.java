package teamchat.chatserv.identity.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import teamchat.contract.revocation.RevokedSessions;
import teamchat.contract.tokens.AccessTokenVerifier;

/**
 * Who a socket's token says it is. The token policy itself (algorithm, keys, issuer, audience,
 * times, syntax, revocation) is the one every service shares, {@link AccessTokenVerifier}; on top
 * of it a socket is for people only: a token without the group {@code user} is refused.
 */
@ApplicationScoped
public class TokenVerifier {

  /** The user's group, which every access token of a person carries. */
  static final String USER_GROUP = "user";

  /**
   * How long a socket whose token expired while auth was away has, once auth answers again, to send
   * a fresh token: the page retries its renewal every 5 s, so a dozen tries.
   */
  static final Duration RENEWAL_GRACE = Duration.ofSeconds(60);

  @Inject AccessTokenVerifier tokens;

  @Inject RevokedSessions revocations;

  /** Since when auth has answered without a break, empty while it does not (a seam for tests). */
  Supplier<Optional<Instant>> authAnsweringSince = () -> revocations.answeringSince();

  Clock clock = Clock.systemUTC();

  /**
   * A verified user: who (subject, username as {@code name}, display name), which session, until
   * when, and when the token was issued ({@code iat}: which of two tokens carries the newer names).
   */
  public record Identity(
      String subject,
      String name,
      String session,
      Instant expires,
      String displayName,
      Instant issued) {}

  /** The token was refused; {@code code} says why, for the close reason. */
  public static class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    public final String code;

    Refused(String code) {
      super(code);
      this.code = code;
    }
  }

  /** Verifies the token exactly as the client sent it. */
  public Identity verify(String token) throws Refused {
    AccessTokenVerifier.Verified verified;
    try {
      verified = tokens.verify(token);
    } catch (AccessTokenVerifier.Refused refused) {
      throw new Refused(refused.code);
    }
    if (!verified.inGroup(USER_GROUP)) {
      throw new Refused("not_a_user");
    }
    return new Identity(
        verified.subject(),
        verified.username(),
        verified.session(),
        verified.expires(),
        verified.name(),
        verified.issued());
  }

  /**
   * Whether a verified identity still holds its socket open: its session not revoked (in the last
   * list from auth), and its token not expired, or expired when nobody could renew it. A token is
   * renewed through auth, so while auth does not answer a socket outlives its token: sending and
   * receiving go on through an auth outage of any length for the sockets open when it began. Once
   * auth answers again, such a socket has {@link #RENEWAL_GRACE} to send a fresh token.
   */
  public boolean stillValid(Identity identity) {
    if (tokens.stillValid(identity.expires(), identity.session())) {
      return true;
    }
    if (!tokens.stillValid(Instant.MAX, identity.session())) {
      return false; // logged out, or a stolen session ended, before auth went away
    }
    Optional<Instant> answering = authAnsweringSince.get();
    if (answering.isEmpty()) {
      return true; // auth cannot be asked for a new token now
    }
    Instant back = answering.get();
    return back.isAfter(identity.expires()) && clock.instant().isBefore(back.plus(RENEWAL_GRACE));
  }
}
