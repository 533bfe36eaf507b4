package teamchat.chatserv.storage.control;

import jakarta.json.JsonObject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * What chatserv asks of auth itself (MicroProfile Rest Client): its own service token. The path is
 * on the method, none on the interface, so that no JAX-RS application takes it for a resource.
 */
public interface AuthApi {

  /** Client credentials in HTTP Basic; an error status is thrown as a WebApplicationException. */
  @POST
  @Path("tokens/service")
  @Produces(MediaType.APPLICATION_JSON)
  JsonObject serviceToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String basicCredentials);
}
