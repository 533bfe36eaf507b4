package teamchat.chatfront.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.accounts.control.Tokens;
import teamchat.chatfront.users.control.People;
import teamchat.chatfront.web.FormInput;
import teamchat.chatfront.web.Pages;
import teamchat.contract.problems.Refused;

/**
 * The profile page: the signed-in person changes their display name or their password at auth
 * (which owns accounts), and chatfront's own record of them follows, so rooms and member lists show
 * the new name. A password change signs them out everywhere else, and the page says so.
 */
@Named
@RequestScoped
public class ProfilePage {

  private static final Logger LOG = Logger.getLogger(ProfilePage.class.getName());
  static final String UNAVAILABLE = "Saving is not possible just now. Try again in a moment.";

  @Inject SignedInUser user;
  @Inject People people;

  private String displayName;
  private String currentPassword;
  private String newPassword;
  private String newPasswordAgain;

  public String getUsername() {
    return user.username();
  }

  /** The name as shown now: what the display-name field starts with. */
  public String getDisplayName() {
    return displayName == null ? user.displayName() : displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String saveDisplayName() {
    String name = FormInput.clean(displayName);
    Optional<String> problem = FormInput.textProblem("A display name", name, 1, 64);
    if (problem.isPresent()) {
      Pages.error("name:displayName", problem.get());
      return null;
    }
    try {
      Tokens renamed = user.changeDisplayName(name);
      // chatfront's own record, which rooms, members and messages show: now, not at the next
      // sign-in.
      people.signedIn(renamed.subject(), renamed.username(), renamed.displayName());
      Pages.done("Your display name is now " + renamed.displayName() + ".");
      return Pages.redirect("profile");
    } catch (Refused refused) {
      return refusal(refused, "name:displayName");
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "display name change failed: {0}", unavailable.getMessage());
      Pages.error(null, UNAVAILABLE);
      return null;
    }
  }

  public String changePassword() {
    boolean invalid = false;
    if (FormInput.passwordProblem(currentPassword).isPresent()) {
      Pages.error("password:current", "Enter your current password.");
      invalid = true;
    }
    Optional<String> problem =
        FormInput.textProblem("The new password", newPassword, 1, FormInput.MAX_PASSWORD);
    if (problem.isPresent()) {
      Pages.error("password:new", problem.get());
      invalid = true;
    } else if (!newPassword.equals(newPasswordAgain)) {
      Pages.error("password:again", "The two new passwords differ.");
      invalid = true;
    }
    if (invalid) {
      return null;
    }
    try {
      int ended = user.changePassword(currentPassword, newPassword, LoginPage.forwardedFor());
      Pages.done(changedSentence(ended));
      return Pages.redirect("profile");
    } catch (Refused refused) {
      return refusal(
          refused,
          refused.code().equals("current_password_wrong") ? "password:current" : "password:new");
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "password change failed: {0}", unavailable.getMessage());
      Pages.error(null, UNAVAILABLE);
      return null;
    }
  }

  /** Signs out on every device and browser, this one included (a lost phone, a shared computer). */
  public String signOutEverywhere() {
    try {
      user.signOutEverywhere();
      FacesContext.getCurrentInstance().getExternalContext().invalidateSession();
      return Pages.redirect("index");
    } catch (Refused refused) {
      return refusal(refused, null);
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "signing out everywhere failed: {0}", unavailable.getMessage());
      Pages.error(null, UNAVAILABLE);
      return null;
    }
  }

  /** What the page says after a password change, counting the sessions it ended. */
  static String changedSentence(int endedSessions) {
    return "Your password is changed. "
        + switch (endedSessions) {
          case 0 -> "You were not signed in anywhere else.";
          case 1 -> "You are now signed out on the one other device or browser you used.";
          default ->
              "You are now signed out on the "
                  + endedSessions
                  + " other devices or browsers you used.";
        };
  }

  /**
   * auth's refusal beside the field it is about; a session auth no longer accepts (401) goes to the
   * sign-in page, as every signed-in page does.
   */
  private String refusal(Refused refused, String field) {
    if (refused.status() == HttpServletResponse.SC_UNAUTHORIZED) {
      FacesContext.getCurrentInstance().getExternalContext().invalidateSession();
      return Pages.redirect("login");
    }
    Pages.error(refused.status() == 429 ? null : field, refused.getMessage());
    return null;
  }

  public String getCurrentPassword() {
    return currentPassword;
  }

  public void setCurrentPassword(String currentPassword) {
    this.currentPassword = currentPassword;
  }

  public String getNewPassword() {
    return newPassword;
  }

  public void setNewPassword(String newPassword) {
    this.newPassword = newPassword;
  }

  public String getNewPasswordAgain() {
    return newPasswordAgain;
  }

  public void setNewPasswordAgain(String newPasswordAgain) {
    this.newPasswordAgain = newPasswordAgain;
  }
}
