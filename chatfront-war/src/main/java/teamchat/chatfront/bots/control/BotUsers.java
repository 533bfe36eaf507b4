package teamchat.chatfront.bots.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Bots as chat users: a row of {@code chat_user} keyed by the bot's subject at auth, with {@code
 * bot_owner_id} its owner's row (V11). Written when the owner makes the bot on the profile page (so
 * that it can be invited before it ever calls) and again whenever auth vouches for one of its
 * tokens (so a bot made at auth directly is known too, and its names follow auth's).
 */
@ApplicationScoped
public class BotUsers {

  @PersistenceContext(unitName = "chat")
  EntityManager em;

  /**
   * Records the bot, or brings its names up to date, as {@code People.signedIn} does for people: a
   * row that still had the username (an account auth no longer has) gives it up. Nothing is
   * recorded when the owner is not a person chat knows: then the bot stays unknown to chat, and its
   * calls are refused as a stranger's would be.
   *
   * @return whether the bot is recorded
   */
  @Transactional
  public boolean seen(String subject, String username, String displayName, String ownerSubject) {
    em.createNativeQuery(
            "UPDATE chat.chat_user SET username = NULL WHERE lower(username) = lower(?)"
                + " AND subject <> ?")
        .setParameter(1, username)
        .setParameter(2, subject)
        .executeUpdate();
    return em.createNativeQuery(
                "INSERT INTO chat.chat_user (subject, username, display_name, bot_owner_id)"
                    + " SELECT ?, ?, ?, owner.id FROM chat.chat_user owner"
                    + " WHERE owner.subject = ? AND owner.bot_owner_id IS NULL"
                    + " ON CONFLICT (subject) DO UPDATE SET username = EXCLUDED.username,"
                    + " display_name = EXCLUDED.display_name, bot_owner_id = EXCLUDED.bot_owner_id")
            .setParameter(1, subject)
            .setParameter(2, username)
            .setParameter(3, displayName)
            .setParameter(4, ownerSubject)
            .executeUpdate()
        == 1;
  }
}
