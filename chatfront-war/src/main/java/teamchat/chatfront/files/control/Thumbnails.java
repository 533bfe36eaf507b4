package teamchat.chatfront.files.control;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image dimensions and thumbnails, with the JDK's {@code javax.imageio}. The size is read from the
 * header before anything is decoded, and an image of more than {@value #MAX_PIXELS} pixels is
 * refused (a decompression bomb: a few KB of PNG can claim 100,000 x 100,000 pixels); the rest is
 * decoded with subsampling, so no more than about four times the thumbnail's pixels are ever held.
 * The thumbnail is drawn onto a new image and encoded anew (PNG where the source may have
 * transparency, else JPEG): nothing of the original file (EXIF, GPS position, comments, ICC
 * profiles) reaches it.
 */
public final class Thumbnails {

  /** The longest side of a thumbnail. */
  public static final int MAX_SIDE = 480;

  /** 50 megapixels: more than any phone camera, far less than a bomb. */
  public static final long MAX_PIXELS = 50_000_000L;

  /** An image's size and its thumbnail. */
  public record Thumbnail(int width, int height, byte[] bytes, String type) {}

  /** The bytes are not an image this server can read (or claim more pixels than allowed). */
  public static final class NotAnImage extends Exception {
    private static final long serialVersionUID = 1L;

    public NotAnImage(String why) {
      super(why);
    }
  }

  private Thumbnails() {}

  /**
   * The image's size and thumbnail; empty when the JDK has no reader for the format (WebP), so the
   * image is kept without either.
   */
  public static Optional<Thumbnail> of(InputStream image, String type) throws NotAnImage {
    try (ImageInputStream input = ImageIO.createImageInputStream(image)) {
      if (input == null) {
        throw new NotAnImage("unreadable");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
      if (!readers.hasNext()) {
        if (type.equals("image/webp")) {
          return Optional.empty();
        }
        throw new NotAnImage("no reader for " + type);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, true, true); // metadata is never read
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
          throw new NotAnImage(width + " x " + height + " pixels");
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, Math.max(width, height) / (2 * MAX_SIDE));
        param.setSourceSubsampling(step, step, 0, 0);
        BufferedImage decoded = reader.read(0, param);
        boolean alpha = decoded.getColorModel().hasAlpha() || !type.equals("image/jpeg");
        return Optional.of(
            new Thumbnail(
                width, height, encode(decoded, alpha), alpha ? "image/png" : "image/jpeg"));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // Truncated or corrupt bytes: ImageIO throws IIOException or, from some plugins, runtime
      // exceptions such as IndexOutOfBounds. Either way it is no image.
      throw new NotAnImage(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static byte[] encode(BufferedImage source, boolean alpha) throws IOException {
    double scale =
        Math.min(1.0, (double) MAX_SIDE / Math.max(source.getWidth(), source.getHeight()));
    int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
    BufferedImage thumbnail =
        new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = thumbnail.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(thumbnail, alpha ? "png" : "jpeg", out)) {
      throw new IOException("no writer");
    }
    return out.toByteArray();
  }
}
