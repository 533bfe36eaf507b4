package teamchat.auth.tokens.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import teamchat.auth.tokens.control.RefreshTokens;
import teamchat.auth.tokens.control.SigningKeys;

/**
 * What verifiers need: the public keys, and the sessions revoked since their tokens were issued.
 */
@Path("")
@Tag(name = "verification")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {

  @Inject SigningKeys signingKeys;
  @Inject RefreshTokens refreshTokens;

  public record Revocations(@JsonbProperty("revoked_sessions") List<UUID> revokedSessions) {}

  @GET
  @Path(".well-known/jwks.json")
  @Operation(summary = "The public keys that verify access tokens (JWKS)")
  public Response jwks() {
    // Verifiers cache this; a new key appears before it signs anything they cannot fetch again.
    CacheControl cache = new CacheControl();
    cache.setMaxAge(60);
    return Response.ok(signingKeys.publicKeys().toString(true)).cacheControl(cache).build();
  }

  @GET
  @Path("revocations")
  @Operation(summary = "Sessions (claim sid) revoked while their access tokens may still be valid")
  public Revocations revocations() {
    return new Revocations(refreshTokens.recentlyRevokedSessions());
  }
}
