package teamchat.chatfront.api.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;
import teamchat.chatfront.commands.boundary.CommandsApi;
import teamchat.chatfront.webhooks.boundary.RoomWebhooksApi;
import teamchat.contract.problems.ApiErrors;
import teamchat.contract.problems.InvalidRequestMapper;
import teamchat.contract.problems.MalformedRequestMapper;

/**
 * The public REST API, version 1 (docs/api.md). An application of its own at {@code /api/v1}: the
 * servlet mapping {@code /api/v1/*} is longer than the internal API's {@code /api/*}, so every
 * request under {@code /api/v1/} reaches this one, which lists only its own resources and its own
 * bearer policy. nginx routes {@code /api/v1/} and nothing else under {@code /api/}.
 */
@ApplicationPath("/api/v1")
public class PublicApi extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        RoomsApi.class,
        PeopleApi.class,
        RoomWebhooksApi.class,
        CommandsApi.class,
        MeApi.class,
        PersonalTokenPolicy.class,
        ApiErrors.class,
        InvalidRequestMapper.class,
        MalformedRequestMapper.class);
  }

  @Override
  public Map<String, Object> getProperties() {
    return Map.of(
        // No WADL (the API is described in /openapi), and refusals of the framework itself (405,
        // 415) as problem JSON, never the server's HTML error page.
        "jersey.config.server.wadl.disableWadl", true,
        "jersey.config.server.response.setStatusOverSendError", true,
        // A Location stays the path it is set to: Jersey would make it absolute with the
        // request's scheme, http behind nginx where the site is https.
        "jersey.config.server.headers.location.relative.resolution.disabled", true);
  }
}
