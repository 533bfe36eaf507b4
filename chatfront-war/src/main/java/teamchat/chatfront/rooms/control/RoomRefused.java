package teamchat.chatfront.rooms.control;

/** A room action that the rules do not allow; {@code code} is machine-readable, the message not. */
public class RoomRefused extends Exception {
  private static final long serialVersionUID = 1L;

  public final String code;

  public RoomRefused(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }
}
