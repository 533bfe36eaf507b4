package teamchat.auth.accounts.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  private final PasswordHasher cut = new PasswordHasher();

  @Test
  void storesArgon2idWithItsParametersAndARandomSalt() {
    String first = cut.hash("violet staircase mango");
    String second = cut.hash("violet staircase mango");
    assertTrue(first.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), first);
    assertNotEquals(first, second, "a fresh salt each time");
    assertTrue(cut.verify("violet staircase mango", first));
    assertFalse(cut.verify("violet staircase mangO", first));
  }

  @Test
  void anUnreadableHashVerifiesNothing() {
    assertFalse(cut.verify("anything", "plain text"));
    assertFalse(cut.verify("anything", null));
  }

  @Test
  void weakerOldParametersAskForARehash() {
    String weak =
        "$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    assertTrue(cut.needsRehash(weak));
    assertFalse(cut.needsRehash(cut.hash("violet staircase mango")));
  }
}
