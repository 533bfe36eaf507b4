package teamchat.chatfront.commands.control;

/** A command target that may not be called; the message is a sentence for the room owner. */
public class TargetRefused extends Exception {

  private static final long serialVersionUID = 1L;

  public TargetRefused(String message) {
    super(message);
  }
}
