package teamchat.chatfront.security.boundary;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.jwt.JsonWebToken;
import teamchat.contract.revocation.RevokedSessions;

/**
 * What MicroProfile JWT does not check by itself: every token names its subject and has an id, and
 * a token of a revoked session (logout) is refused although its signature and expiry are fine.
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 1)
public class TokenPolicy implements ContainerRequestFilter {

  @Inject JsonWebToken token;
  @Inject RevokedSessions revokedSessions;

  @Override
  public void filter(ContainerRequestContext request) {
    if (token == null || token.getRawToken() == null) {
      return; // anonymous: the resource's @RolesAllowed answers 401
    }
    if (token.getSubject() == null || token.getTokenID() == null) {
      request.abortWith(refuse("token_incomplete", "The token lacks its subject or id."));
    } else if (revokedSessions.isRevoked(token.getClaim("sid"))) {
      request.abortWith(refuse("session_revoked", "This session has ended; log in again."));
    }
  }

  private static Response refuse(String code, String message) {
    return Response.status(Response.Status.UNAUTHORIZED)
        .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity("{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}")
        .build();
  }
}
