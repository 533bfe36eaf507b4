package teamchat.chatfront.files.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** File names as people see them: no path, nothing invisible or reversing, bounded. */
class FileNamesTest {

  @Test
  void aPlainNameStaysAsItIs() {
    assertEquals(
        Optional.of("Quarterly report 2026.pdf"), FileNames.sanitise("Quarterly report 2026.pdf"));
    assertEquals(Optional.of("設計メモ.txt"), FileNames.sanitise("設計メモ.txt"));
  }

  @Test
  void pathsAndTraversalsLeaveOnlyTheLastPart() {
    assertEquals(Optional.of("passwd"), FileNames.sanitise("../../etc/passwd"));
    assertEquals(Optional.of("boot.ini"), FileNames.sanitise("..\\..\\windows\\boot.ini"));
    assertEquals(Optional.empty(), FileNames.sanitise(".."));
    assertEquals(Optional.empty(), FileNames.sanitise("dir/"));
    assertEquals(Optional.of("bashrc"), FileNames.sanitise(".bashrc"));
  }

  @Test
  void controlAndBidiCharactersAreRemoved() {
    // "invoice\u202Egpj.exe" shows as "invoiceexe.jpg" in a right-to-left override.
    assertEquals(Optional.of("invoicegpj.exe"), FileNames.sanitise("invoice\u202Egpj.exe"));
    assertEquals(Optional.of("ab.txt"), FileNames.sanitise("a\u0000\u0007b\u200B.txt"));
    assertEquals(Optional.of("a b.txt"), FileNames.sanitise("a\r\nb.txt".replace("\r\n", "\n")));
    assertEquals(Optional.of("x.txt"), FileNames.sanitise("x\uD800.txt"), "a lone surrogate");
    assertEquals(Optional.of("a_b_.txt"), FileNames.sanitise("a<b>.txt"));
  }

  @Test
  void aLongNameIsShortenedKeepingItsExtension() {
    String name = FileNames.sanitise("x".repeat(500) + ".tar.gz").orElseThrow();
    assertEquals(FileNames.MAX_CODE_POINTS, name.codePointCount(0, name.length()));
    assertTrue(name.endsWith(".gz"), name);
  }

  @Test
  void aNameCutAtADotDoesNotEndWithIt() {
    // The extension is too long to keep, and the cut at 120 code points falls right after a dot.
    String name = FileNames.sanitise("x".repeat(119) + ". " + "y".repeat(20)).orElseThrow();
    assertEquals("x".repeat(119), name);
    assertEquals(Optional.of(name), FileNames.sanitise(name), "the same when sanitised again");
  }

  @Property(tries = 5_000)
  void whateverIsGivenTheNameIsSafe(@ForAll String given) {
    Optional<String> sanitised = FileNames.sanitise(given);
    if (sanitised.isEmpty()) {
      return;
    }
    String name = sanitised.get();
    assertFalse(name.isEmpty());
    assertTrue(name.codePointCount(0, name.length()) <= FileNames.MAX_CODE_POINTS, name);
    assertFalse(name.contains("/") || name.contains("\\"), name);
    assertFalse(name.startsWith("."), name);
    assertTrue(Normalizer.isNormalized(name, Normalizer.Form.NFC), name);
    name.codePoints()
        .forEach(
            c -> {
              int type = Character.getType(c);
              assertFalse(
                  type == Character.CONTROL
                      || type == Character.FORMAT
                      || type == Character.SURROGATE
                      || type == Character.UNASSIGNED,
                  "U+" + Integer.toHexString(c) + " in " + name);
            });
    try {
      StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(name));
    } catch (CharacterCodingException e) {
      throw new AssertionError("not well-formed: " + name, e);
    }
    assertEquals(sanitised, FileNames.sanitise(name), "sanitising is idempotent");
  }
}
