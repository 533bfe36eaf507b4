package teamchat.chatfront.webhooks.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import teamchat.chatfront.rooms.entity.Membership;
import teamchat.chatfront.rooms.entity.Room;
import teamchat.chatfront.users.entity.ChatUser;
import teamchat.chatfront.webhooks.entity.IncomingWebhook;
import teamchat.contract.problems.Refused;
import teamchat.contract.text.PlainText;

/**
 * Making, listing, revoking and checking a room's incoming webhooks. Only an owner of the room
 * manages them; anyone who is not (a member or a stranger) is told there is no such room, as the
 * public API tells strangers. A secret is 256 random bits, shown once; only its SHA-256 is kept,
 * and a secret is compared by its hash in constant time.
 */
@ApplicationScoped
public class IncomingWebhooks {

  /** A webhook's secret: a prefix secret scanners and people recognise, then 256 random bits. */
  public static final Pattern SECRET = Pattern.compile("whk_[A-Za-z0-9_-]{43}");

  /** Unrevoked webhooks a room may have: enough for every tool of a team, not a table to fill. */
  public static final int MAX_PER_ROOM = 20;

  public static final int MAX_NAME_CHARACTERS = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  @PersistenceContext(unitName = "chat")
  EntityManager em;

  Clock clock = Clock.systemUTC();

  /** A webhook as its room's owners see it. */
  public record Listed(
      long id, String name, String createdBy, Instant created, Instant lastUsed, Instant revoked) {}

  /** A webhook just made, with the one copy of its secret there will ever be. */
  public record Made(Listed webhook, String secret) {}

  /** What a post through a webhook needs: where it goes and whose it is. */
  public record Poster(long webhook, long room, String creatorSubject, String name) {}

  /** Makes a webhook for {@code room}, named {@code name}, by one of its owners. */
  @Transactional(rollbackOn = Refused.class)
  public Made make(String subject, long room, String name) throws Refused {
    ChatUser owner = requireOwner(subject, room);
    String normalized = PlainText.normalize(name == null ? null : name.strip());
    if (!PlainText.isAcceptable(normalized, 1, MAX_NAME_CHARACTERS, false)) {
      throw new Refused(
          Status.BAD_REQUEST,
          "webhook_name_invalid",
          "A webhook's name: 1 to " + MAX_NAME_CHARACTERS + " characters, on one line.");
    }
    // Counted under the room's row lock, so that two owners at once cannot pass the limit.
    em.find(Room.class, room, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    long unrevoked =
        em.createNamedQuery(IncomingWebhook.COUNT_UNREVOKED_BY_ROOM, Long.class)
            .setParameter("room", room)
            .getSingleResult();
    if (unrevoked >= MAX_PER_ROOM) {
      throw new Refused(
          Status.CONFLICT,
          "too_many_webhooks",
          "A room has at most " + MAX_PER_ROOM + " webhooks: revoke one first.");
    }
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String secret = "whk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    IncomingWebhook made =
        new IncomingWebhook(room, normalized, sha256(secret), owner.id(), clock.instant());
    em.persist(made);
    em.flush();
    return new Made(listed(made, owner), secret);
  }

  /** The room's webhooks, revoked ones too, oldest first; for its owners only. */
  @Transactional(rollbackOn = Refused.class)
  public List<Listed> of(String subject, long room) throws Refused {
    requireOwner(subject, room);
    return em.createNamedQuery(IncomingWebhook.LIST_BY_ROOM, Object[].class)
        .setParameter("room", room)
        .getResultStream()
        .map(row -> listed((IncomingWebhook) row[0], (ChatUser) row[1]))
        .toList();
  }

  /** Revokes a webhook of the room: from now on its URL is refused. Revoking twice is harmless. */
  @Transactional(rollbackOn = Refused.class)
  public void revoke(String subject, long room, long webhook) throws Refused {
    requireOwner(subject, room);
    IncomingWebhook found = em.find(IncomingWebhook.class, webhook);
    if (found == null || found.roomId() != room) {
      throw new Refused(
          Status.NOT_FOUND, "webhook_not_found", "This room has no webhook with that id.");
    }
    found.revoke(clock.instant());
  }

  /**
   * The webhook that {@code secret} opens, noted as used now; empty for an unknown id, a wrong
   * secret and a revoked webhook alike, so that a caller learns nothing from the difference.
   */
  @Transactional
  public Optional<Poster> open(long webhook, String secret) {
    if (secret == null || !SECRET.matcher(secret).matches()) {
      return Optional.empty();
    }
    IncomingWebhook found = em.find(IncomingWebhook.class, webhook);
    if (found == null
        || found.isRevoked()
        || !MessageDigest.isEqual(found.secretSha256(), sha256(secret))) {
      return Optional.empty();
    }
    found.used(clock.instant());
    ChatUser creator = em.find(ChatUser.class, found.creatorId());
    return Optional.of(new Poster(found.id(), found.roomId(), creator.subject(), found.name()));
  }

  private ChatUser requireOwner(String subject, long room) throws Refused {
    List<Membership> membership =
        em.createNamedQuery(Membership.FIND_BY_SUBJECT_AND_ROOM, Membership.class)
            .setParameter("subject", subject)
            .setParameter("room", room)
            .getResultList();
    if (membership.isEmpty()) {
      throw new Refused(Status.NOT_FOUND, "room_not_found", "You are in no room with that id.");
    }
    if (!membership.get(0).isOwner()) {
      throw new Refused(
          Status.FORBIDDEN, "not_an_owner", "Only an owner of the room manages its webhooks.");
    }
    return em.createNamedQuery(ChatUser.FIND_BY_SUBJECT, ChatUser.class)
        .setParameter("subject", subject)
        .getSingleResult();
  }

  private static Listed listed(IncomingWebhook webhook, ChatUser creator) {
    return new Listed(
        webhook.id(),
        webhook.name(),
        creator.displayName(),
        webhook.createdAt(),
        webhook.lastUsedAt(),
        webhook.revokedAt());
  }

  static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every Java has SHA-256", impossible);
    }
  }
}
