package teamchat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import teamchat.edge.NginxTemplates.Vm;

/**
 * Both VMs' configurations, rendered with production-like values (ports 80/443 on every address,
 * two instances per upstream) and a certificate made by the test, pass {@code nginx -t} without a
 * warning; the renderer refuses what would render a broken or injected configuration.
 */
class NginxConfigTest {

  private static final Path NGINX = Path.of("/usr/sbin/nginx");

  @TempDir static Path work;
  private static TestCertificate certificate;

  @BeforeAll
  static void certificate() throws IOException {
    assertTrue(
        Files.isExecutable(NGINX),
        "nginx not found at " + NGINX + ": ./chat test installs it (apt-get install nginx)");
    certificate = TestCertificate.create(work.resolve("tls"));
  }

  /** What an admin would set, with the runtime paths moved into the test folder. */
  private static Map<String, String> values(Path dir) throws IOException {
    Map<String, String> values = new HashMap<>();
    values.put("SERVER_NAME", "chat.example.org");
    values.put("TLS_CERTIFICATE", certificate.certificateFile().toString());
    values.put("TLS_CERTIFICATE_KEY", certificate.keyFile().toString());
    values.put("CHATFRONT_SERVERS", "127.0.0.1:8080 10.0.0.6:8080");
    values.put("AUTH_SERVERS", "127.0.0.1:8081 10.0.0.6:8081");
    values.put("CHATSERV_PUBLIC_ORIGIN", "wss://chat-ws.example.org");
    values.put("CHATSERV_SERVERS", "127.0.0.1:8082 10.0.0.7:8082");
    values.put("NGINX_USER", System.getProperty("user.name"));
    values.put("NGINX_PID", dir.resolve("nginx.pid").toString());
    values.put("NGINX_LOG_DIR", Files.createDirectories(dir.resolve("logs")).toString());
    values.put("NGINX_TEMP_DIR", Files.createDirectories(dir.resolve("temp")).toString());
    return values;
  }

  @ParameterizedTest
  @EnumSource(Vm.class)
  void renderedConfigurationPassesNginxTest(Vm vm) throws Exception {
    Path dir = work.resolve(vm.argument());
    Command rendered = NginxTemplates.render(vm, dir.resolve("conf"), values(dir));
    assertTrue(rendered.succeeded(), rendered.toString());
    String site = Files.readString(dir.resolve("conf/teamchat-site.conf"));
    String main = Files.readString(dir.resolve("conf/nginx.conf"));
    assertFalse((main + site).contains("${"), "a placeholder was left");
    assertTrue(main.contains("ssl_protocols TLSv1.2 TLSv1.3;"));
    // The second instance of each upstream (VM1: chatfront, auth; VM2: chatserv), and both
    // addresses of each port.
    assertEquals(vm == Vm.VM1 ? 2 : 1, count(site, "    server 10.0.0."), site);
    assertTrue(site.contains("listen 0.0.0.0:443 ssl http2 default_server;"), site);
    assertTrue(site.contains("listen [::]:443 ssl http2 default_server;"), site);

    Command test =
        Command.run(
            List.of(
                NGINX.toString(),
                "-t",
                "-p",
                dir.toString(),
                "-c",
                dir.resolve("conf/nginx.conf").toString(),
                "-e",
                dir.resolve("logs/error.log").toString()),
            Map.of(),
            Duration.ofSeconds(30));
    assertTrue(test.succeeded(), test.toString());
    assertTrue(test.output().contains("test is successful"), test.toString());
    List<String> complaints =
        test.output()
            .lines()
            .filter(line -> line.contains("[warn]") || line.contains("[emerg]"))
            // Only when the tests do not run as root: the production worker user is then moot.
            .filter(line -> !line.contains("the \"user\" directive makes sense only if"))
            .collect(Collectors.toList());
    assertEquals(List.of(), complaints, test.toString());
  }

  @Test
  void vm1CspAllowsTheConfiguredWebSocketOriginOnly() throws Exception {
    Path dir = work.resolve("csp");
    assertTrue(NginxTemplates.render(Vm.VM1, dir, values(dir)).succeeded());
    String site = Files.readString(dir.resolve("teamchat-site.conf"));
    assertTrue(site.contains("connect-src 'self' wss://chat-ws.example.org;"), site);
    assertTrue(site.contains("return 301 https://chat.example.org$request_uri;"), site);
    assertTrue(site.contains("proxy_set_header Host chat.example.org;"), site);
  }

  /**
   * One setting for the upload limit: render's default is chatfront's {@code
   * chatfront.files.max-bytes}, and chatfront's env file, given after nginx's, sets both.
   */
  @Test
  void theUploadLimitIsChatfrontsFilesMaxBytes() throws Exception {
    java.util.Properties chatfront = new java.util.Properties();
    try (var in =
        Files.newInputStream(
            Repository.resolve(
                "chatfront-war/src/main/resources/META-INF/microprofile-config.properties"))) {
      chatfront.load(in);
    }
    String chatfrontDefault = chatfront.getProperty("chatfront.files.max-bytes");
    assertTrue(chatfrontDefault != null, "chatfront.files.max-bytes is chatfront's setting");
    Path dir = work.resolve("files-default");
    assertTrue(NginxTemplates.render(Vm.VM1, dir, values(dir)).succeeded());
    String site = Files.readString(dir.resolve("teamchat-site.conf"));
    assertTrue(site.contains("client_max_body_size " + chatfrontDefault.strip() + ";"), site);

    Path env = Files.writeString(work.resolve("chatfront.env"), "CHATFRONT_FILES_MAX_BYTES=5000\n");
    Path out = work.resolve("files-env");
    Files.createDirectories(out);
    Path nginxValues = out.resolve("values.env");
    Files.write(
        nginxValues,
        values(out).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    Command rendered =
        Command.runIsolated(
            List.of(
                "bash",
                Repository.resolve("nginx/render").toString(),
                "vm1",
                out.toString(),
                nginxValues.toString(),
                env.toString()),
            Map.of(),
            Duration.ofSeconds(30));
    assertTrue(rendered.succeeded(), rendered.toString());
    site = Files.readString(out.resolve("teamchat-site.conf"));
    assertTrue(site.contains("client_max_body_size 5000;"), site);

    Map<String, String> bad = values(dir);
    bad.put("CHATFRONT_FILES_MAX_BYTES", "25m");
    Command refused = NginxTemplates.render(Vm.VM1, work.resolve("files-bad"), bad);
    assertNotEquals(0, refused.exitCode());
    assertTrue(refused.output().contains("CHATFRONT_FILES_MAX_BYTES"), refused.output());
  }

  @Test
  void aMissingValueStopsTheRendering() throws Exception {
    Path dir = work.resolve("missing");
    Map<String, String> values = values(dir);
    values.remove("CHATSERV_PUBLIC_ORIGIN");
    Command rendered = NginxTemplates.render(Vm.VM1, dir, values);
    assertNotEquals(0, rendered.exitCode());
    assertTrue(rendered.output().contains("CHATSERV_PUBLIC_ORIGIN"), rendered.output());
    assertFalse(Files.exists(dir.resolve("nginx.conf")), "nothing half rendered");
    // VM2 does not need it.
    assertTrue(NginxTemplates.render(Vm.VM2, dir, values).succeeded());
  }

  @Test
  void valuesThatCouldInjectDirectivesAreRefused() throws Exception {
    for (String bad :
        List.of("chat.example.org; return 200", "a{", "x\"y", "$host", "a\\b", "a'b")) {
      Path dir = work.resolve("inject");
      Map<String, String> values = values(dir);
      values.put("SERVER_NAME", bad);
      Command rendered = NginxTemplates.render(Vm.VM2, dir, values);
      assertNotEquals(0, rendered.exitCode(), bad);
      assertTrue(rendered.output().contains("SERVER_NAME"), rendered.output());
    }
  }

  @Test
  void aTemplateWithAnUnknownPlaceholderIsRefused() throws Exception {
    // A copy of nginx/ whose main template has a typo.
    Path copy = Files.createDirectories(work.resolve("typo/nginx"));
    Path source = Repository.resolve("nginx");
    for (String file : List.of("render", "vm1.site.template", "vm2.site.template")) {
      Files.copy(source.resolve(file), copy.resolve(file));
    }
    Files.writeString(
        copy.resolve("nginx.conf.template"),
        Files.readString(source.resolve("nginx.conf.template"))
            .replace("${NGINX_PID}", "${NGINX_PIDFILE}"));
    Path out = work.resolve("typo/out");
    Command rendered =
        Command.runIsolated(
            List.of("bash", copy.resolve("render").toString(), "vm2", out.toString(), "/dev/null"),
            values(out),
            Duration.ofSeconds(30));
    assertNotEquals(0, rendered.exitCode());
    assertTrue(rendered.output().contains("unknown variable ${NGINX_PIDFILE}"), rendered.output());
  }

  private static int count(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }
}
