package teamchat.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The secrets {@code ./chat up} makes once and keeps between runs, one file each in the data
 * folder's {@code secrets/}: the folder readable by its owner only (700), each file too (600).
 * Values are hex, which every consumer takes as it is (the JDBC pool's settings cannot hold a
 * colon). They go to the services through their environment, never to a log or the terminal.
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
    Files.createDirectories(
        folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    // Also when the folder or file was there before, with looser permissions.
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
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
}
