package teamchat.chatfront.security.boundary;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.security.control.ChatservAssertions;
import teamchat.contract.problems.Refused;
import teamchat.contract.tokens.AccessTokenVerifier;
import teamchat.contract.tokens.ServiceAssertionVerifier;

/**
 * Who may call the REST API: the bearer token of every {@code /api} request is verified, and the
 * resource's {@link TokenGroups} are checked against the verified groups here.
 *
 * <p>Two kinds of bearer, each with one verifier and one policy, told apart by their header's
 * {@code typ} (explicit typing): a person's access token, issued by auth and verified by the
 * contract's {@link AccessTokenVerifier} (the policy chatserv applies to sockets too: RS256, typ
 * JWT, iss, aud, exp, nbf, iat, lifetime, revoked sessions); and chatserv's own assertion ({@code
 * typ} {@code service-assertion+jwt}, ES256), verified by {@link ChatservAssertions} under
 * chatserv's configured public key. They are separate on purpose: chatserv's calls must not depend
 * on auth (an auth outage of any length must not stop message storage), and a separate path means
 * auth's key cannot grant the service group (the access-token verifier refuses it) while chatserv's
 * key can grant nothing else. The {@code typ} only chooses the verifier; each checks the signature
 * over the header, so a changed {@code typ} is refused by whichever is chosen.
 *
 * <p>MicroProfile JWT is not used: it had a second, laxer policy, and it verified any {@code
 * Authorization} header on every page too, logging a stack trace for each bad one.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class TokenPolicy implements ContainerRequestFilter {

  private static final Logger LOG = Logger.getLogger(TokenPolicy.class.getName());
  private static final String BEARER = "Bearer ";

  @Inject AccessTokenVerifier verifier;
  @Inject ChatservAssertions chatserv;
  @Context ResourceInfo resource;

  /** The verified caller, as resources see it through {@link SecurityContext#getUserPrincipal}. */
  public record Caller(AccessTokenVerifier.Verified token) implements Principal {
    @Override
    public String getName() {
      return token.subject();
    }
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    AccessTokenVerifier.Verified caller = null;
    if (header != null) {
      if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        request.abortWith(unauthorized("token_invalid"));
        return;
      }
      try {
        String token = header.substring(BEARER.length());
        caller =
            ServiceAssertionVerifier.claimsToBeAnAssertion(token)
                ? chatserv.verify(token)
                : verifier.verify(token);
      } catch (AccessTokenVerifier.Refused refused) {
        // One line at FINE, never the token: refusals are the caller's mistake (or an attack),
        // and a flood of them must not flood the log.
        LOG.log(Level.FINE, "bearer token refused: {0}", refused.code);
        request.abortWith(unauthorized(refused.code));
        return;
      }
    }
    List<String> allowed = rolesAllowed();
    if (allowed != null) {
      if (caller == null) {
        request.abortWith(unauthorized("token_missing"));
        return;
      }
      if (allowed.stream().noneMatch(caller::inGroup)) {
        request.abortWith(
            new Refused(Response.Status.FORBIDDEN, "forbidden", "This token may not call this.")
                .toResponse());
        return;
      }
    }
    if (caller != null) {
      request.setSecurityContext(new Verified(caller, request.getSecurityContext().isSecure()));
    }
  }

  /**
   * The groups allowed to call the matched method: its own {@link TokenGroups}, else its class's;
   * {@code null} when anyone may (neither says).
   */
  List<String> rolesAllowed() {
    Method method = resource.getResourceMethod();
    if (method == null) {
      return null; // nothing matched: the answer is a 404, whoever asks
    }
    TokenGroups groups = method.getAnnotation(TokenGroups.class);
    Class<?> type = resource.getResourceClass();
    if (groups == null && type != null) {
      groups = type.getAnnotation(TokenGroups.class);
    }
    return groups == null ? null : List.of(groups.value());
  }

  private static Response unauthorized(String code) {
    return Response.fromResponse(
            new Refused(Response.Status.UNAUTHORIZED, code, "A valid bearer token is required.")
                .toResponse())
        .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
        .build();
  }

  /** A request's security context once its token is verified: roles are the token's groups. */
  private record Verified(AccessTokenVerifier.Verified token, boolean secure)
      implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return new Caller(token);
    }

    @Override
    public boolean isUserInRole(String role) {
      return token.inGroup(role);
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}
