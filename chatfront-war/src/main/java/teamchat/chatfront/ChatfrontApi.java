package teamchat.chatfront;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

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
}
