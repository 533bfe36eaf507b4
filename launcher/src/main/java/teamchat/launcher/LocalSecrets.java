package teamchat.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The secrets {@code ./chat up} makes once and keeps between runs, one file each in the data
 * folder's {@code secrets/}: the folder readable by its owner only (700), each file too (600).
 * Values are hex, which every consumer takes as it is (the JDBC pool's settings cannot hold a
 * colon). They go to the services through their environment, never to a log or the terminal. Key
 * pairs ({@link #keyPair}) are PEM files the services are given the names of.
 */
final class LocalSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path folder;

  LocalSecrets(Path folder) {
    this.folder = folder;
  }

  Path file(String name) {
    return folder.resolve(name);
  }

  boolean exists(String name) {
    return Files.exists(file(name));
  }

  /** The secret called {@code name}: the kept one, or a new one of 24 random bytes. */
  String get(String name) throws IOException {
    ownFolder();
    Path file = file(name);
    if (!Files.exists(file)) {
      byte[] bytes = new byte[24];
      RANDOM.nextBytes(bytes);
      Path written =
          Files.createTempFile(
              folder,
              name,
              ".new",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(written, List.of(HexFormat.of().formatHex(bytes)), StandardCharsets.UTF_8);
      Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    String secret = Files.readAllLines(file, StandardCharsets.UTF_8).get(0).strip();
    if (!secret.matches("[0-9a-f]{16,}")) {
      throw new IOException(
          file + " holds no usable secret (16 or more hex digits); delete it to get a new one");
    }
    return secret;
  }

  /** A key pair kept as two PEM files: the private key (PKCS#8, 600) and its public key. */
  record KeyPairFiles(Path privateKey, Path publicKey) {}

  /**
   * The EC P-256 key pair called {@code name} ({@code name.key}, {@code name.pub}), as openssl
   * writes them (docs/tokens.md): the kept one, or a new one when either file is missing. The
   * public key is written first, so that a start cut short leaves no private key without it.
   */
  KeyPairFiles keyPair(String name) throws IOException {
    ownFolder();
    KeyPairFiles files = new KeyPairFiles(file(name + ".key"), file(name + ".pub"));
    if (!Files.exists(files.privateKey()) || !Files.exists(files.publicKey())) {
      KeyPair pair;
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        pair = generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JDK makes no EC P-256 keys", e);
      }
      writeAtomically(files.publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      writeAtomically(files.privateKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    }
    Files.setPosixFilePermissions(files.privateKey(), PosixFilePermissions.fromString("rw-------"));
    return files;
  }

  private void ownFolder() throws IOException {
    Files.createDirectories(
        folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    // Also when the folder or file was there before, with looser permissions.
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
  }

  private void writeAtomically(Path file, String text) throws IOException {
    Path written =
        Files.createTempFile(
            folder,
            file.getFileName().toString(),
            ".new",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(written, text, StandardCharsets.US_ASCII);
    Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }
}
