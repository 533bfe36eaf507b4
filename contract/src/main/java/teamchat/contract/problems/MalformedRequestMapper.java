package teamchat.contract.problems;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A body that cannot be read as the JSON we expect is the client's mistake: 400, never a 500. */
@Provider
public class MalformedRequestMapper implements ExceptionMapper<ProcessingException> {

  /** The answer's body, also for a servlet that reads JSON itself. */
  public static final ApiProblem.Body BODY =
      new ApiProblem.Body("malformed_request", "The body is not JSON of the expected shape.");

  @Override
  public Response toResponse(ProcessingException exception) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(BODY)
        .build();
  }
}
