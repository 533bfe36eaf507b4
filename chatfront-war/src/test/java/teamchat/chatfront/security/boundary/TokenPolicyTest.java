package teamchat.chatfront.security.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;
import teamchat.contract.revocation.RevokedSessions;

class TokenPolicyTest {

  @Test
  void anIntactTokenOfALiveSessionPasses() {
    assertNull(refusal(token(Map.of("sub", "u1", "jti", "j1", "sid", "s-live"))));
  }

  @Test
  void aTokenOfARevokedSessionIsRefused() {
    Response refused = refusal(token(Map.of("sub", "u1", "jti", "j1", "sid", "s-revoked")));
    assertEquals(401, refused.getStatus());
    assertTrue(refused.getEntity().toString().contains("session_revoked"));
  }

  @Test
  void aTokenWithoutSubjectOrIdIsRefused() {
    assertTrue(
        refusal(token(Map.of("jti", "j1"))).getEntity().toString().contains("token_incomplete"));
    assertTrue(
        refusal(token(Map.of("sub", "u1"))).getEntity().toString().contains("token_incomplete"));
  }

  @Test
  void anonymousRequestsAreLeftToRolesAllowed() {
    assertNull(refusal(token(Map.of())));
  }

  private static Response refusal(JsonWebToken token) {
    TokenPolicy cut = new TokenPolicy();
    cut.token = token;
    cut.revokedSessions =
        new RevokedSessions() {
          @Override
          public boolean isRevoked(String sid) {
            return Set.of("s-revoked").contains(sid);
          }
        };
    Map<String, Response> aborted = new HashMap<>();
    ContainerRequestContext request =
        (ContainerRequestContext)
            Proxy.newProxyInstance(
                ContainerRequestContext.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("abortWith")) {
                    aborted.put("response", (Response) args[0]);
                    return null;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    cut.filter(request);
    return aborted.get("response");
  }

  /** A token with these claims; an empty map is MicroProfile JWT's "no token" (raw token null). */
  private static JsonWebToken token(Map<String, String> claims) {
    return new JsonWebToken() {
      @Override
      public String getName() {
        return claims.get("sub");
      }

      @Override
      public Set<String> getClaimNames() {
        return claims.keySet();
      }

      @Override
      @SuppressWarnings("unchecked")
      public <T> T getClaim(String claimName) {
        if (claimName.equals("raw_token")) {
          return claims.isEmpty() ? null : (T) "header.payload.signature";
        }
        return (T) claims.get(claimName);
      }
    };
  }
}
