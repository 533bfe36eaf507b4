package teamchat.chatfront.security.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.accounts.boundary.Visitor;
import teamchat.chatfront.security.control.WebSettings;
import teamchat.chatfront.web.ProblemJson;
import teamchat.contract.problems.ApiErrors;
import teamchat.contract.problems.ApiProblem;

/**
 * The one error page of the web app, for every status and every exception (web.xml): a page in the
 * site's style that says what happened in people's words, with the security headers, and nothing
 * about the server (no class name, no SQL, no version). A plain servlet, not a Faces page: it must
 * render when Faces itself is what failed. JSON callers ({@code /api}, {@code /session}) get
 * problem JSON instead. A server fault is logged in one line; a client's mistake (4xx) not at all.
 */
@WebServlet("/error")
public class ErrorPage extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(ErrorPage.class.getName());

  @Inject WebSettings settings;
  @Inject Visitor visitor;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    int status = code instanceof Integer number ? number : 404;
    boolean expired = isExpiredView(failure) || request.getAttribute(EXPIRED) != null;
    if (expired) {
      status = 400; // the person's form outlived its state: nothing was done, nothing is broken
    } else if (failure != null || status >= 500) {
      status = 500;
      LOG.log(
          Level.WARNING,
          "{0} {1} failed: {2}",
          new Object[] {
            request.getMethod(),
            request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
            failure == null ? "status " + code : failure.getClass().getName()
          });
    }
    response.resetBuffer();
    response.setStatus(status);
    SecurityHeaders.apply(response, settings, false);
    String uri = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
    if (uri.startsWith(request.getContextPath() + "/api/")
        || uri.startsWith(request.getContextPath() + "/session/")) {
      ProblemJson.send(response, status, new ApiProblem.Body(codeOf(status), sentence(status)));
      return;
    }
    response.setContentType("text/html");
    response.setCharacterEncoding("UTF-8");
    String context = request.getContextPath();
    String displayName = signedInName();
    boolean room = uri.startsWith(context + "/room.xhtml");
    String title = expired ? EXPIRED_TITLE : title(status);
    String sentence =
        expired ? EXPIRED_SENTENCE : room && status == 404 ? ROOM_SENTENCE : sentence(status);
    String back =
        displayName == null
            ? "<a href=\"" + context + "/\">Back to the start</a>"
            : "<a href=\"" + context + "/rooms.xhtml\">Back to your rooms</a>";
    PrintWriter page = response.getWriter();
    page.write(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
            + "<title>"
            + title
            + " · Team chat</title><link rel=\"icon\" href=\"data:,\"/>"
            // The theme the person chose, as on every other page (docs/web-app.md, Themes).
            + "<script src=\""
            + context
            + "/jakarta.faces.resource/js/theme.js.xhtml\"></script>"
            + "<link rel=\"stylesheet\" href=\""
            + context
            + "/jakarta.faces.resource/css/chat.css.xhtml\"/>"
            + "<link rel=\"stylesheet\" href=\""
            + context
            + "/jakarta.faces.resource/css/account.css.xhtml\"/></head><body>"
            + "<header class=\"bar\"><a class=\"brand\" href=\""
            + context
            + "/\">Team chat</a>"
            + (displayName == null
                ? ""
                : "<span class=\"who\"><a href=\""
                    + context
                    + "/rooms.xhtml\">Rooms</a><a class=\"me\" href=\""
                    + context
                    + "/profile.xhtml\">"
                    + escaped(displayName)
                    + "</a></span>")
            + "</header><main id=\"main\" class=\"page\">"
            + "<section class=\"card error-page\" data-status=\""
            + status
            + "\"><h1>"
            + title
            + "</h1><p>"
            + sentence
            + "</p><p>"
            + back
            + "</p></section></main></body></html>\n");
  }

  /**
   * The display name of whoever is signed in, for the page's header; null for anyone else, and
   * whenever it cannot be known: the error page must render whatever failed.
   */
  private String signedInName() {
    try {
      return visitor.getDisplayName();
    } catch (RuntimeException unknown) {
      return null;
    }
  }

  /** Text as HTML shows it: a display name is people's text, never markup. */
  static String escaped(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A room that does not exist and one the visitor is not in look the same (no probing). */
  static final String ROOM_SENTENCE =
      "This room does not exist, or you are not a member of it. A member of a private room can"
          + " invite you.";

  /** Request attribute: the page's view state was gone (set by {@link ViewStateCheck}). */
  static final String EXPIRED = "teamchat.view-expired";

  static final String EXPIRED_TITLE = "Please try again";
  static final String EXPIRED_SENTENCE =
      "This page had been open too long (or the server restarted), so nothing was done.";

  /**
   * A form posted with view state the server no longer has (or never had). Handled here rather than
   * by a Faces page: the error dispatch carries the same view state, so a Faces page would fail the
   * same way again.
   */
  static boolean isExpiredView(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof jakarta.faces.application.ViewExpiredException) {
        return true;
      }
    }
    return false;
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "That did not work";
      case 401 -> "Please sign in";
      case 403 -> "Not allowed";
      case 404 -> "Not found";
      case 405 -> "Not possible here";
      default -> "Something went wrong";
    };
  }

  static String sentence(int status) {
    return switch (status) {
      case 400 -> "The request could not be understood. Go back and try again.";
      case 401 -> "Sign in to see this page.";
      case 403 -> "You may not do that here. If you came from another site, start again from ours.";
      case 404 -> "There is nothing at this address.";
      case 405 -> "This address does not take that kind of request.";
      default -> "The server could not finish this. Try again in a moment.";
    };
  }

  static String codeOf(int status) {
    return status >= 500 ? "internal" : ApiErrors.codeOf(status);
  }
}
