package teamchat.contract.problems;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * A refused request: an HTTP status and a machine-readable {@code code}, with a sentence for
 * people. The body is {@code {"code": "...", "message": "..."}}.
 */
public class ApiProblem extends WebApplicationException {

  private static final long serialVersionUID = 1L;

  public ApiProblem(Response.Status status, String code, String message) {
    this(status.getStatusCode(), code, message, Map.of());
  }

  public ApiProblem(int status, String code, String message, Map<String, String> headers) {
    super(message, build(status, code, message, headers));
  }

  private static Response build(
      int status, String code, String message, Map<String, String> headers) {
    Response.ResponseBuilder response =
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new Body(code, message));
    headers.forEach(response::header);
    return response.build();
  }

  public static ApiProblem badRequest(String code, String message) {
    return new ApiProblem(Response.Status.BAD_REQUEST, code, message);
  }

  /** The JSON body of a problem. */
  public record Body(String code, String message) {}
}
