package teamchat.chatfront.security.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Refuses a page request whose view state id Faces could not even parse, with 400 before Faces sees
 * it. Mojarra (4.0, server-side state) splits the id at its colon without checking that there is
 * one, so {@code ?jakarta.faces.ViewState=junk} was a 500 and a stack trace in the log for anyone
 * who typed it. Ids Faces makes are two numbers joined by a colon, or {@code stateless} for the
 * anonymous pages; a well-formed id that names no state still reaches Faces, which answers it with
 * the "page expired" page.
 */
@WebFilter(urlPatterns = "*.xhtml", asyncSupported = true)
public class ViewStateCheck extends HttpFilter {
  private static final long serialVersionUID = 1L;

  static final String PARAMETER = "jakarta.faces.ViewState";
  private static final Pattern WELL_FORMED =
      Pattern.compile("stateless|-?[0-9]{1,20}:-?[0-9]{1,20}");

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String[] values = request.getParameterValues(PARAMETER);
    if (values != null && !isWellFormed(values)) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST);
      return;
    }
    try {
      chain.doFilter(request, response);
    } catch (ServletException | RuntimeException failure) {
      if (!ErrorPage.isExpiredView(failure) || response.isCommitted()) {
        throw failure;
      }
      request.setAttribute(ErrorPage.EXPIRED, Boolean.TRUE);
      response.sendError(HttpServletResponse.SC_BAD_REQUEST);
    }
  }

  static boolean isWellFormed(String[] values) {
    return values.length == 1 && WELL_FORMED.matcher(values[0]).matches();
  }
}
