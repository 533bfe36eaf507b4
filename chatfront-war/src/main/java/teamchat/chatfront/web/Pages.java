package teamchat.chatfront.web;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;

/** The little that every page bean does with Faces: show a message, go to another page. */
public final class Pages {
  private Pages() {}

  /** Shows an error beside the field with this client id (null: at the top of the form). */
  public static void error(String clientId, String message) {
    FacesContext.getCurrentInstance()
        .addMessage(clientId, new FacesMessage(FacesMessage.SEVERITY_ERROR, message, null));
  }

  /**
   * Says that something worked, at the top of the next page: kept across the redirect that follows
   * a successful form (post, redirect, get).
   */
  public static void done(String message) {
    FacesContext faces = FacesContext.getCurrentInstance();
    faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, message, null));
    faces.getExternalContext().getFlash().setKeepMessages(true);
  }

  /** An outcome that redirects (post, redirect, get: a reload never posts twice). */
  public static String redirect(String page) {
    return page + (page.contains("?") ? "&" : "?") + "faces-redirect=true";
  }
}
