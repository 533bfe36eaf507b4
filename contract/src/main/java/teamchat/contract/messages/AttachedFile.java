package teamchat.contract.messages;

/**
 * A file attached to a message, as message frames, history pages and search results carry it
 * (docs/protocol.md, "Files"). The bytes are at {@code /files/<id>/<name>} on chatfront, for
 * members of the message's room only; an image's thumbnail at {@code /files/thumbnails/<id>}.
 *
 * @param id the file's id (a random UUID, never reused)
 * @param name the file name as sanitised on upload (no path, no control or bidi characters)
 * @param size its length in bytes
 * @param type its media type as sniffed from the bytes (never the uploader's claim)
 * @param width an image's width in pixels; null for other files
 * @param height an image's height in pixels; null for other files
 */
public record AttachedFile(
    String id, String name, long size, String type, Integer width, Integer height) {

  /** The most files one message carries. */
  public static final int MAX_PER_MESSAGE = 10;

  /** The form of a file id: a UUID in lower case, as chatfront hands them out. */
  public static final String ID_PATTERN =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
}
