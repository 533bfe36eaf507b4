package teamchat.chatfront.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;

/**
 * Tells Payara's session store that this request changed the session in place. With several
 * chatfront instances the session lives in the Data Grid (web.xml {@code <distributable/>}), and
 * Payara saves it at the end of a request only if the request set or removed an attribute (its
 * default persistence scope, {@code modified-session}). A session-scoped bean that changes a field
 * of its own sets none, so it calls {@link #changed()}: without it, the other instance would carry
 * on with the old state, and an old refresh token is one that auth takes for stolen.
 *
 * <p>Not Weld's {@code resetHttpSessionAttributeOnBeanAccess}, which marks the session changed on
 * every request that reads a session bean: every such request would then write the whole session to
 * the grid, and one that read it before another instance saved newer tokens would write the old
 * ones back.
 */
@ApplicationScoped
public class SessionChanges {

  /** The attribute set to mark the change: when the session last changed in place. */
  static final String CHANGED_AT = "teamchat.changed-at";

  @Inject HttpServletRequest request;

  /** Marks the current request's session, if it has one, as changed. */
  public void changed() {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.setAttribute(CHANGED_AT, Instant.now());
    }
  }
}
