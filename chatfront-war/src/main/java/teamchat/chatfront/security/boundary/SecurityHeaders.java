package teamchat.chatfront.security.boundary;

import jakarta.inject.Inject;
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
@WebFilter("/*")
public class SecurityHeaders extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Inject WebSettings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("Content-Security-Policy", settings.contentSecurityPolicy());
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "same-origin");
    response.setHeader("X-Frame-Options", "DENY");
    String path = request.getServletPath();
    if (!path.startsWith("/jakarta.faces.resource/") && !path.startsWith("/static/")) {
      response.setHeader("Cache-Control", "no-store");
    }
    chain.doFilter(request, response);
  }
}
