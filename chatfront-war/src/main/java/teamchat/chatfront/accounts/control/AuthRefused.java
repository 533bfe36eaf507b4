package teamchat.chatfront.accounts.control;

/**
 * auth said no (wrong password, a password rule, a taken name, too many attempts): {@code code} is
 * auth's machine-readable code, the message is auth's sentence for people.
 */
public class AuthRefused extends Exception {
  private static final long serialVersionUID = 1L;

  public final int status;
  public final String code;

  public AuthRefused(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }
}
