package teamchat.chatfront.security.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.security.control.WebSettings;

/**
 * Refuses a form post that another site's page made (CSRF). The anonymous pages (sign in, register)
 * are stateless and carry no secret view state a foreign page could not guess, so the browser's own
 * word decides: {@code Sec-Fetch-Site} must be {@code same-origin} (or {@code none}, typed by the
 * person), and {@code Origin}, which browsers send with every post, must be this site ({@code
 * chatfront.public-url}, or the host the request was sent to). A request with neither header did
 * not come from a browser, so no one's cookie or session is at stake. Pages of signed-in people
 * keep their view state in the session as well, and the session cookie is SameSite=Lax.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SameOriginPosts extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(SameOriginPosts.class.getName());
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

  @Inject WebSettings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (SAFE.contains(request.getMethod()) || request.getServletPath().startsWith("/api")) {
      chain.doFilter(request, response); // /api takes bearer tokens, never cookies
      return;
    }
    if (isCrossSite(
        request.getHeader("Sec-Fetch-Site"),
        request.getHeader("Origin"),
        request.getHeader("Host"))) {
      LOG.log(Level.FINE, "refused a cross-site {0}", request.getMethod());
      response.sendError(HttpServletResponse.SC_FORBIDDEN);
      return;
    }
    chain.doFilter(request, response);
  }

  boolean isCrossSite(String fetchSite, String origin, String host) {
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      return true;
    }
    if (origin == null) {
      return false;
    }
    if (settings.publicOrigin().filter(origin::equalsIgnoreCase).isPresent()) {
      return false;
    }
    // Also the host the browser sent this request to (a browser never lets a page forge Host):
    // the site opened at its local address as well as at its public one.
    try {
      URI from = URI.create(origin);
      return from.getRawAuthority() == null || !from.getRawAuthority().equalsIgnoreCase(host);
    } catch (IllegalArgumentException notAnOrigin) {
      return true; // "null" (a sandboxed or opaque origin) and anything unparseable
    }
  }
}
