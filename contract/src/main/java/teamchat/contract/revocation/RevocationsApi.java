package teamchat.contract.revocation;

import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** auth's feed of revoked sessions (MicroProfile Rest Client); an error status is thrown. */
@Path("revocations")
public interface RevocationsApi {

  /** {@code {"revoked_sessions": ["<sid>", ...]}}: sessions ended while tokens may live on. */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  JsonObject revoked();
}
