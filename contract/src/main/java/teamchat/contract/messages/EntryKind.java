package teamchat.contract.messages;

/**
 * The kinds of entries in a room's seq stream, as they are written in JSON and in the database. A
 * message is what people write; the other kinds change a message that is already there.
 */
public final class EntryKind {

  public static final String MESSAGE = "message";

  /** Replaces the body of the sender's own message. */
  public static final String EDIT = "edit";

  /** Leaves a tombstone in place of a message (its author, or an owner of the room). */
  public static final String DELETE = "delete";

  /**
   * Adds the sender's reaction (an emoji) to a message; adding one that is there changes nothing.
   */
  public static final String REACT = "react";

  /** Takes the sender's reaction away; taking one that is not there changes nothing. */
  public static final String UNREACT = "unreact";

  /** The kinds a request may name. */
  public static final String PATTERN = "message|edit|delete|react|unreact";

  private EntryKind() {}
}
