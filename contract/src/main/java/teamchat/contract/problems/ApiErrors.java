package teamchat.contract.problems;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every error of a JSON API (chatfront's {@code /api} and {@code /session}, auth) as problem JSON
 * {@code {"code", "message"}}, never the server's HTML report with class names. A client's mistake
 * (4xx) is not logged; a server fault is logged in one line (no stack trace, no request data: a
 * message text or a token must not reach the log), and the client is told to retry.
 */
@Provider
public class ApiErrors implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ApiErrors.class.getName());

  @Override
  public Response toResponse(Throwable failure) {
    if (failure instanceof Refused refused) {
      return refused.toResponse();
    }
    if (failure instanceof WebApplicationException refused) {
      Response response = refused.getResponse();
      if (response.hasEntity()) {
        return response; // an ApiProblem, already problem JSON
      }
      int status = response.getStatus();
      if (status < 500) {
        return problem(status, refusal(status));
      }
    }
    return problem(500, serverFault(failure));
  }

  /** The body of a refusal that says no more than its status, e.g. a 405 or a 415. */
  public static ApiProblem.Body refusal(int status) {
    return new ApiProblem.Body(codeOf(status), "The request was refused (" + status + ").");
  }

  /**
   * The body of a 500, after the one line that logs {@code failure}: for a servlet answering
   * outside JAX-RS as this mapper does inside it.
   */
  public static ApiProblem.Body serverFault(Throwable failure) {
    LOG.log(
        Level.WARNING,
        "request failed on the server: {0} (cause: {1})",
        new Object[] {failure.getClass().getName(), rootCause(failure).getClass().getName()});
    return new ApiProblem.Body("internal", "Something went wrong on the server; try again.");
  }

  public static String codeOf(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 413 -> "too_large";
      case 415 -> "unsupported_media_type";
      default -> "refused";
    };
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause.getCause() != null && depth < 20; depth++) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static Response problem(int status, ApiProblem.Body body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }
}
