package teamchat.auth;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/**
 * The auth service's JSON API, at the root of its context ({@code /auth}). Its OpenAPI description
 * is served at {@code /openapi} on the same port; the flows are explained in docs/tokens.md.
 */
@ApplicationPath("/")
@OpenAPIDefinition(
    info =
        @Info(
            title = "teamchat auth",
            version = "1",
            description =
                "Registration, a person's own display name and password, login, token refresh and revocation, and the keys that verify tokens."))
public class AuthApplication extends Application {

  @Override
  public Map<String, Object> getProperties() {
    return Map.of(
        // No WADL: the OpenAPI document describes the API; WADL only told strangers more.
        "jersey.config.server.wadl.disableWadl", true,
        // A refusal without a body (415, 405, 406 from Jersey itself) goes out as ApiErrors'
        // problem JSON, never as the server's HTML error page.
        "jersey.config.server.response.setStatusOverSendError", true);
  }
}
