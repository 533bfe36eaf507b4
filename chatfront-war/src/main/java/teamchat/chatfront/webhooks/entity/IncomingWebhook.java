package teamchat.chatfront.webhooks.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A room's incoming webhook: its name, the SHA-256 of its secret (the secret itself is shown once,
 * when made, and kept nowhere), who made it (the messages it posts are theirs), and when it was
 * made, last used and revoked.
 */
@Entity
@Table(name = "incoming_webhook")
@NamedQuery(
    name = IncomingWebhook.LIST_BY_ROOM,
    query =
        "SELECT w, u FROM IncomingWebhook w, ChatUser u"
            + " WHERE w.roomId = :room AND u.id = w.creatorId ORDER BY w.id")
@NamedQuery(
    name = IncomingWebhook.COUNT_UNREVOKED_BY_ROOM,
    query = "SELECT COUNT(w) FROM IncomingWebhook w WHERE w.roomId = :room AND w.revokedAt IS NULL")
public class IncomingWebhook {

  public static final String LIST_BY_ROOM = "IncomingWebhook.listByRoom";
  public static final String COUNT_UNREVOKED_BY_ROOM = "IncomingWebhook.countUnrevokedByRoom";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "room_id")
  private long roomId;

  private String name;

  @Column(name = "secret_sha256")
  private byte[] secretSha256;

  @Column(name = "creator_id")
  private long creatorId;

  @Column(name = "created_at", updatable = false)
  private OffsetDateTime createdAt;

  @Column(name = "last_used_at")
  private OffsetDateTime lastUsedAt;

  @Column(name = "revoked_at")
  private OffsetDateTime revokedAt;

  protected IncomingWebhook() {}

  public IncomingWebhook(
      long roomId, String name, byte[] secretSha256, long creatorId, Instant createdAt) {
    this.roomId = roomId;
    this.createdAt = column(createdAt);
    this.name = name;
    this.secretSha256 = secretSha256.clone();
    this.creatorId = creatorId;
  }

  public Long id() {
    return id;
  }

  public long roomId() {
    return roomId;
  }

  public String name() {
    return name;
  }

  public byte[] secretSha256() {
    return secretSha256.clone();
  }

  public long creatorId() {
    return creatorId;
  }

  public Instant createdAt() {
    return instant(createdAt);
  }

  public Instant lastUsedAt() {
    return instant(lastUsedAt);
  }

  public Instant revokedAt() {
    return instant(revokedAt);
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }

  public void used(Instant when) {
    lastUsedAt = column(when);
  }

  public void revoke(Instant when) {
    if (revokedAt == null) {
      revokedAt = column(when);
    }
  }

  // timestamptz as OffsetDateTime, which EclipseLink maps (it writes an Instant as bytes).
  private static OffsetDateTime column(Instant when) {
    return when.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime column) {
    return column == null ? null : column.toInstant();
  }
}
