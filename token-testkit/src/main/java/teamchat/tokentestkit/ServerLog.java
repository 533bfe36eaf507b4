package teamchat.tokentestkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Stream;

/**
 * The log the Payara Micro under test wrote (the build passes {@code --logtofile} and names the
 * file in {@code teamchat.test.serverLog}), to check what it must never contain.
 */
public final class ServerLog {

  private ServerLog() {}

  /** The whole log of this run; java.util.logging numbers the files (.0, .1, ...). */
  public static String read() throws IOException {
    Path log = Path.of(System.getProperty("teamchat.test.serverLog"));
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(log.getParent())) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().startsWith(log.getFileName().toString()))
              .sorted()
              .toList()) {
        text.append(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return text.toString();
  }

  /**
   * Fails when any of {@code secrets} (passwords, tokens) appears in the log. {@code marker} is a
   * text the log of this run must contain, so that an empty or stale file cannot pass.
   */
  public static void assertHoldsNone(Collection<String> secrets, String marker) throws IOException {
    String text = read();
    if (!text.contains(marker)) {
      throw new AssertionError("not the server log of this run: '" + marker + "' is missing");
    }
    for (String secret : secrets) {
      if (text.contains(secret)) {
        throw new AssertionError("a password or token appears in the server log");
      }
    }
  }
}
