package teamchat.chatfront.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import teamchat.chatfront.accounts.control.SignedInUser;

/**
 * Whether whoever sent this request is signed in, asked without making a session: touching the
 * session-scoped {@link SignedInUser} would create one (and keep it for an hour) for every
 * anonymous visitor of the welcome or sign-in page. Pages ask this bean, not {@code signedInUser},
 * wherever someone may not be signed in.
 */
@Named
@RequestScoped
public class Visitor {

  @Inject HttpServletRequest request;
  @Inject SignedInUser user;

  public boolean isSignedIn() {
    return request.getSession(false) != null && user.isSignedIn();
  }

  /** The display name of the signed-in person, or null for an anonymous visitor. */
  public String getDisplayName() {
    return isSignedIn() ? user.displayName() : null;
  }
}
