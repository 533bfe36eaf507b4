package teamchat.chatfront.accounts.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.web.ProblemJson;
import teamchat.contract.problems.Refused;
import teamchat.contract.revocation.RevokedSessions;

/**
 * The pages and browser endpoints that need someone signed in: pages send strangers to the sign-in
 * page, the JSON endpoints answer 401 (the chat page's script then goes to the sign-in page). A
 * session that auth revoked (signed out on another device, a password changed elsewhere) ends here
 * at its next request, within seconds of the revocation, not when its access token runs out.
 */
@WebFilter(
    urlPatterns = {"/rooms.xhtml", "/room.xhtml", "/profile.xhtml", "/session/*", "/files/*"},
    asyncSupported = true)
public class SignInRequired extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Inject SignedInUser user;
  @Inject RevokedSessions revokedSessions;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpSession session = request.getSession(false);
    boolean signedIn = session != null && user.isSignedIn();
    if (signedIn && revokedSessions.isRevoked(user.session())) {
      user.ended();
      session.invalidate();
      signedIn = false;
    }
    if (signedIn) {
      chain.doFilter(request, response);
    } else if (request.getServletPath().startsWith("/session")) {
      ProblemJson.send(
          response, new Refused(Response.Status.UNAUTHORIZED, "signed_out", "Sign in again."));
    } else {
      response.sendRedirect(request.getContextPath() + "/login.xhtml");
    }
  }
}
