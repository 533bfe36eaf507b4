package teamchat.chatfront.api.boundary;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.accounts.boundary.ClientAddress;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.api.control.ApiRateLimit;
import teamchat.chatfront.api.control.PersonalTokenChecks;
import teamchat.chatfront.api.control.TokenHolder;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.problems.Refused;

/**
 * Who may call the public API: every request carries {@code Authorization: Bearer <personal access
 * token>}, checked by {@link PersonalTokenChecks}; the method's {@link RequiresScope} must be among
 * the token's scopes; and each person's requests are counted by {@link ApiRateLimit}. Refusals: 401
 * {@code token_missing} / {@code token_invalid} (with {@code WWW-Authenticate}), 403 {@code
 * insufficient_scope}, 429 {@code too_many_requests} (per person) or {@code too_many_failed_tokens}
 * (per client address, {@link ApiRateLimit}) and 503 {@code auth_unavailable}, each with {@code
 * Retry-After} where waiting helps. The token is never logged.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class PersonalTokenPolicy implements ContainerRequestFilter {

  private static final Logger LOG = Logger.getLogger(PersonalTokenPolicy.class.getName());
  private static final String BEARER = "Bearer ";

  /** How soon to try again when auth could not be asked: its circuit of a few seconds. */
  private static final Duration AUTH_RETRY = Duration.ofSeconds(5);

  @Inject PersonalTokenChecks tokens;
  @Inject ApiRateLimit rateLimit;
  @Inject ClientAddress clientAddress;
  @Context ResourceInfo resource;
  @Context HttpServletRequest httpRequest;

  /** The verified caller, as the resources see it through {@link SecurityContext}. */
  public record Caller(TokenHolder holder) implements Principal {
    @Override
    public String getName() {
      return holder.subject();
    }
  }

  @Override
  public void filter(ContainerRequestContext request) {
    Method method = resource.getResourceMethod();
    if (method == null) {
      return; // nothing matched: a 404 (or 405), whoever asks
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      request.abortWith(unauthorized("token_missing", "Send Authorization: Bearer <token>."));
      return;
    }
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      request.abortWith(unauthorized("token_invalid", "Send Authorization: Bearer <token>."));
      return;
    }
    String address = clientAddress.of(httpRequest);
    Optional<Duration> failedWait = rateLimit.failedTokensWait(address);
    if (failedWait.isPresent()) {
      request.abortWith(
          new Refused(
                  Response.Status.TOO_MANY_REQUESTS.getStatusCode(),
                  "too_many_failed_tokens",
                  "Too many unknown tokens from your address; try again in "
                      + failedWait.get().toSeconds()
                      + " s.",
                  failedWait.get())
              .toResponse());
      return;
    }
    Optional<TokenHolder> holder;
    try {
      holder = tokens.holderOf(header.substring(BEARER.length()));
    } catch (AuthUnavailable unavailable) {
      // FINE: PersonalTokenChecks says once at WARNING that auth cannot be asked, and a script
      // retrying must not flood the log.
      LOG.log(Level.FINE, "personal token not checked: {0}", unavailable.getMessage());
      request.abortWith(
          new ApiProblem(
                  Response.Status.SERVICE_UNAVAILABLE.getStatusCode(),
                  "auth_unavailable",
                  "Tokens cannot be checked just now; try again shortly.",
                  Map.of("Retry-After", Long.toString(AUTH_RETRY.toSeconds())))
              .getResponse());
      return;
    }
    if (holder.isEmpty()) {
      rateLimit.tokenFailed(address);
      request.abortWith(unauthorized("token_invalid", "The token is unknown, revoked or expired."));
      return;
    }
    RequiresScope scope = method.getAnnotation(RequiresScope.class);
    if (scope == null || !holder.get().may(scope.value())) {
      String needed = scope == null ? "none" : scope.value();
      request.abortWith(
          Response.fromResponse(
                  new Refused(
                          Response.Status.FORBIDDEN,
                          "insufficient_scope",
                          "This token lacks the scope " + needed + ".")
                      .toResponse())
              .header(
                  "WWW-Authenticate",
                  "Bearer error=\"insufficient_scope\", scope=\"" + needed + "\"")
              .build());
      return;
    }
    Optional<Duration> wait = rateLimit.spend(holder.get().subject());
    if (wait.isPresent()) {
      request.abortWith(
          new Refused(
                  Response.Status.TOO_MANY_REQUESTS.getStatusCode(),
                  "too_many_requests",
                  "Too many requests; try again in " + wait.get().toSeconds() + " s.",
                  wait.get())
              .toResponse());
      return;
    }
    boolean secure = request.getSecurityContext().isSecure();
    Caller caller = new Caller(holder.get());
    request.setSecurityContext(
        new SecurityContext() {
          @Override
          public Principal getUserPrincipal() {
            return caller;
          }

          @Override
          public boolean isUserInRole(String role) {
            return false; // scopes, not roles: checked above
          }

          @Override
          public boolean isSecure() {
            return secure;
          }

          @Override
          public String getAuthenticationScheme() {
            return "Bearer";
          }
        });
  }

  private static Response unauthorized(String code, String sentence) {
    return Response.fromResponse(
            new Refused(Response.Status.UNAUTHORIZED, code, sentence).toResponse())
        .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
        .build();
  }
}
