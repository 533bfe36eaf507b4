package teamchat.contract.revocation;

import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * auth's feed of revoked sessions (MicroProfile Rest Client); an error status is thrown. The paths
 * are on the methods, none on the interface: a JAX-RS application scans the WAR for classes with
 * {@code @Path} and would take an annotated interface for a resource of its own (auth did, and
 * answered its real {@code /revocations} with 500).
 */
public interface RevocationsApi {

  /** {@code {"revoked_sessions": ["<sid>", ...]}}: sessions ended while tokens may live on. */
  @GET
  @Path("revocations")
  @Produces(MediaType.APPLICATION_JSON)
  JsonObject revoked();
}
