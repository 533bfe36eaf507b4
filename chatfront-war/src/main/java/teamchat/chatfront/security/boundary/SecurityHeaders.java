package teamchat.chatfront.security.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import teamchat.chatfront.security.control.WebSettings;

/**
 * Headers that make the browser strict with every response of chatfront, whether nginx is in front
 * or not (nginx sets the same ones, plus HSTS). Pages and JSON carry people's data: never cached.
 */
@WebFilter(
    urlPatterns = "/*",
    dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ERROR},
    asyncSupported = true)
public class SecurityHeaders extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Inject WebSettings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String path = request.getServletPath();
    apply(
        response,
        settings,
        path.startsWith("/jakarta.faces.resource/") || path.startsWith("/static/"));
    chain.doFilter(request, response);
  }

  /**
   * Sets the headers; also called by {@link ErrorPage}, since a container may reset headers before
   * it dispatches to an error page.
   */
  public static void apply(HttpServletResponse response, WebSettings settings, boolean cacheable) {
    response.setHeader("Content-Security-Policy", settings.contentSecurityPolicy());
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "same-origin");
    response.setHeader("X-Frame-Options", "DENY");
    if (!cacheable) {
      response.setHeader("Cache-Control", "no-store");
    }
  }
}
