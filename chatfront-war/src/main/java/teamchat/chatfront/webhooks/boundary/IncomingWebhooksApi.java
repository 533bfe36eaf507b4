package teamchat.chatfront.webhooks.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;
import teamchat.contract.problems.ApiErrors;
import teamchat.contract.problems.InvalidRequestMapper;
import teamchat.contract.problems.MalformedRequestMapper;

/**
 * The URLs that take posts from incoming webhooks, {@code /api/v1/hooks/{id}/{secret}}: a JAX-RS
 * application of its own, because its caller proves itself with the secret in the path, not with
 * the public API's bearer token. Its servlet mapping {@code /api/v1/hooks/*} is longer than the
 * public API's {@code /api/v1/*}, so every request under it reaches this one and never the public
 * API's token policy. nginx routes it as part of {@code /api/v1/}, and logs it without the secret.
 */
@ApplicationPath("/api/v1/hooks")
public class IncomingWebhooksApi extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        HookPosts.class, ApiErrors.class, InvalidRequestMapper.class, MalformedRequestMapper.class);
  }

  @Override
  public Map<String, Object> getProperties() {
    return Map.of(
        // As the public API: no WADL, and the framework's own refusals as problem JSON.
        "jersey.config.server.wadl.disableWadl", true,
        "jersey.config.server.response.setStatusOverSendError", true);
  }
}
