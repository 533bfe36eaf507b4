package teamchat.chatfront.files.control;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A stored file read back as a stream, one chunk in memory at a time, over the caller's connection
 * (the upload's own transaction reads the image it has just written, to make its thumbnail).
 */
final class ChunkStream extends InputStream {

  private final Connection db;
  private final UUID id;
  private int part;
  private byte[] chunk = new byte[0];
  private int at;
  private boolean ended;

  ChunkStream(Connection db, UUID id) {
    this.db = db;
    this.id = id;
  }

  /** Part {@code part} of the file, or null past its end. */
  static byte[] chunk(Connection db, UUID id, int part) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement("SELECT bytes FROM chat.file_chunk WHERE file_id = ? AND part = ?")) {
      query.setObject(1, id);
      query.setInt(2, part);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? row.getBytes(1) : null;
      }
    }
  }

  private boolean fill() throws IOException {
    while (!ended && at >= chunk.length) {
      try {
        byte[] next = chunk(db, id, part++);
        if (next == null) {
          ended = true;
        } else {
          chunk = next;
          at = 0;
        }
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }
    return !ended || at < chunk.length;
  }

  @Override
  public int read() throws IOException {
    return fill() ? chunk[at++] & 0xff : -1;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(length, chunk.length - at);
    System.arraycopy(chunk, at, into, offset, n);
    at += n;
    return n;
  }
}
