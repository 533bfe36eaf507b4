package teamchat.chatfront.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.web.Pages;

/** The sign-out button of every page: ends the session at auth and here. */
@Named
@RequestScoped
public class SignOut {

  @Inject SignedInUser user;

  public String signOut() {
    user.signOut();
    FacesContext.getCurrentInstance().getExternalContext().invalidateSession();
    return Pages.redirect("index");
  }
}
