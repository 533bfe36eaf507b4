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

  /** Registrations hash with their own permits: all of them busy, a login still goes ahead. */
  @Test
  void aLoginNeverWaitsForRegistrationsHashing() throws Exception {
    String stored = cut.hash("correct horse battery");
    int all = PasswordHasher.NEW_HASHES.availablePermits();
    PasswordHasher.NEW_HASHES.acquire(all);
    java.util.concurrent.ExecutorService login =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      var verified = login.submit(() -> cut.verify("correct horse battery", stored));
      // Generous: a hash takes well under a second; with shared permits it would never finish.
      org.junit.jupiter.api.Assertions.assertTrue(
          verified.get(60, java.util.concurrent.TimeUnit.SECONDS));
    } finally {
      PasswordHasher.NEW_HASHES.release(all);
      login.shutdownNow();
    }
  }
}
