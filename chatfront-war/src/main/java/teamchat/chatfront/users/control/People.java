package teamchat.chatfront.users.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Optional;
import teamchat.chatfront.users.entity.ChatUser;

/** The people chat knows: recorded when they sign in, found by subject or username. */
@ApplicationScoped
public class People {

  @PersistenceContext(unitName = "chat")
  EntityManager em;

  /**
   * Records who signed in, or brings their username and display name up to date. An upsert, so that
   * two first sign-ins at once (two tabs) do not collide on the unique subject.
   */
  @Transactional
  public void signedIn(String subject, String username, String displayName) {
    em.createNativeQuery(
            "INSERT INTO chat.chat_user (subject, username, display_name) VALUES (?, ?, ?)"
                + " ON CONFLICT (subject) DO UPDATE"
                + " SET username = EXCLUDED.username, display_name = EXCLUDED.display_name")
        .setParameter(1, subject)
        .setParameter(2, username)
        .setParameter(3, displayName)
        .executeUpdate();
  }

  public Optional<ChatUser> bySubject(String subject) {
    return em.createNamedQuery(ChatUser.FIND_BY_SUBJECT, ChatUser.class)
        .setParameter("subject", subject)
        .getResultStream()
        .findFirst();
  }

  public Optional<ChatUser> byUsername(String username) {
    return em.createNamedQuery(ChatUser.FIND_BY_USERNAME, ChatUser.class)
        .setParameter("username", username == null ? "" : username.strip())
        .getResultStream()
        .findFirst();
  }
}
