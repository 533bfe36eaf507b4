package teamchat.chatfront.files.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Thumbnails re-encoded from the pixels alone, and images that are no images or bombs refused. */
public class ThumbnailsTest {

  @Test
  void aThumbnailOfAPhotoWithGpsCarriesNoExif() throws Exception {
    byte[] photo = withExifGps(jpeg(1600, 1200));
    assertTrue(contains(photo, "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1)), "control");
    assertTrue(contains(photo, "N\0".getBytes(StandardCharsets.ISO_8859_1)), "control");
    assertEquals(1600, ImageIO.read(new ByteArrayInputStream(photo)).getWidth(), "still a JPEG");

    Thumbnails.Thumbnail thumbnail =
        Thumbnails.of(new ByteArrayInputStream(photo), "image/jpeg").orElseThrow();
    assertEquals(1600, thumbnail.width());
    assertEquals(1200, thumbnail.height());
    assertEquals("image/jpeg", thumbnail.type());
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
    assertEquals(480, small.getWidth());
    assertEquals(360, small.getHeight());
    assertFalse(contains(thumbnail.bytes(), "Exif".getBytes(StandardCharsets.ISO_8859_1)));
    assertFalse(contains(thumbnail.bytes(), new byte[] {(byte) 0xFF, (byte) 0xE1}), "no APP1");
  }

  @Test
  void aPngKeepsItsTransparencyAndASmallImageItsSize() throws Exception {
    BufferedImage icon = new BufferedImage(64, 32, BufferedImage.TYPE_INT_ARGB);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(icon, "png", png);
    Thumbnails.Thumbnail thumbnail =
        Thumbnails.of(new ByteArrayInputStream(png.toByteArray()), "image/png").orElseThrow();
    assertEquals("image/png", thumbnail.type());
    BufferedImage read = ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
    assertEquals(64, read.getWidth());
    assertTrue(read.getColorModel().hasAlpha());
  }

  @Test
  void bytesThatAreNoImageAreRefused() throws Exception {
    byte[] truncated = java.util.Arrays.copyOf(jpeg(200, 200), 40);
    assertThrows(
        Thumbnails.NotAnImage.class,
        () -> Thumbnails.of(new ByteArrayInputStream(truncated), "image/jpeg"));
    assertThrows(
        Thumbnails.NotAnImage.class,
        () ->
            Thumbnails.of(
                new ByteArrayInputStream("GIF89a but no more".getBytes(StandardCharsets.UTF_8)),
                "image/gif"));
  }

  @Test
  void aDecompressionBombIsRefusedFromItsHeader() throws Exception {
    // A real 1 x 1 PNG whose header then claims 100,000 x 100,000 pixels (CRC fixed).
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png", out);
    byte[] png = out.toByteArray();
    ByteBuffer header = ByteBuffer.wrap(png).order(ByteOrder.BIG_ENDIAN);
    header.putInt(16, 100_000).putInt(20, 100_000);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17); // "IHDR" and its 13 bytes
    header.putInt(29, (int) crc.getValue());
    Thumbnails.NotAnImage refused =
        assertThrows(
            Thumbnails.NotAnImage.class,
            () -> Thumbnails.of(new ByteArrayInputStream(png), "image/png"));
    assertTrue(refused.getMessage().contains("100000 x 100000"), refused.getMessage());
  }

  public static byte[] jpeg(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, width / 2, height);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  /**
   * The JPEG with an EXIF segment (APP1) right after its start marker: a TIFF header, IFD0 pointing
   * to a GPS IFD that says latitude 52 N, as a phone writes it.
   */
  public static byte[] withExifGps(byte[] jpeg) {
    ByteBuffer tiff =
        ByteBuffer.allocate(8 + 2 + 12 + 4 + 2 + 2 * 12 + 4 + 24).order(ByteOrder.BIG_ENDIAN);
    tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
    int gpsIfd = 8 + 2 + 12 + 4;
    tiff.putShort((short) 1).putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(gpsIfd);
    tiff.putInt(0);
    int rationals = gpsIfd + 2 + 2 * 12 + 4;
    tiff.putShort((short) 2);
    // GPSLatitudeRef "N" (ASCII, 2 bytes, inline), GPSLatitude 52/1 0/1 0/1 (3 RATIONAL).
    tiff.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
    tiff.putShort((short) 2).putShort((short) 5).putInt(3).putInt(rationals);
    tiff.putInt(0);
    tiff.putInt(52).putInt(1).putInt(0).putInt(1).putInt(0).putInt(1);
    byte[] exif = new byte[6 + tiff.capacity()];
    System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, exif, 0, 6);
    System.arraycopy(tiff.array(), 0, exif, 6, tiff.capacity());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2); // SOI
    out.write(0xFF);
    out.write(0xE1);
    int length = exif.length + 2;
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(exif);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  public static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
