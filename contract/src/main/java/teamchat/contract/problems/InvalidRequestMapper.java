package teamchat.contract.problems;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.stream.Collectors;

/** Bean Validation refused a parameter or body: 400 {@code invalid_request}, naming the fields. */
@Provider
public class InvalidRequestMapper implements ExceptionMapper<ConstraintViolationException> {

  @Override
  public Response toResponse(ConstraintViolationException exception) {
    String fields =
        exception.getConstraintViolations().stream()
            .map(ConstraintViolation::getPropertyPath)
            .map(Object::toString)
            .map(path -> path.substring(path.lastIndexOf('.') + 1))
            .sorted()
            .distinct()
            .collect(Collectors.joining(", "));
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiProblem.Body("invalid_request", "Invalid: " + fields + "."))
        .build();
  }
}
