package teamchat.chatfront.commands.entity;

import java.util.Locale;

/** Where a command call of the outbox is (chat.command_call.state). */
public enum CallState {
  /** Not called yet, or to be tried again at its next_attempt_at. */
  PENDING,
  /** Called; the answer, if any, is stored. */
  DONE,
  /** Given up: a refused target, a 4xx, an unusable answer, or the last attempt failed. */
  FAILED;

  /** The column's value. */
  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }
}
