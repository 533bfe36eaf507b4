package teamchat.chatfront.users.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import teamchat.chatfront.users.entity.ChatUser;
import teamchat.contract.accounts.Usernames;

/** The people chat knows: recorded when they sign in, found by subject or username. */
@ApplicationScoped
public class People {

  @PersistenceContext(unitName = "chat")
  EntityManager em;

  /**
   * Records who signed in (to the web app, or over chatserv's socket), or brings their username and
   * display name up to date. An upsert, so that two first sign-ins at once (two tabs) do not
   * collide on the unique subject. The names come from a token auth signed: whoever holds a
   * username now holds it here too, and a row that still had it (an account deleted at auth, its
   * name taken again) gives it up.
   */
  @Transactional
  public void signedIn(String subject, String username, String displayName) {
    em.createNativeQuery(
            "UPDATE chat.chat_user SET username = NULL WHERE lower(username) = lower(?)"
                + " AND subject <> ?")
        .setParameter(1, username)
        .setParameter(2, subject)
        .executeUpdate();
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

  /**
   * The person with this username (any case), empty when there is none or the text cannot be a
   * username ({@link Usernames}: then the database is not asked at all).
   */
  public Optional<ChatUser> byUsername(String username) {
    Optional<String> canonical = Usernames.canonical(username == null ? null : username.strip());
    if (canonical.isEmpty()) {
      return Optional.empty();
    }
    return em.createNamedQuery(ChatUser.FIND_BY_USERNAME, ChatUser.class)
        .setParameter("username", canonical.get())
        .getResultStream()
        .findFirst();
  }

  /** The most people one search answers: a type-ahead shows a handful, never the directory. */
  public static final int MAX_FOUND = 10;

  /** The longest text searched for (a display name is at most 64 characters). */
  public static final int MAX_QUERY = 64;

  /**
   * Someone found by a search: only what picking them needs, nothing about their rooms; {@code bot}
   * for a bot account, which the pickers mark "BOT".
   */
  public record Found(
      String username, @JsonbProperty("display_name") String displayName, boolean bot) {}

  /**
   * Up to {@link #MAX_FOUND} people other than the searcher whose username starts with the text or
   * whose display name contains it, in any case, by display name. Everyone who has signed in is
   * findable, as they are by username for invitations; blank text finds no one.
   */
  public List<Found> search(String searcher, String text) {
    String typed = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (typed.isEmpty() || typed.length() > MAX_QUERY) {
      return List.of();
    }
    String literal = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return em.createNamedQuery(ChatUser.LIST_BY_NAME_OR_USERNAME, ChatUser.class)
        .setParameter("subject", searcher)
        .setParameter("start", literal + "%")
        .setParameter("part", "%" + literal + "%")
        .setMaxResults(MAX_FOUND)
        .getResultStream()
        .map(user -> new Found(user.username(), user.displayName(), user.bot()))
        .toList();
  }
}
