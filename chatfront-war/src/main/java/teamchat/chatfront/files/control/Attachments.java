package teamchat.chatfront.files.control;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import teamchat.contract.messages.AttachedFile;

/**
 * Files as messages hold them, for {@code MessageStore} and {@code MessageHistory}: in their
 * transactions, over their connections. A file is attached only to a message of its uploader, in
 * the room it was uploaded for, and only once.
 */
public final class Attachments {

  private Attachments() {}

  /**
   * The pending files {@code ids} of {@code sender} for {@code room}, in the order given, their
   * rows locked so that no other message takes them; null when one of them is no such file (someone
   * else's, another room's, attached already, removed, never uploaded).
   */
  public static List<AttachedFile> pending(Connection db, List<String> ids, long sender, long room)
      throws SQLException {
    UUID[] uuids = ids.stream().map(UUID::fromString).toArray(UUID[]::new);
    Map<UUID, AttachedFile> found = new HashMap<>();
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT id, name, size, media_type, width, height FROM chat.file"
                + " WHERE id = ANY (?) AND uploader_id = ? AND room_id = ? AND message_id IS NULL"
                + " ORDER BY id FOR UPDATE")) {
      query.setArray(1, db.createArrayOf("uuid", uuids));
      query.setLong(2, sender);
      query.setLong(3, room);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          UUID id = rows.getObject(1, UUID.class);
          found.put(
              id,
              new AttachedFile(
                  id.toString(),
                  rows.getString(2),
                  rows.getLong(3),
                  rows.getString(4),
                  rows.getObject(5, Integer.class),
                  rows.getObject(6, Integer.class)));
        }
      }
    }
    if (found.size() != uuids.length) {
      return null;
    }
    List<AttachedFile> files = new ArrayList<>();
    for (UUID id : uuids) {
      files.add(found.get(id));
    }
    return files;
  }

  /** Attaches files {@link #pending} returned to the new message, in their order. */
  public static void attach(Connection db, long message, List<AttachedFile> files)
      throws SQLException {
    try (PreparedStatement update =
        db.prepareStatement("UPDATE chat.file SET message_id = ?, position = ? WHERE id = ?")) {
      for (int i = 0; i < files.size(); i++) {
        update.setLong(1, message);
        update.setInt(2, i);
        update.setObject(3, UUID.fromString(files.get(i).id()));
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /** The files of a message, in their order. */
  public static List<AttachedFile> of(Connection db, long message) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement("SELECT " + JSON + " FROM chat.message m WHERE m.id = ?")) {
      query.setLong(1, message);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? fromJson(row.getString(1)) : List.of();
      }
    }
  }

  /**
   * The SQL of a message's files as one JSON array (null when it has none), for a query over {@code
   * chat.message m}: read back with {@link #fromJson}.
   */
  public static final String JSON =
      "(SELECT json_agg(json_build_object('id', f.id, 'name', f.name, 'size', f.size,"
          + " 'type', f.media_type, 'width', f.width, 'height', f.height) ORDER BY f.position)"
          + " FROM chat.file f WHERE f.message_id = m.id)";

  /** The files of {@link #JSON}: empty for null. */
  public static List<AttachedFile> fromJson(String json) {
    if (json == null) {
      return List.of();
    }
    List<AttachedFile> files = new ArrayList<>();
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      JsonArray array = reader.readArray();
      for (JsonObject file : array.getValuesAs(JsonObject.class)) {
        files.add(
            new AttachedFile(
                file.getString("id"),
                file.getString("name"),
                file.getJsonNumber("size").longValue(),
                file.getString("type"),
                file.isNull("width") ? null : file.getInt("width"),
                file.isNull("height") ? null : file.getInt("height")));
      }
    }
    return files;
  }

  /** Deletes the files of a deleted message (their chunks go with them). */
  public static void delete(Connection db, long message) throws SQLException {
    try (PreparedStatement delete =
        db.prepareStatement("DELETE FROM chat.file WHERE message_id = ?")) {
      delete.setLong(1, message);
      delete.executeUpdate();
    }
  }
}
