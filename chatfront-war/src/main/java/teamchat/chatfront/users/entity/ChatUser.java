package teamchat.chatfront.users.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * Someone as chat knows them, keyed by the subject of their auth token. Rows are written only by
 * {@code People}'s upsert; JPA reads them.
 */
@Entity
@Table(name = "chat_user")
@NamedQuery(
    name = ChatUser.FIND_BY_SUBJECT,
    query = "SELECT u FROM ChatUser u WHERE u.subject = :subject")
@NamedQuery(
    name = ChatUser.FIND_BY_USERNAME,
    query = "SELECT u FROM ChatUser u WHERE LOWER(u.username) = :username")
@NamedQuery(
    name = ChatUser.LIST_BY_NAME_OR_USERNAME,
    query =
        "SELECT u FROM ChatUser u WHERE u.username IS NOT NULL AND u.subject <> :subject AND"
            + " (LOWER(u.username) LIKE :start ESCAPE '\\' OR LOWER(u.displayName) LIKE :part"
            + " ESCAPE '\\') ORDER BY LOWER(u.displayName), LOWER(u.username)")
public class ChatUser {

  public static final String FIND_BY_SUBJECT = "ChatUser.findBySubject";
  public static final String FIND_BY_USERNAME = "ChatUser.findByUsername";

  /**
   * People other than {@code :subject} whose username starts with, or whose display name contains,
   * some text ({@code :start}, {@code :part}: lower-case LIKE patterns, {@code \} escaping).
   */
  public static final String LIST_BY_NAME_OR_USERNAME = "ChatUser.listByNameOrUsername";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  private String subject;

  /** auth's username; null until the user has signed in (web app or socket) once. */
  private String username;

  @Column(name = "display_name")
  private String displayName;

  /** For a bot, the id of the person who owns it; null for a person (V11). */
  @Column(name = "bot_owner_id")
  private Long botOwnerId;

  protected ChatUser() {}

  public Long id() {
    return id;
  }

  public String subject() {
    return subject;
  }

  public String displayName() {
    return displayName;
  }

  public String username() {
    return username;
  }

  /** Whether this is a bot account (docs/api.md, "Bot accounts"): the page marks it "BOT". */
  public boolean bot() {
    return botOwnerId != null;
  }

  public Long botOwnerId() {
    return botOwnerId;
  }
}
