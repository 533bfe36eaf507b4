package teamchat.chatserv.identity.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
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

  @Inject AccessTokenVerifier tokens;

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

  /** Whether a verified identity still holds: not expired, session not revoked. */
  public boolean stillValid(Identity identity) {
    return tokens.stillValid(identity.expires(), identity.session());
  }
}
