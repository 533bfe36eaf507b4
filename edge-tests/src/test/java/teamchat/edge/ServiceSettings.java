package teamchat.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables a service really reads, found in its sources: every MicroProfile Config
 * key it defines or asks for (microprofile-config.properties, {@code @ConfigProperty}, {@code
 * getValue} and {@code getValues} with their optional forms, {@code ${MPCONFIG=...}} in its asadmin
 * files), in the environment-variable form MicroProfile Config looks up ({@code db.url} → {@code
 * DB_URL}).
 */
final class ServiceSettings {

  private static final List<Pattern> KEY_PATTERNS =
      List.of(
          Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\""),
          Pattern.compile("get(?:Optional)?Values?\\(\\s*\"([^\"]+)\""),
          Pattern.compile("\\$\\{MPCONFIG=([^}]+)}"));
  private static final Pattern PROPERTY =
      Pattern.compile("^([A-Za-z0-9_.\\-]+)\\s*=", Pattern.MULTILINE);

  private ServiceSettings() {}

  /** For auth, chatfront or chatserv. */
  static Set<String> environmentOf(String service) {
    boolean ownsSchema = !service.equals("chatserv");
    Set<String> keys = new TreeSet<>();
    scan(Repository.resolve(service + "-war/src/main"), keys);
    scan(Repository.resolve("contract/src/main"), keys);
    scan(Repository.resolve("payara/domain-config/pre-boot-commands.asadmin"), keys);
    if (ownsSchema) {
      scan(Repository.resolve("database-support/src/main"), keys);
      scan(Repository.resolve("payara/domain-config/post-boot-database.asadmin"), keys);
    }
    Set<String> environment = new TreeSet<>();
    for (String key : keys) {
      environment.add(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
    }
    return environment;
  }

  private static void scan(Path root, Set<String> keys) {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String name = file.getFileName().toString();
        if (!(name.endsWith(".java")
            || name.endsWith(".properties")
            || name.endsWith(".asadmin"))) {
          continue;
        }
        String text = Files.readString(file);
        for (Pattern pattern : KEY_PATTERNS) {
          Matcher m = pattern.matcher(text);
          while (m.find()) {
            keys.add(m.group(1));
          }
        }
        if (name.equals("microprofile-config.properties")) {
          Matcher m = PROPERTY.matcher(text);
          while (m.find()) {
            keys.add(m.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
