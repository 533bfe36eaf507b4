package teamchat.chatfront.files.control;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * What a file is, from its bytes: Apache Tika's magic numbers ({@code tika-core}, no parsers), the
 * name only refining what the bytes say (a zip named {@code .docx} is a Word document, a text named
 * {@code .csv} is CSV; a name never turns text into an image). A file is allowed when its type or
 * one of the types it specialises is on the allow-list: HTML and SVG are text, so they may be
 * shared, but are served as {@code application/octet-stream} attachments ({@link #servedType}).
 */
public final class FileTypes {

  /** The images a page shows inline (and thumbnails); every other type is downloaded. */
  public static final Set<String> INLINE_IMAGES =
      Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

  /** Bytes Tika looks at: its longest magic pattern is well within. */
  public static final int SNIFF_BYTES = 64 * 1024;

  private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
  private static final MediaTypeRegistry REGISTRY = TYPES.getMediaTypeRegistry();

  private final Set<String> allowed;

  /**
   * @param allowed the media types allowed (lower case, no parameters)
   */
  public FileTypes(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  /** The type of a file that starts with {@code head}, named {@code name}. */
  public static String sniff(byte[] head, String name) {
    Metadata metadata = new Metadata();
    metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
    try {
      MediaType type = TYPES.detect(new ByteArrayInputStream(head), metadata);
      return type.getBaseType().toString().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from an in-memory stream
    }
  }

  /** Whether the name says image (by its extension), whatever the bytes are. */
  public static boolean namedLikeAnImage(String name) {
    String type = TYPES.getMimeType(name).getType().getBaseType().toString();
    return type.startsWith("image/");
  }

  /** Whether a file of this type may be uploaded: it, or a type it specialises, is allowed. */
  public boolean isAllowed(String type) {
    for (MediaType t = MediaType.parse(type); t != null; t = REGISTRY.getSupertype(t)) {
      if (allowed.contains(t.getBaseType().toString())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The Content-Type a file of this type is served with: itself when it is on the allow-list and no
   * type a browser would render as a page or a script, else {@code application/octet-stream}.
   */
  public String servedType(String type) {
    if (allowed.contains(type) && !ACTIVE.contains(type)) {
      return type;
    }
    return "application/octet-stream";
  }

  /** Types a browser renders as a document or runs, should someone put them on the allow-list. */
  private static final Set<String> ACTIVE =
      Set.of(
          "text/html",
          "application/xhtml+xml",
          "image/svg+xml",
          "text/xml",
          "application/xml",
          "text/javascript",
          "application/javascript");

  /** Whether it is shown inline: one of {@link #INLINE_IMAGES}, and allowed. */
  public boolean isInline(String type) {
    return INLINE_IMAGES.contains(type) && allowed.contains(type);
  }
}
