package teamchat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Static checks of docker/ (no Docker engine on these machines): the Dockerfile runs as a non-root
 * user with a health check and copies only what the build makes and the context lets through; the
 * compose file builds from files that exist, mounts files that exist, and gives each service only
 * settings that service reads (found in its sources, {@link ServiceSettings}). Not checked: that
 * the image builds or the stack starts.
 */
class DockerArtifactsTest {

  /** Read by docker/Dockerfile's entrypoint or the systemd units, not by the application. */
  private static final Set<String> RUNTIME = Set.of("JAVA_OPTS", "MICRO_OPTS", "PORT");

  private static final Path DOCKERFILE = Repository.resolve("docker/Dockerfile");

  private record Instruction(String keyword, String arguments) {}

  private static List<Instruction> dockerfile() throws IOException {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(DOCKERFILE)) {
      if (current.length() == 0 && (line.isBlank() || line.strip().startsWith("#"))) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String[] parts = current.toString().strip().split("\\s+", 2);
      instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
      current.setLength(0);
    }
    return instructions;
  }

  private static List<String> all(List<Instruction> instructions, String keyword) {
    return instructions.stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::arguments)
        .toList();
  }

  @Test
  void imageRunsAsANonRootUserOnAJre17WithAHealthCheck() throws Exception {
    List<Instruction> instructions = dockerfile();
    assertTrue(all(instructions, "FROM").get(0).startsWith("eclipse-temurin:17-jre"));
    List<String> users = all(instructions, "USER");
    assertFalse(users.isEmpty(), "no USER: the service would run as root");
    String user = users.get(users.size() - 1).split(":")[0];
    assertFalse(user.equals("0") || user.equals("root"), "runs as " + user);
    // Nothing after the last USER switches back to root work.
    int lastUser = lastIndexOf(instructions, "USER");
    assertTrue(
        instructions.subList(lastUser, instructions.size()).stream()
            .noneMatch(i -> i.keyword().equals("RUN")),
        "RUN after the last USER");
    String health = String.join(" ", all(instructions, "HEALTHCHECK"));
    assertTrue(health.contains("/health/ready") && health.contains("CMD"), health);
    assertFalse(all(instructions, "EXPOSE").isEmpty(), "no EXPOSE");
    String entrypoint = all(instructions, "ENTRYPOINT").get(0);
    assertTrue(entrypoint.startsWith("[") && entrypoint.contains("exec java"), entrypoint);
  }

  @Test
  void everyServiceTheDockerfileCanBuildCopiesAJarTheBuildMakesAndTheContextSends()
      throws Exception {
    List<Instruction> instructions = dockerfile();
    Map<String, String> defaults = new HashMap<>();
    for (String arg : all(instructions, "ARG")) {
      String[] kv = arg.split("=", 2);
      defaults.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    List<Map<String, String>> builds = new ArrayList<>();
    builds.add(defaults);
    for (Map<String, Object> service : composeServices().values()) {
      if (service.get("build") instanceof Map<?, ?> build) {
        Map<String, String> args = new HashMap<>(defaults);
        if (build.get("args") instanceof Map<?, ?> given) {
          given.forEach((k, v) -> args.put(k.toString(), v.toString()));
        }
        builds.add(args);
      }
    }
    List<String> dockerignore = Files.readAllLines(Repository.resolve(".dockerignore"));
    for (Map<String, String> args : builds) {
      for (String copy : all(instructions, "COPY")) {
        String[] words = copy.split("\\s+");
        String source = substitute(words[words.length - 2], args);
        Matcher jar = Pattern.compile("([a-z]+)-war/target/([a-z]+)-micro\\.jar").matcher(source);
        assertTrue(jar.matches(), "copies " + source);
        Path pom = Repository.resolve(jar.group(1) + "-war/pom.xml");
        assertTrue(Files.exists(pom), "no module for " + source);
        // The uber-jar is named after the module's artifactId (root pom, payara-micro-service).
        assertTrue(
            Files.readString(pom).contains("<artifactId>" + jar.group(2) + "</artifactId>"),
            pom + " does not build " + source);
        assertTrue(dockerignore.contains("!" + source), ".dockerignore keeps out " + source);
      }
    }
  }

  @Test
  void composeBuildsAndMountsFilesThatExist() throws Exception {
    Path composeDir = Repository.resolve("docker");
    Map<String, Map<String, Object>> services = composeServices();
    assertEquals(
        Set.of("postgres", "auth", "chatfront", "chatserv", "nginx-front", "nginx-ws"),
        services.keySet());
    for (var entry : services.entrySet()) {
      Map<String, Object> service = entry.getValue();
      if (service.get("build") instanceof Map<?, ?> build) {
        Path context = composeDir.resolve(build.get("context").toString()).normalize();
        assertTrue(Files.isDirectory(context), entry.getKey() + ": no context " + context);
        assertTrue(
            Files.exists(context.resolve(build.get("dockerfile").toString())),
            entry.getKey() + ": no Dockerfile");
      } else {
        assertNotNull(service.get("image"), entry.getKey() + " has neither build nor image");
      }
      if (service.get("volumes") instanceof List<?> volumes) {
        for (Object volume : volumes) {
          String source = volume.toString().split(":")[0];
          if (source.startsWith(".")) {
            assertTrue(Files.exists(composeDir.resolve(source)), entry.getKey() + ": no " + source);
          }
        }
      }
      if (service.get("depends_on") instanceof Map<?, ?> dependencies) {
        for (Object dependency : dependencies.keySet()) {
          assertTrue(services.containsKey(dependency.toString()), "unknown " + dependency);
        }
      }
    }
    // nginx's command renders with the repository's renderer, mounted read-only.
    assertTrue(
        services
            .get("nginx-front")
            .get("command")
            .toString()
            .contains("/opt/teamchat/nginx/render vm1"));
    assertTrue(
        services
            .get("nginx-ws")
            .get("command")
            .toString()
            .contains("/opt/teamchat/nginx/render vm2"));
  }

  @Test
  void composeGivesEachServiceOnlySettingsItReads() throws Exception {
    Map<String, Map<String, Object>> services = composeServices();
    Set<String> renderVariables = renderVariables();
    List<String> unknown = new ArrayList<>();
    for (var entry : services.entrySet()) {
      String name = entry.getKey();
      if (name.equals("postgres")) {
        continue; // the official image's own variables
      }
      Set<String> allowed = allowedFor(name, renderVariables);
      if (entry.getValue().get("environment") instanceof Map<?, ?> environment) {
        for (Object key : environment.keySet()) {
          if (!allowed.contains(key.toString())) {
            unknown.add(name + ": " + key);
          }
        }
      }
    }
    assertEquals(List.of(), unknown, "settings no service reads");
  }

  @Test
  void everyComposeVariableIsInTheExampleEnvFile() throws Exception {
    String compose = Files.readString(Repository.resolve("docker/compose.yaml"));
    String example = Files.readString(Repository.resolve("docker/compose.env.example"));
    Matcher variable = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(compose);
    Set<String> missing = new TreeSet<>();
    while (variable.find()) {
      if (!Pattern.compile("(?m)^" + variable.group(1) + "=").matcher(example).find()) {
        missing.add(variable.group(1));
      }
    }
    assertEquals(Set.of(), missing);
  }

  @Test
  void deployEnvExamplesNameOnlySettingsTheServicesRead() throws Exception {
    Set<String> renderVariables = renderVariables();
    Map<String, Path> examples = new LinkedHashMap<>();
    examples.put("auth", Repository.resolve("deploy/vm1/auth.env.example"));
    examples.put("chatfront", Repository.resolve("deploy/vm1/chatfront.env.example"));
    examples.put("chatserv", Repository.resolve("deploy/vm2/chatserv.env.example"));
    List<String> unknown = new ArrayList<>();
    for (var example : examples.entrySet()) {
      Set<String> allowed = allowedFor(example.getKey(), renderVariables);
      for (String line : Files.readAllLines(example.getValue())) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String key = line.split("=", 2)[0];
        if (!allowed.contains(key)) {
          unknown.add(example.getValue().getFileName() + ": " + key);
        }
      }
    }
    assertEquals(List.of(), unknown);
    assertTrue(ServiceSettings.environmentOf("chatserv").contains("CHATSERV_ASSERTION_KEY"));
    assertTrue(ServiceSettings.environmentOf("chatfront").contains("CHATFRONT_CHATSERV_KEYS"));
    assertFalse(ServiceSettings.environmentOf("auth").contains("AUTH_SERVICE_CLIENTS"));
    assertTrue(ServiceSettings.environmentOf("chatfront").contains("DB_PASSWORD"));
  }

  private static Set<String> allowedFor(String service, Set<String> renderVariables) {
    if (service.startsWith("nginx")) {
      return renderVariables;
    }
    Set<String> allowed = new TreeSet<>(ServiceSettings.environmentOf(service));
    allowed.addAll(RUNTIME);
    return allowed;
  }

  /** The names nginx/render accepts: the first field of each entry of its VARIABLES list. */
  private static Set<String> renderVariables() throws IOException {
    Matcher entry =
        Pattern.compile("(?m)^\\s+\"([A-Z0-9_]+)\\|")
            .matcher(Files.readString(Repository.resolve("nginx/render")));
    Set<String> names = new TreeSet<>();
    while (entry.find()) {
      names.add(entry.group(1));
    }
    assertTrue(names.contains("SERVER_NAME"), "render's VARIABLES not found");
    return names;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> composeServices() throws IOException {
    Map<String, Object> compose =
        new Yaml().load(Files.readString(Repository.resolve("docker/compose.yaml")));
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  private static String substitute(String text, Map<String, String> args) {
    String result = text;
    for (var arg : args.entrySet()) {
      result = result.replace("${" + arg.getKey() + "}", arg.getValue());
    }
    return result;
  }

  private static int lastIndexOf(List<Instruction> instructions, String keyword) {
    for (int i = instructions.size() - 1; i >= 0; i--) {
      if (instructions.get(i).keyword().equals(keyword)) {
        return i;
      }
    }
    return -1;
  }
}
