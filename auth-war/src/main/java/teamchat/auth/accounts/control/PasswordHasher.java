package teamchat.auth.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code
 * $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), so that each stored hash carries its own parameters
 * and they can be raised later: {@link #needsRehash} tells the login to store a new hash.
 */
@ApplicationScoped
public class PasswordHasher {

  /** OWASP's minimum for Argon2id: 19 MiB, two passes, one lane. */
  static final int MEMORY_KIB = 19 * 1024;

  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  /**
   * Each hash takes {@value #MEMORY_KIB} KiB: a burst must queue, not exhaust the heap. Logins and
   * new hashes (registration, rehash) queue apart, so that a flood of registrations can never make
   * a person wait to log in: it once raised a login from 0.08 s to 3.7 s.
   */
  static final Semaphore LOGIN_HASHES = new Semaphore(4, true);

  static final Semaphore NEW_HASHES = new Semaphore(2, true);

  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

  private final SecureRandom random = new SecureRandom();

  /** A hash of a password nobody knows: verified against when the username does not exist. */
  private final String decoy = hash(B64.encodeToString(random.generateSeed(32)));

  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash =
        derive(NEW_HASHES, password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m="
        + MEMORY_KIB
        + ",t="
        + ITERATIONS
        + ",p="
        + PARALLELISM
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /** Whether {@code password} matches {@code stored}; false for anything unreadable. */
  public boolean verify(String password, String stored) {
    Matcher phc = stored == null ? null : PHC.matcher(stored);
    if (phc == null || !phc.matches()) {
      return false;
    }
    byte[] expected = B64_DECODER.decode(phc.group(5));
    byte[] actual =
        derive(
            LOGIN_HASHES,
            password,
            B64_DECODER.decode(phc.group(4)),
            Integer.parseInt(phc.group(1)),
            Integer.parseInt(phc.group(2)),
            Integer.parseInt(phc.group(3)),
            expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  /**
   * Spends the same work as a real verification, for a username that does not exist: unknown user
   * and wrong password must not be told apart by their timing.
   */
  public void verifyDecoy(String password) {
    verify(password, decoy);
  }

  /** Whether a stored hash was made with weaker parameters than today's. */
  public boolean needsRehash(String stored) {
    Matcher phc = PHC.matcher(stored);
    return !phc.matches()
        || Integer.parseInt(phc.group(1)) < MEMORY_KIB
        || Integer.parseInt(phc.group(2)) < ITERATIONS;
  }

  private static byte[] derive(
      Semaphore permits,
      String password,
      byte[] salt,
      int memoryKib,
      int iterations,
      int parallelism,
      int length) {
    Argon2Parameters parameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] hash = new byte[length];
    permits.acquireUninterruptibly();
    try {
      generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
    } finally {
      permits.release();
    }
    return hash;
  }
}
