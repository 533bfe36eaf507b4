package teamchat.contract.problems;

import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;

/**
 * The one way a service's rules say no: an HTTP status, a machine-readable {@code code} and a
 * sentence for people, and for a limit the time after which to try again. Control classes throw it;
 * JAX-RS resources let it pass and {@link ApiErrors} turns it into problem JSON; JSF pages show its
 * message. Checked, so that every caller decides what the person sees.
 *
 * <p>It carries no stack trace: a refusal is an answer, not a fault, and is never logged as one.
 */
public class Refused extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final Duration retryAfter;

  public Refused(Response.Status status, String code, String message) {
    this(status.getStatusCode(), code, message, null);
  }

  public Refused(int status, String code, String message, Duration retryAfter) {
    super(message, null, false, false);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a refusal is a 4xx answer, not " + status);
    }
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The problem JSON answer, with {@code Retry-After} in whole seconds (at least 1) if set. */
  public Response toResponse() {
    Response.ResponseBuilder response =
        Response.status(status)
            .type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
            .entity(new ApiProblem.Body(code, getMessage()));
    retryAfter().ifPresent(wait -> response.header("Retry-After", Math.max(1, wait.toSeconds())));
    return response.build();
  }
}
