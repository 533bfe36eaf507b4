package teamchat.chatfront.files.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Types from bytes (Tika's magic), what is allowed, and what a browser is handed. */
class FileTypesTest {

  private static final byte[] PNG = {
    (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'
  };
  private static final byte[] PDF =
      "%PDF-1.7\n%âãÏÓ\n1 0 obj".getBytes(StandardCharsets.ISO_8859_1);

  private final FileTypes cut =
      new FileTypes(
          Set.of(
              "image/png",
              "image/jpeg",
              "image/gif",
              "image/webp",
              "application/pdf",
              "text/plain",
              "text/csv",
              "application/zip"));

  @Test
  void theBytesDecideNotTheName() {
    assertEquals("image/png", FileTypes.sniff(PNG, "holiday.jpg"));
    assertEquals("application/pdf", FileTypes.sniff(PDF, "notes.txt"));
    assertEquals("text/plain", FileTypes.sniff(bytes("just text"), "photo.png"));
    assertTrue(FileTypes.namedLikeAnImage("photo.PNG"));
    assertFalse(FileTypes.namedLikeAnImage("notes.txt"));
  }

  @Test
  void theNameOnlyRefinesWhatTheBytesSay() {
    assertEquals("text/csv", FileTypes.sniff(bytes("a,b\n1,2\n"), "table.csv"));
  }

  @Test
  void htmlAndSvgAreTextThatIsDownloadedNeverRendered() {
    String html = FileTypes.sniff(bytes("<html><script>alert(1)</script></html>"), "x.html");
    assertEquals("text/html", html);
    String svg =
        FileTypes.sniff(
            bytes(
                "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\">"
                    + "<script>alert(1)</script></svg>"),
            "x.svg");
    assertEquals("image/svg+xml", svg);
    for (String type : new String[] {html, svg}) {
      assertTrue(cut.isAllowed(type), type + " is text: it may be shared");
      assertEquals("application/octet-stream", cut.servedType(type));
      assertFalse(cut.isInline(type));
    }
  }

  @Test
  void typesOffTheListAreRefusedAndAllowedImagesShownInline() {
    assertFalse(cut.isAllowed("application/x-msdownload"));
    assertFalse(cut.isAllowed("image/tiff"));
    assertTrue(cut.isAllowed("image/png"));
    assertTrue(cut.isInline("image/png"));
    assertEquals("application/pdf", cut.servedType("application/pdf"));
    assertFalse(cut.isInline("application/pdf"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
