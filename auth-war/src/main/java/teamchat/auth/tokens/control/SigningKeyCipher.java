package teamchat.auth.tokens.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.logging.Logger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Seals the private signing keys before they reach the database, so that a copy of the database (a
 * backup, a leaked dump) does not let anyone sign tokens: AES-256-GCM under a key derived from
 * {@code auth.key-encryption-secret} (env {@code AUTH_KEY_ENCRYPTION_SECRET}), with the key id as
 * associated data (a sealed key cannot be moved to another row).
 *
 * <p>The secret is a random value (the launcher makes 24 bytes, docs/deploy.md says how to make
 * one), not a password, so one SHA-256 with a purpose label derives the AES key; a slow password
 * hash would add nothing. A stored key is sealed when its first byte is {@link #SEALED}; a PKCS#8
 * key (first byte 0x30) is one from before, and is sealed when next read. Without the secret, keys
 * are stored as they are and a warning says so at every start (docs/tokens.md); sealed keys then
 * cannot be read, and auth refuses to go on with a message that names the setting.
 */
@ApplicationScoped
public class SigningKeyCipher {

  private static final Logger LOG = Logger.getLogger(SigningKeyCipher.class.getName());
  static final byte SEALED = 0x01;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  @Inject
  @ConfigProperty(name = "auth.key-encryption-secret")
  Optional<String> secret;

  private final SecureRandom random = new SecureRandom();
  private SecretKeySpec key;

  @PostConstruct
  void derive() {
    if (secret.isEmpty() || secret.get().isBlank()) {
      LOG.warning(
          "auth.key-encryption-secret (AUTH_KEY_ENCRYPTION_SECRET) is not set: signing keys are"
              + " stored unencrypted in the database");
      return;
    }
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("teamchat auth signing-key encryption v1\n".getBytes(StandardCharsets.UTF_8));
      key = new SecretKeySpec(sha256.digest(secret.get().getBytes(StandardCharsets.UTF_8)), "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** Whether keys are sealed (a secret is configured). */
  public boolean seals() {
    return key != null;
  }

  /** What to store for a private key (PKCS#8): sealed when a secret is configured. */
  public byte[] seal(byte[] privateKey, String kid) {
    if (key == null) {
      return privateKey;
    }
    try {
      byte[] iv = new byte[IV_BYTES];
      random.nextBytes(iv);
      Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      aes.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = aes.doFinal(privateKey);
      return ByteBuffer.allocate(1 + IV_BYTES + sealed.length)
          .put(SEALED)
          .put(iv)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not seal a signing key", e);
    }
  }

  /** The private key (PKCS#8) from what was stored. */
  public byte[] open(byte[] stored, String kid) {
    if (!isSealed(stored)) {
      return stored;
    }
    if (key == null) {
      throw new IllegalStateException(
          "the signing keys are encrypted: set auth.key-encryption-secret"
              + " (AUTH_KEY_ENCRYPTION_SECRET) to the secret they were stored with");
    }
    try {
      Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, IV_BYTES));
      aes.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      return aes.doFinal(stored, 1 + IV_BYTES, stored.length - 1 - IV_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "a signing key cannot be decrypted: auth.key-encryption-secret is not the secret it was"
              + " stored with",
          e);
    }
  }

  public static boolean isSealed(byte[] stored) {
    return stored.length > 0 && stored[0] == SEALED;
  }
}
