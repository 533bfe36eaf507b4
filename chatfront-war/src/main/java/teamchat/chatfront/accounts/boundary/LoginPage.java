package teamchat.chatfront.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.accounts.control.AuthAccounts;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.accounts.control.SessionsPerAddress;
import teamchat.chatfront.accounts.control.SessionsPerUser;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.accounts.control.Tokens;
import teamchat.chatfront.users.control.People;
import teamchat.chatfront.web.FormInput;
import teamchat.chatfront.web.Pages;
import teamchat.contract.problems.Refused;

/** The sign-in form. */
@Named
@RequestScoped
public class LoginPage {

  private static final Logger LOG = Logger.getLogger(LoginPage.class.getName());

  @Inject AuthAccounts auth;
  @Inject SignedInUser user;
  @Inject Visitor visitor;
  @Inject People people;
  @Inject SessionsPerUser sessions;
  @Inject SessionsPerAddress sessionsPerAddress;
  @Inject ClientAddress clientAddress;

  private String username;
  private String password;

  /** Someone already signed in goes straight to their rooms. */
  public String skipWhenSignedIn() {
    return visitor.isSignedIn() ? Pages.redirect("rooms") : null;
  }

  public String signIn() {
    Optional<String> problem = FormInput.usernameProblem(username);
    if (problem.isEmpty()) {
      problem = FormInput.passwordProblem(password);
    }
    if (problem.isPresent()) {
      // Refused here, before auth: a NUL or a megabyte never reaches auth or a database.
      Pages.error(null, "Wrong username or password.");
      return null;
    }
    try {
      admitSession();
      signIn(auth.login(username, password, forwardedFor()));
      return Pages.redirect("rooms");
    } catch (Refused refused) {
      Pages.error(null, refused.getMessage());
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "sign-in failed: {0}", unavailable.getMessage());
      Pages.error(null, "Signing in is not possible just now. Try again in a moment.");
    }
    return null;
  }

  /**
   * Refuses a sign-in from an address that holds {@code chatfront.max-sessions-per-address}
   * sessions already, before auth hears of it: no session, no refresh token.
   */
  void admitSession() throws Refused {
    HttpServletRequest request = request();
    if (!sessionsPerAddress.admits(clientAddress.of(request), request.getSession(false))) {
      throw new Refused(
          429,
          "too_many_sessions",
          "Too many sessions are signed in from your network address just now. Sign out on"
              + " another device or tab, or try again later.",
          null);
    }
  }

  private static HttpServletRequest request() {
    return (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest();
  }

  /**
   * Starts a web session for these tokens under a new session id (no session fixation): the sign-in
   * page itself is stateless and made none, and a session left from before gets a new id.
   */
  void signIn(Tokens tokens) {
    HttpServletRequest request = request();
    if (request.getSession(false) != null) {
      request.changeSessionId();
    }
    HttpSession session = request.getSession(true);
    user.signIn(tokens);
    people.signedIn(tokens.subject(), tokens.username(), tokens.displayName());
    sessions.started(tokens.subject(), session);
    sessionsPerAddress.started(clientAddress.of(request), session);
  }

  /**
   * The addresses this request came through, for auth's throttling: what a proxy in front of us
   * (nginx) says, then the address that connected to us. auth believes only the hops it trusts.
   */
  static String forwardedFor() {
    HttpServletRequest request = request();
    String before = request.getHeader("X-Forwarded-For");
    String peer = request.getRemoteAddr();
    return before == null || before.isBlank() || before.length() > 512
        ? peer
        : before + ", " + peer;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }
}
