package teamchat.chatfront.security.boundary;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.List;
import teamchat.contract.problems.Refused;
import teamchat.contract.tokens.AccessTokenVerifier;

/**
 * Who may call the REST API: the bearer token of every {@code /api} request is verified, and the
 * resource's {@link TokenGroups} are checked against the verified groups here.
 *
 * <p>Two kinds of bearer, each with one verifier and one policy, told apart by their header's
 * {@code typ} (explicit typing): a person's access token, issued by auth and verified by the
 * contract's {@link AccessTokenVerifier} (the policy chatserv applies to sockets too: RS256, typ
 * JWT, iss, aud, exp, nbf, iat, lifetime, revoked sessions); and chatserv's own assertion ({@code
 * typ} {@code service-assertion+jwt}, ES256), verified by {@link
 * teamchat.chatfront.security.control.ChatservAssertions} under chatserv's configured public key.
 * They are separate on purpose: chatserv's calls must not depend on auth (an auth outage of any
 * length must not stop message storage), and a separate path means auth's key cannot grant the
 * service group (the access-token verifier refuses it) while chatserv's key can grant nothing else.
 * The {@code typ} only chooses the verifier; each checks the signature over the header, so a
 * changed {@code typ} is refused by whichever is chosen. The checks are {@link Bearers}', which the
 * servlet storing chatserv's batches applies too.
 *
 * <p>MicroProfile JWT is not used: it had a second, laxer policy, and it verified any {@code
 * Authorization} header on every page too, logging a stack trace for each bad one.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class TokenPolicy implements ContainerRequestFilter {

  @Inject Bearers bearers;
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
    try {
      AccessTokenVerifier.Verified caller =
          bearers.caller(request.getHeaderString(HttpHeaders.AUTHORIZATION));
      List<String> allowed = rolesAllowed();
      if (allowed != null) {
        Bearers.require(caller, allowed);
      }
      if (caller != null) {
        request.setSecurityContext(new Verified(caller, request.getSecurityContext().isSecure()));
      }
    } catch (Refused refused) {
      request.abortWith(Bearers.toResponse(refused));
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
