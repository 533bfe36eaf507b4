package teamchat.chatfront.security.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the browser finds chatserv and this site, and what the pages' Content-Security-Policy
 * allows.
 */
@ApplicationScoped
public class WebSettings {

  @Inject
  @ConfigProperty(name = "chatfront.chatserv-url")
  String chatservUrl;

  @Inject
  @ConfigProperty(name = "chatfront.public-url")
  Optional<String> publicUrl;

  /** Settings without CDI (unit tests): chatserv's URL and the public URL (null: not set). */
  public static WebSettings of(String chatservUrl, String publicUrl) {
    WebSettings settings = new WebSettings();
    settings.chatservUrl = chatservUrl;
    settings.publicUrl = Optional.ofNullable(publicUrl);
    return settings;
  }

  /** The WebSocket URL of chatserv, as the browser must use it (wss:// behind TLS). */
  public String chatservUrl() {
    return chatservUrl;
  }

  /**
   * The address people open the site at ({@code https://chat.example.org}), without a trailing
   * slash; empty when not configured (then redirects are relative and the browser resolves them
   * against the address it used).
   */
  public Optional<String> publicUrl() {
    return publicUrl
        .map(String::strip)
        .filter(url -> !url.isEmpty())
        .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
  }

  /** The origin ({@code scheme://host[:port]}) of {@link #publicUrl}, if configured. */
  public Optional<String> publicOrigin() {
    return publicUrl().map(URI::create).map(url -> url.getScheme() + "://" + url.getRawAuthority());
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
