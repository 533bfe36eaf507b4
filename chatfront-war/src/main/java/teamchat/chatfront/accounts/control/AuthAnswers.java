package teamchat.chatfront.accounts.control;

import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * What an error answer of auth means for {@link AuthClient}: a 4xx with problem JSON is auth's
 * refusal ({@link Refused}, with auth's code and sentence, and how long to wait when auth said so);
 * anything else (a 5xx, no body, a body that is not problem JSON) is {@link AuthUnavailable}.
 */
public class AuthAnswers implements ResponseExceptionMapper<Exception> {

  @Override
  public Exception toThrowable(Response response) {
    int status = response.getStatus();
    if (status >= 500 || !response.hasEntity()) {
      return new AuthUnavailable("auth answered " + status, null);
    }
    try {
      ApiProblem.Body problem = response.readEntity(ApiProblem.Body.class);
      String message = problem.message() == null ? "Refused." : problem.message();
      String retryAfter = response.getHeaderString("Retry-After");
      if (retryAfter != null && !message.contains(retryAfter)) {
        message = message + " (try again in " + retryAfter + " s)";
      }
      return new Refused(
          status,
          problem.code() == null ? "refused" : problem.code(),
          message,
          seconds(retryAfter));
    } catch (RuntimeException unreadable) {
      return new AuthUnavailable(
          "auth answered " + status + " with an unreadable body", unreadable);
    }
  }

  /** auth's Retry-After, in seconds; null when absent or not a number of seconds. */
  private static Duration seconds(String retryAfter) {
    try {
      return retryAfter == null ? null : Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
    } catch (NumberFormatException notSeconds) {
      return null;
    }
  }
}
