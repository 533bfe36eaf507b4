package teamchat.chatfront.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.accounts.control.AuthAccounts;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.web.FormInput;
import teamchat.chatfront.web.Pages;
import teamchat.contract.problems.Refused;

/** The registration form: creates the account at auth, then signs the new user in. */
@Named
@RequestScoped
public class RegisterPage {

  private static final Logger LOG = Logger.getLogger(RegisterPage.class.getName());

  @Inject AuthAccounts auth;
  @Inject LoginPage login;

  private String username;
  private String displayName;
  private String password;
  private String passwordAgain;

  public String register() {
    boolean invalid =
        refuse("register:username", FormInput.usernameProblem(username))
            | refuse(
                "register:displayName",
                FormInput.textProblem("A display name", FormInput.clean(displayName), 0, 64))
            | refuse("register:password", FormInput.passwordProblem(password));
    if (invalid) {
      return null;
    }
    if (!password.equals(passwordAgain)) {
      Pages.error("register:passwordAgain", "The two passwords differ.");
      return null;
    }
    try {
      login.admitSession(); // before the account exists: refused, nothing is left half done
      auth.register(username, FormInput.clean(displayName), password);
      login.signIn(auth.login(username, password, LoginPage.forwardedFor()));
      return Pages.redirect("rooms");
    } catch (Refused refused) {
      Pages.error(fieldOf(refused.code()), refused.getMessage());
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "registration failed: {0}", unavailable.getMessage());
      Pages.error(null, "Registering is not possible just now. Try again in a moment.");
    }
    return null;
  }

  /** Shows the problem of a field beside it; true when there is one. */
  private static boolean refuse(String field, Optional<String> problem) {
    problem.ifPresent(message -> Pages.error(field, message));
    return problem.isPresent();
  }

  /** Puts auth's refusal beside the field it is about. */
  private static String fieldOf(String code) {
    if (code.startsWith("username")) {
      return "register:username";
    }
    if (code.startsWith("display_name")) {
      return "register:displayName";
    }
    if (code.startsWith("password")) {
      return "register:password";
    }
    return null;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getPasswordAgain() {
    return passwordAgain;
  }

  public void setPasswordAgain(String passwordAgain) {
    this.passwordAgain = passwordAgain;
  }
}
