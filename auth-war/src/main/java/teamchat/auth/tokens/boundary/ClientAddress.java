package teamchat.auth.tokens.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.web.ForwardedFor;

/**
 * The address a request really comes from: {@link ForwardedFor} with {@code auth.trusted-proxies}
 * (nginx, and chatfront, which logs people in on their behalf).
 */
@ApplicationScoped
public class ClientAddress {

  private ForwardedFor forwardedFor;

  @Inject
  void readTrustedProxies(@ConfigProperty(name = "auth.trusted-proxies") List<String> configured) {
    forwardedFor = new ForwardedFor(configured);
  }

  public String of(HttpServletRequest request) {
    return forwardedFor.clientOf(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
  }
}
