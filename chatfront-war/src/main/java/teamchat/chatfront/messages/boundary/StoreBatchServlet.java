package teamchat.chatfront.messages.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import teamchat.chatfront.ChatfrontApi;
import teamchat.chatfront.messages.control.MessageBatches;
import teamchat.chatfront.security.boundary.Bearers;
import teamchat.chatfront.web.ProblemJson;
import teamchat.contract.messages.StoreBatch;
import teamchat.contract.problems.ApiErrors;
import teamchat.contract.problems.MalformedRequestMapper;
import teamchat.contract.problems.Refused;

/**
 * {@code POST /api/messages/batch}: chatserv stores a batch of messages (its assertion, group
 * {@code chat-service}), answered with one outcome per message ({@link MessageBatches}).
 *
 * <p>A servlet, not a JAX-RS resource like the rest of {@code /api}: this is the one call on every
 * message's path, and Jersey's machinery around the resource method (routing, HK2 lookups, entity
 * providers, validation twice, the tracing listener) was 40% of chatfront's CPU samples on it
 * against 29% for the method itself (BENCHMARKS.md, issue 18). Its exact mapping wins over the
 * JAX-RS application's {@code /api/*}. It keeps that door's rules, each from the same place: the
 * bearer policy ({@link Bearers}, as {@code TokenPolicy}), problem JSON for every refusal ({@link
 * ApiErrors}' bodies and codes), 415 for a body that is not JSON, 400 {@code malformed_request} for
 * JSON not of a batch's shape, and 500 {@code internal} (logged in one line) when the database
 * fails, so that chatserv tells its senders the outcome is unknown and sends the batch again. The
 * servlet filters of {@code /*} (security headers) apply as before. {@code Accept} is not
 * consulted: the answer is JSON.
 */
@WebServlet("/api/messages/batch")
public class StoreBatchServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** Thread-safe; made once, as making one is costly. */
  private static final Jsonb JSON = JsonbBuilder.create();

  private static final List<String> ALLOWED = List.of(ChatfrontApi.SERVICE);

  @Inject Bearers bearers;
  @Inject MessageBatches batches;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST");
      ProblemJson.send(response, 405, ApiErrors.refusal(405));
      return;
    }
    if (!isJson(request.getContentType())) {
      ProblemJson.send(response, 415, ApiErrors.refusal(415));
      return;
    }
    try {
      Bearers.require(bearers.caller(request.getHeader("Authorization")), ALLOWED);
      StoreBatch batch = read(request.getInputStream());
      byte[] answer = JSON.toJson(batches.store(batch)).getBytes(StandardCharsets.UTF_8);
      response.setStatus(HttpServletResponse.SC_OK);
      response.setContentType("application/json");
      response.setContentLength(answer.length);
      response.getOutputStream().write(answer);
    } catch (Refused refused) {
      Bearers.send(response, refused);
    } catch (RuntimeException failure) {
      ProblemJson.send(response, 500, ApiErrors.serverFault(failure));
    }
  }

  /**
   * The batch a body holds; {@code null} for the JSON {@code null}.
   *
   * @throws Refused 400 {@code malformed_request} for anything that is not JSON of a batch's shape
   */
  static StoreBatch read(InputStream body) throws Refused {
    try {
      return JSON.fromJson(body, StoreBatch.class);
    } catch (RuntimeException unreadable) {
      // Whatever the parser throws while reading a body says the body is not a batch
      // (JsonbException, JsonParsingException, a number out of range): the client's mistake.
      throw new Refused(
          Response.Status.BAD_REQUEST,
          MalformedRequestMapper.BODY.code(),
          MalformedRequestMapper.BODY.message());
    }
  }

  /** {@code application/json}, with or without parameters such as a charset. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int parameters = contentType.indexOf(';');
    String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip();
    return type.toLowerCase(Locale.ROOT).equals("application/json");
  }
}
