package teamchat.chatfront.accounts.control;

/** auth could not be reached or failed; nothing about the user is known from this attempt. */
public class AuthUnavailable extends Exception {
  private static final long serialVersionUID = 1L;

  public AuthUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
