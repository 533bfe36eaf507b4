package teamchat.chatfront.files.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import teamchat.contract.messages.AttachedFile;
import teamchat.contract.problems.Refused;

/**
 * Files in PostgreSQL: an upload is read from the request in chunks of {@value #CHUNK_BYTES} bytes,
 * each written as one row as it arrives, so no whole file is ever in memory; the limits are checked
 * as the bytes come, and a refused upload rolls back whatever it had written. An upload holds one
 * pooled connection while its body arrives: nginx buffers request bodies (its default, kept for
 * {@code /session/files}), so the bytes come at local speed, not at the uploader's. Downloads read
 * one chunk at a time, each with a connection of its own, so a slow reader holds no connection of
 * the pool while the bytes travel.
 */
@ApplicationScoped
public class FileStore {

  /** The size of a stored chunk (a row of {@code chat.file_chunk}). */
  public static final int CHUNK_BYTES = 256 * 1024;

  /** A file as the download needs it: the caller may read it. */
  public record Readable(UUID id, String name, long size, String type, String thumbnailType) {}

  @Inject DataSource dataSource;
  @Inject FileSettings settings;

  /**
   * Stores the bytes of {@code body} as a pending file of {@code subject} for {@code room}: to be
   * attached to a message of theirs in that room within a day. {@code declaredLength} (the
   * request's Content-Length, 0 when unknown) lets the daily limit answer before any byte is read.
   */
  @Transactional(rollbackOn = {Refused.class, SQLException.class, IOException.class})
  public AttachedFile upload(
      String subject, long room, String givenName, long declaredLength, InputStream body)
      throws Refused, SQLException, IOException {
    String name =
        FileNames.sanitise(givenName)
            .orElseThrow(
                () ->
                    new Refused(
                        Response.Status.BAD_REQUEST, "invalid_name", "The file needs a name."));
    UUID id = UUID.randomUUID();
    try (Connection db = dataSource.getConnection()) {
      long uploader = memberId(db, subject, room);
      long usedToday = usedToday(db, uploader);
      if (usedToday + Math.max(1, declaredLength) > settings.dailyBytes()) {
        throw dailyLimit();
      }
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO chat.file (id, room_id, uploader_id, name, size, media_type)"
                  + " VALUES (?, ?, ?, ?, 1, 'application/octet-stream')")) {
        insert.setObject(1, id);
        insert.setLong(2, room);
        insert.setLong(3, uploader);
        insert.setString(4, name);
        insert.executeUpdate();
      }
      byte[] head = null;
      long size = 0;
      byte[] chunk = new byte[CHUNK_BYTES];
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO chat.file_chunk (file_id, part, bytes) VALUES (?, ?, ?)")) {
        for (int part = 0; ; part++) {
          int read = body.readNBytes(chunk, 0, CHUNK_BYTES);
          if (read == 0) {
            break;
          }
          size += read;
          if (size > settings.maxBytes()) {
            throw tooLarge(settings.maxBytes());
          }
          if (usedToday + size > settings.dailyBytes()) {
            throw dailyLimit();
          }
          if (head == null) {
            head = Arrays.copyOf(chunk, Math.min(read, FileTypes.SNIFF_BYTES));
          }
          insert.setObject(1, id);
          insert.setInt(2, part);
          insert.setBytes(3, read == CHUNK_BYTES ? chunk : Arrays.copyOf(chunk, read));
          insert.executeUpdate();
        }
      }
      if (size == 0) {
        throw new Refused(Response.Status.BAD_REQUEST, "empty_file", "The file is empty.");
      }
      String type = FileTypes.sniff(head, name);
      FileTypes types = settings.types();
      if (!types.isAllowed(type)) {
        throw notAllowed("Files of this type (" + type + ") cannot be shared.");
      }
      if (FileTypes.namedLikeAnImage(name) && !type.startsWith("image/")) {
        throw notAllowed("The file is named like an image but is none.");
      }
      Thumbnails.Thumbnail thumbnail = null;
      // The images a page shows must decode; an SVG is text, never decoded or shown.
      if (FileTypes.INLINE_IMAGES.contains(type)) {
        try (InputStream bytes = new ChunkStream(db, id)) {
          thumbnail = Thumbnails.of(bytes, type).orElse(null);
        } catch (Thumbnails.NotAnImage e) {
          throw notAllowed("The image cannot be read.");
        }
      }
      try (PreparedStatement update =
          db.prepareStatement(
              "UPDATE chat.file SET size = ?, media_type = ?, width = ?, height = ?,"
                  + " thumbnail = ?, thumbnail_type = ? WHERE id = ?")) {
        update.setLong(1, size);
        update.setString(2, type);
        if (thumbnail == null) {
          update.setNull(3, Types.INTEGER);
          update.setNull(4, Types.INTEGER);
          update.setNull(5, Types.BINARY);
          update.setNull(6, Types.VARCHAR);
        } else {
          update.setInt(3, thumbnail.width());
          update.setInt(4, thumbnail.height());
          update.setBytes(5, thumbnail.bytes());
          update.setString(6, thumbnail.type());
        }
        update.setObject(7, id);
        update.executeUpdate();
      }
      return new AttachedFile(
          id.toString(),
          name,
          size,
          type,
          thumbnail == null ? null : thumbnail.width(),
          thumbnail == null ? null : thumbnail.height());
    }
  }

  /**
   * Refuses early, from the request's Content-Length, an upload that is too large for the file
   * limit (the daily limit is checked once the uploader is known, in {@link #upload}).
   */
  public void checkDeclaredLength(long length) throws Refused {
    if (length > settings.maxBytes()) {
      throw tooLarge(settings.maxBytes());
    }
  }

  /**
   * The file, if {@code subject} may read it: a member of the room of the message it is attached
   * to, or, while it is pending, its uploader. Everyone else learns nothing, not even that it
   * exists.
   */
  public Optional<Readable> readable(String subject, UUID id) throws SQLException {
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT f.name, f.size, f.media_type, f.thumbnail_type FROM chat.file f"
                    + " JOIN chat.chat_user me ON me.subject = ?"
                    + " WHERE f.id = ? AND CASE WHEN f.message_id IS NULL"
                    + "   THEN f.uploader_id = me.id"
                    + "   ELSE EXISTS (SELECT 1 FROM chat.membership ms"
                    + "     WHERE ms.room_id = f.room_id AND ms.user_id = me.id) END")) {
      query.setString(1, subject);
      query.setObject(2, id);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Readable(id, row.getString(1), row.getLong(2), row.getString(3), row.getString(4)));
      }
    }
  }

  /** Writes the file's bytes to {@code out}, one chunk (and one pooled connection) at a time. */
  public void copy(UUID id, OutputStream out) throws SQLException, IOException {
    for (int part = 0; ; part++) {
      byte[] bytes;
      try (Connection db = dataSource.getConnection()) {
        bytes = ChunkStream.chunk(db, id, part);
      }
      if (bytes == null) {
        return;
      }
      out.write(bytes);
    }
  }

  /** The thumbnail of an image the caller may read (checked by {@link #readable}). */
  public Optional<byte[]> thumbnail(UUID id) throws SQLException {
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement("SELECT thumbnail FROM chat.file WHERE id = ?")) {
      query.setObject(1, id);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? Optional.ofNullable(row.getBytes(1)) : Optional.empty();
      }
    }
  }

  /** Removes pending files older than a day (never attached: a send that never came). */
  public int removeAbandoned() throws SQLException {
    try (Connection db = dataSource.getConnection();
        PreparedStatement delete =
            db.prepareStatement(
                "DELETE FROM chat.file WHERE message_id IS NULL"
                    + " AND created_at < now() - interval '1 day'")) {
      return delete.executeUpdate();
    }
  }

  private static long memberId(Connection db, String subject, long room)
      throws SQLException, Refused {
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT u.id FROM chat.chat_user u"
                + " JOIN chat.membership m ON m.user_id = u.id AND m.room_id = ?"
                + " WHERE u.subject = ?")) {
      query.setLong(1, room);
      query.setString(2, subject);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          throw new Refused(
              Response.Status.FORBIDDEN, "not_a_member", "You are not a member of this room.");
        }
        return row.getLong(1);
      }
    }
  }

  /** Bytes the person uploaded in the last 24 hours (files since deleted no longer count). */
  private static long usedToday(Connection db, long uploader) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT coalesce(sum(size), 0) FROM chat.file"
                + " WHERE uploader_id = ? AND created_at > now() - interval '1 day'")) {
      query.setLong(1, uploader);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static Refused tooLarge(long max) {
    return new Refused(
        Response.Status.REQUEST_ENTITY_TOO_LARGE,
        "file_too_large",
        "A file may have at most " + max / (1024 * 1024) + " MB.");
  }

  private static Refused dailyLimit() {
    return new Refused(
        Response.Status.TOO_MANY_REQUESTS,
        "daily_limit",
        "You have shared as much as you may today; try again tomorrow.");
  }

  private static Refused notAllowed(String why) {
    return new Refused(Response.Status.UNSUPPORTED_MEDIA_TYPE, "type_not_allowed", why);
  }
}
