package teamchat.auth.tokens.boundary;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Nothing auth answers may be kept by a browser or a proxy cache (tokens, refresh tokens, account
 * data): {@code Cache-Control: no-store} on every response that does not say otherwise. The JWKS
 * says otherwise on purpose: verifiers may cache it.
 */
@Provider
public class NoStore implements ContainerResponseFilter {

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
      response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
      response.getHeaders().putSingle("Pragma", "no-cache");
    }
  }
}
