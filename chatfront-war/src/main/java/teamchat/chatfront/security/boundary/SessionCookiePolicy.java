package teamchat.chatfront.security.boundary;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The session cookie is {@code HttpOnly} and {@code SameSite=Lax} always (web.xml), and {@code
 * Secure} when {@code chatfront.secure-cookies} says the site is served over TLS (behind nginx):
 * locally, over plain http, a Secure cookie would never come back.
 */
@WebListener
public class SessionCookiePolicy implements ServletContextListener {

  @Override
  public void contextInitialized(ServletContextEvent event) {
    boolean secure = ConfigProvider.getConfig().getValue("chatfront.secure-cookies", Boolean.class);
    event.getServletContext().getSessionCookieConfig().setSecure(secure);
  }
}
