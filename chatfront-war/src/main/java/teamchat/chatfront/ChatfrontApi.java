package teamchat.chatfront;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;
import teamchat.chatfront.messages.boundary.MessagesResource;
import teamchat.chatfront.rooms.boundary.MembershipsResource;
import teamchat.chatfront.security.boundary.TokenPolicy;
import teamchat.chatfront.users.boundary.MeResource;
import teamchat.chatfront.users.boundary.UsersResource;
import teamchat.contract.problems.ApiErrors;
import teamchat.contract.problems.InvalidRequestMapper;
import teamchat.contract.problems.MalformedRequestMapper;

/**
 * The REST API under {@code /api}: for chatserv (group {@code chat-service}; never routed by the
 * public nginx) and for the signed-in user (group {@code user}). Every call carries a bearer: a
 * person's access token from auth, or chatserv's own signed assertion, each verified by {@link
 * TokenPolicy} with its one verifier; what a caller may call is declared with {@code @TokenGroups}
 * (no container security: see there).
 */
@ApplicationPath("/api")
public class ChatfrontApi extends Application {
  public static final String USER = "user";
  public static final String SERVICE = "chat-service";

  /**
   * No WADL: Jersey would describe every resource at {@code /api/application.wadl} to anyone who
   * asks. The API is described by {@code /openapi} (internal, see docs/web-app.md).
   */
  public static final Map<String, Object> PROPERTIES =
      Map.of("jersey.config.server.wadl.disableWadl", true);

  /** Listed, so that the web app's own {@code /session} endpoints stay out of this API. */
  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        MessagesResource.class,
        MembershipsResource.class,
        UsersResource.class,
        MeResource.class,
        TokenPolicy.class,
        ApiErrors.class,
        InvalidRequestMapper.class,
        MalformedRequestMapper.class);
  }

  @Override
  public Map<String, Object> getProperties() {
    return PROPERTIES;
  }
}
