package teamchat.edge;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's own files are (nginx/, deploy/, .github/, ...), seen from a test. */
public final class Repository {

  private Repository() {}

  /**
   * The system property {@code teamchat.repository} (set by the build), else the first folder
   * upwards from the working directory that holds {@code nginx/render}.
   */
  public static Path root() {
    String configured = System.getProperty("teamchat.repository");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("nginx/render"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "repository not found: set -Dteamchat.repository or run inside the repository");
  }

  public static Path resolve(String relative) {
    return root().resolve(relative);
  }
}
