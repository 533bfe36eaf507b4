package teamchat.chatfront.web;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import teamchat.contract.problems.ApiErrors;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * Problem JSON written by a servlet or a servlet filter, where JAX-RS (and so {@link ApiErrors})
 * does not reach: the same body, {@link ApiProblem.Body}, that the JSON APIs answer with.
 */
public final class ProblemJson {

  /** Thread-safe; made once, as making one is costly. */
  private static final Jsonb JSON = JsonbBuilder.create();

  private ProblemJson() {}

  /** Answers with the refusal, as {@link Refused#toResponse()} would in a JAX-RS resource. */
  public static void send(HttpServletResponse response, Refused refused) throws IOException {
    refused
        .retryAfter()
        .ifPresent(
            wait ->
                response.setHeader("Retry-After", Long.toString(Math.max(1, wait.toSeconds()))));
    send(response, refused.status(), new ApiProblem.Body(refused.code(), refused.getMessage()));
  }

  public static void send(HttpServletResponse response, int status, ApiProblem.Body body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(JSON.toJson(body));
  }
}
