package teamchat.chatfront.accounts.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.web.ForwardedFor;

/**
 * The address a request really comes from, for the bound on sessions per address: {@link
 * ForwardedFor} with {@code chatfront.trusted-proxies} (nginx). auth decides its own way from the
 * chain chatfront passes on (its {@code auth.trusted-proxies}).
 */
@ApplicationScoped
public class ClientAddress {

  private ForwardedFor forwardedFor;

  @Inject
  void readTrustedProxies(
      @ConfigProperty(name = "chatfront.trusted-proxies") List<String> configured) {
    forwardedFor = new ForwardedFor(configured);
  }

  public String of(HttpServletRequest request) {
    return forwardedFor.clientOf(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
  }
}
