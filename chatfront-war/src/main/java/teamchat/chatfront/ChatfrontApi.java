package teamchat.chatfront;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.eclipse.microprofile.auth.LoginConfig;
import teamchat.chatfront.messages.boundary.MessagesResource;
import teamchat.chatfront.security.boundary.TokenPolicy;
import teamchat.chatfront.users.boundary.MeResource;
import teamchat.contract.problems.InvalidRequestMapper;
import teamchat.contract.problems.MalformedRequestMapper;

/**
 * The REST API under {@code /api}: for chatserv (service tokens, group {@code chat-service}; never
 * routed by the public nginx) and for the signed-in user (group {@code user}). Every call carries a
 * bearer token from auth, verified by MicroProfile JWT against auth's published keys (settings in
 * the contract module).
 */
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({ChatfrontApi.USER, ChatfrontApi.SERVICE})
public class ChatfrontApi extends Application {
  public static final String USER = "user";
  public static final String SERVICE = "chat-service";

  /** Listed, so that the web app's own {@code /session} endpoints stay out of this API. */
  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        MessagesResource.class,
        MeResource.class,
        TokenPolicy.class,
        InvalidRequestMapper.class,
        MalformedRequestMapper.class);
  }
}
