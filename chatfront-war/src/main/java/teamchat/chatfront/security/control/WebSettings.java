package teamchat.chatfront.security.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Where the browser finds chatserv, and what the pages' Content-Security-Policy allows. */
@ApplicationScoped
public class WebSettings {

  @Inject
  @ConfigProperty(name = "chatfront.chatserv-url")
  String chatservUrl;

  /** The WebSocket URL of chatserv, as the browser must use it (wss:// behind TLS). */
  public String chatservUrl() {
    return chatservUrl;
  }

  /**
   * The policy for every response: scripts, styles and requests only from this site (plus the
   * WebSocket to chatserv); no inline script, no framing, forms only back to this site.
   */
  public String contentSecurityPolicy() {
    URI ws = URI.create(chatservUrl);
    String chatservOrigin = ws.getScheme() + "://" + ws.getRawAuthority();
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
        + " font-src 'self'; connect-src 'self' "
        + chatservOrigin
        + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  }
}
