package teamchat.auth.tokens.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigningKeyCipherTest {

  private static SigningKeyCipher with(String secret) {
    SigningKeyCipher cipher = new SigningKeyCipher();
    cipher.secret = Optional.ofNullable(secret);
    cipher.derive();
    return cipher;
  }

  private final byte[] pkcs8 = {0x30, 0x01, 0x02, 0x03, 0x04};

  @Test
  void aSealedKeyOpensOnlyUnderItsSecretAndItsKeyId() {
    SigningKeyCipher cut = with("s3cret");
    byte[] sealed = cut.seal(pkcs8, "kid-1");
    assertEquals(SigningKeyCipher.SEALED, sealed[0]);
    assertFalse(
        new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)
            .contains("\u0030\u0001\u0002\u0003"));
    assertArrayEquals(pkcs8, cut.open(sealed, "kid-1"));
    assertThrows(IllegalStateException.class, () -> cut.open(sealed, "kid-2"));
    IllegalStateException wrong =
        assertThrows(IllegalStateException.class, () -> with("other").open(sealed, "kid-1"));
    assertTrue(wrong.getMessage().contains("auth.key-encryption-secret"));
    IllegalStateException none =
        assertThrows(IllegalStateException.class, () -> with(null).open(sealed, "kid-1"));
    assertTrue(none.getMessage().contains("AUTH_KEY_ENCRYPTION_SECRET"));
  }

  @Test
  void withoutASecretKeysStayAsTheyAreAndOldPlainKeysStillOpen() {
    assertArrayEquals(pkcs8, with(null).seal(pkcs8, "kid-1"));
    assertArrayEquals(pkcs8, with("s3cret").open(pkcs8, "kid-1"));
  }
}
