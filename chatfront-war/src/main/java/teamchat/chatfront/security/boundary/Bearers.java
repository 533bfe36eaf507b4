package teamchat.chatfront.security.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.security.control.ChatservAssertions;
import teamchat.chatfront.web.ProblemJson;
import teamchat.contract.problems.Refused;
import teamchat.contract.tokens.AccessTokenVerifier;
import teamchat.contract.tokens.ServiceAssertionVerifier;

/**
 * The bearer policy of chatfront's internal API, in one place for both of its doors: {@link
 * TokenPolicy} (the JAX-RS resources) and the servlet that stores chatserv's batches ({@code
 * messages.boundary.StoreBatchServlet}). Which verifier judges a token, what a refusal says, and
 * the challenge that comes with a 401 are decided here only.
 */
@ApplicationScoped
public class Bearers {

  private static final Logger LOG = Logger.getLogger(Bearers.class.getName());
  private static final String BEARER = "Bearer ";

  /** The {@code WWW-Authenticate} of every 401 (RFC 6750). */
  static final String CHALLENGE = "Bearer error=\"invalid_token\"";

  @Inject AccessTokenVerifier verifier;
  @Inject ChatservAssertions chatserv;

  /**
   * The caller an {@code Authorization} header names, verified; {@code null} when there is no
   * header. The {@code typ} of the token chooses the verifier (see {@link TokenPolicy}).
   *
   * @throws Refused 401 with the verifier's code, or {@code token_invalid} for another scheme
   */
  public AccessTokenVerifier.Verified caller(String authorization) throws Refused {
    if (authorization == null) {
      return null;
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw unauthorized("token_invalid");
    }
    String token = authorization.substring(BEARER.length());
    try {
      return ServiceAssertionVerifier.claimsToBeAnAssertion(token)
          ? chatserv.verify(token)
          : verifier.verify(token);
    } catch (AccessTokenVerifier.Refused refused) {
      // One line at FINE, never the token: refusals are the caller's mistake (or an attack), and a
      // flood of them must not flood the log.
      LOG.log(Level.FINE, "bearer token refused: {0}", refused.code);
      throw unauthorized(refused.code);
    }
  }

  /**
   * Lets {@code caller} through if it holds one of {@code groups}.
   *
   * @throws Refused 401 {@code token_missing} without a caller, 403 {@code forbidden} when none of
   *     the caller's groups is allowed
   */
  public static void require(AccessTokenVerifier.Verified caller, List<String> groups)
      throws Refused {
    if (caller == null) {
      throw unauthorized("token_missing");
    }
    if (groups.stream().noneMatch(caller::inGroup)) {
      throw new Refused(Response.Status.FORBIDDEN, "forbidden", "This token may not call this.");
    }
  }

  /** The refusal as a JAX-RS answer, with the challenge if it is a 401. */
  public static Response toResponse(Refused refused) {
    Response answer = refused.toResponse();
    return challenges(refused)
        ? Response.fromResponse(answer).header("WWW-Authenticate", CHALLENGE).build()
        : answer;
  }

  /** The refusal written by a servlet, with the challenge if it is a 401. */
  public static void send(HttpServletResponse response, Refused refused) throws IOException {
    if (challenges(refused)) {
      response.setHeader("WWW-Authenticate", CHALLENGE);
    }
    ProblemJson.send(response, refused);
  }

  private static boolean challenges(Refused refused) {
    return refused.status() == Response.Status.UNAUTHORIZED.getStatusCode();
  }

  private static Refused unauthorized(String code) {
    return new Refused(Response.Status.UNAUTHORIZED, code, "A valid bearer token is required.");
  }
}
