package teamchat.chatfront.security.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.net.URI;
import teamchat.chatfront.security.control.WebSettings;

/**
 * Redirects never name the host the request's {@code Host} header names: the container would make
 * {@code /login.xhtml} absolute with it, so a forged {@code Host: evil.example} came back as {@code
 * Location: http://evil.example/login.xhtml} (cache poisoning, password reset links and the like).
 * Every redirect of the web app (Faces' post-redirect-get, the sign-in filter) goes to {@code
 * chatfront.public-url}, or, when that is not set, is sent relative (RFC 9110 allows it), for the
 * browser to resolve against the address it really used. Mapped first in web.xml, so that every
 * other filter and servlet redirects through it.
 */
public class PublicRedirects extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Inject WebSettings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(
        request,
        new HttpServletResponseWrapper(response) {
          @Override
          public void sendRedirect(String location) throws IOException {
            if (isCommitted()) {
              throw new IllegalStateException("response already committed");
            }
            resetBuffer();
            setStatus(SC_FOUND);
            setHeader("Location", target(request.getRequestURI(), location));
            flushBuffer();
          }
        });
  }

  /** Where a redirect to {@code location}, asked for while serving {@code requestPath}, goes. */
  String target(String requestPath, String location) {
    String path;
    if (location.startsWith("/") && !location.startsWith("//")) {
      path = location;
    } else if (location.contains("://") || location.startsWith("//")) {
      return location; // an address the application chose itself, never one from the request
    } else {
      try {
        path = URI.create(requestPath).resolve(URI.create(location)).toString();
      } catch (IllegalArgumentException unusual) {
        path = "/" + location;
      }
    }
    String relative = path;
    return settings.publicUrl().map(site -> site + relative).orElse(relative);
  }
}
