package teamchat.chatfront.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.accounts.control.Tokens;
import teamchat.chatfront.api.control.PersonalTokenAccounts;
import teamchat.chatfront.api.control.PersonalTokensClient;
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
  @Inject PersonalTokenAccounts personalTokens;

  /** The expiries the page offers, in days. */
  static final List<Integer> TOKEN_DAYS = List.of(7, 30, 90, 365);

  private String tokenName;
  private boolean tokenWrites;
  private boolean tokenAdmin;
  private int tokenDays = 30;
  private String madeToken;
  private List<PersonalTokensClient.Listed> listedTokens;

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

  // ---- personal access tokens for the public API (issue 20, docs/api.md)

  /** The person's tokens, newest first; empty (and an error shown) when auth cannot say. */
  public List<PersonalTokensClient.Listed> getPersonalTokens() {
    if (listedTokens == null) {
      try {
        listedTokens = personalTokens.of(user);
      } catch (Refused refused) {
        listedTokens = List.of();
        Pages.error(null, refused.getMessage());
      } catch (AuthUnavailable unavailable) {
        listedTokens = List.of();
        LOG.log(Level.WARNING, "personal tokens not listed: {0}", unavailable.getMessage());
        Pages.error(null, "Your tokens cannot be listed just now. Try again in a moment.");
      }
    }
    return listedTokens;
  }

  /**
   * Makes a token, which this answer shows once (the page is rendered again, not redirected, so the
   * token never sits in the session or the flash); the list then includes it.
   */
  public String createToken() {
    String name = FormInput.clean(tokenName);
    Optional<String> problem = FormInput.textProblem("A token name", name, 1, 64);
    if (problem.isPresent()) {
      Pages.error("tokens:tokenName", problem.get());
      return null;
    }
    if (!TOKEN_DAYS.contains(tokenDays)) {
      Pages.error("tokens:tokenDays", "Choose one of the offered expiries.");
      return null;
    }
    List<String> scopes = new ArrayList<>(List.of("read"));
    if (tokenWrites) {
      scopes.add("write");
    }
    if (tokenAdmin) {
      scopes.add("admin"); // the rooms the person owns: topic, archive, remove members
    }
    try {
      madeToken = personalTokens.create(user, name, scopes, tokenDays).token();
      listedTokens = null;
      tokenName = null;
      // Said on this answer only: Pages.done keeps messages for the page after a redirect, and
      // there is none here (the token must not outlive this answer).
      FacesContext.getCurrentInstance()
          .addMessage(
              null,
              new FacesMessage(
                  FacesMessage.SEVERITY_INFO,
                  "Token " + name + " made. Copy it now: it is not shown again.",
                  null));
      return null;
    } catch (Refused refused) {
      return refusal(refused, "tokens:tokenName");
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "personal token not made: {0}", unavailable.getMessage());
      Pages.error(null, UNAVAILABLE);
      return null;
    }
  }

  public String revokeToken(String id) {
    try {
      personalTokens.revoke(user, id);
      Pages.done("The token is revoked: within 30 seconds nothing can use it.");
      return Pages.redirect("profile");
    } catch (Refused refused) {
      return refusal(refused, null);
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "personal token not revoked: {0}", unavailable.getMessage());
      Pages.error(null, UNAVAILABLE);
      return null;
    }
  }

  /** The token just made, for this one answer; null otherwise. */
  public String getMadeToken() {
    return madeToken;
  }

  public List<Integer> getTokenDaysOffered() {
    return TOKEN_DAYS;
  }

  public String getTokenName() {
    return tokenName;
  }

  public void setTokenName(String tokenName) {
    this.tokenName = tokenName;
  }

  public boolean isTokenWrites() {
    return tokenWrites;
  }

  public void setTokenWrites(boolean tokenWrites) {
    this.tokenWrites = tokenWrites;
  }

  public boolean isTokenAdmin() {
    return tokenAdmin;
  }

  public void setTokenAdmin(boolean tokenAdmin) {
    this.tokenAdmin = tokenAdmin;
  }

  public int getTokenDays() {
    return tokenDays;
  }

  public void setTokenDays(int tokenDays) {
    this.tokenDays = tokenDays;
  }

  /** A token's scopes as the list shows them: "read write". */
  public String shownScopes(List<String> scopes) {
    return scopes == null ? "" : String.join(" ", scopes);
  }

  /** A time as the token list shows it: the UTC date, or "never". */
  public String shownDate(java.time.Instant time) {
    return time == null ? "never" : time.toString().substring(0, 10);
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
