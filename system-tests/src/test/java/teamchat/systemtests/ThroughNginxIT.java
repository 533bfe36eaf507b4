package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import teamchat.edge.EdgeProxy;
import teamchat.edge.NginxTemplates.Vm;
import teamchat.systemtestkit.JsonBodies;

/**
 * The system as the two VMs run it, end to end: real nginx with TLS (a certificate made by the
 * test) rendered from {@code nginx/} in front of the three services and PostgreSQL, and two people
 * in two headless Chromium browsers. Screenshots: {@code
 * system-tests/target/screenshots/edge-*.png}.
 */
class ThroughNginxIT {

  /**
   * nginx's 300 s for a silent socket and chatserv's 30 s between pings, scaled down so that a test
   * can wait out the timeout several times over.
   */
  private static final Duration WS_IDLE_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration PING_INTERVAL = Duration.ofSeconds(2);

  @TempDir static Path work;

  private static EdgeProxy edge;
  private static RunningSystem system;
  private static String site;
  private static final List<String> SECRETS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    // The edge first: it must know the services' ports, the services what only the edge knows.
    RunningSystem.Ports ports = RunningSystem.Ports.free();
    edge =
        EdgeProxy.builder(work.resolve("edge"))
            .chatfront(ports.chatfront())
            .auth(ports.auth())
            .chatserv(ports.chatserv())
            .webSocketIdleTimeout(WS_IDLE_TIMEOUT)
            .start();
    site = edge.vm1().toString();
    system =
        RunningSystem.start(
            work.resolve("system"),
            ports,
            Map.of(
                "CHAT_PUBLIC_URL",
                site,
                "CHAT_PUBLIC_WS_URL",
                edge.webSocket().toString(),
                "CHATSERV_PING_INTERVAL",
                PING_INTERVAL.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (system != null) {
        assertTrue(system.stop(), "the system stopped on SIGINT");
      }
    } finally {
      if (edge != null) {
        edge.close();
      }
    }
  }

  @Test
  void twoPeopleChatLiveThroughNginxWithTls() throws Exception {
    String trustTheTestCertificate =
        "--ignore-certificate-errors-spki-list=" + edge.certificate().spkiSha256Base64();
    try (Browser ada = new Browser(1280, 900, trustTheTestCertificate);
        Browser bob = new Browser(1280, 900, trustTheTestCertificate)) {
      ada.open(site + "register.xhtml");
      register(ada, "Ada Edge");
      Cookie session = ada.driver.manage().getCookieNamed("JSESSIONID");
      assertTrue(session.isSecure() && session.isHttpOnly(), "session cookie Secure, HttpOnly");
      String room = "edge-" + UUID.randomUUID().toString().substring(0, 6);
      ada.fill("create:name", room);
      ada.click("create:submit");
      ada.await("the new room", ExpectedConditions.urlContains("room.xhtml"));
      awaitConnected(ada);
      send(ada, "hello through nginx");
      awaitStored(ada, "hello through nginx");

      bob.open(site + "register.xhtml");
      register(bob, "Bob Edge");
      for (WebElement item : bob.all("#public-rooms li")) {
        if (item.getText().contains(room)) {
          item.findElement(By.cssSelector("input[type=submit]")).click();
          break;
        }
      }
      bob.await("the joined room", ExpectedConditions.urlContains("room.xhtml"));
      awaitConnected(bob);
      send(bob, "hi Ada, from Bob");
      awaitStored(ada, "hi Ada, from Bob"); // live, both ways
      send(ada, "hi Bob");
      awaitStored(bob, "hi Bob");

      // A quiet page keeps its one socket through nginx: chatserv's pings and the browser's pongs
      // outlast the idle timeout. Without them nginx would close it and the page would sign in
      // again (or chatserv would close it for no_pong).
      Thread.sleep(WS_IDLE_TIMEOUT.multipliedBy(3).toMillis());
      assertEquals("1", signIns(ada), "Ada's page signed in once, through 15 s of silence");
      assertEquals("1", signIns(bob), "Bob's page signed in once, through 15 s of silence");
      send(bob, "still there after a quiet while?");
      awaitStored(ada, "still there after a quiet while?");

      bob.driver.navigate().refresh();
      awaitConnected(bob);
      assertEquals(
          List.of(
              "hello through nginx",
              "hi Ada, from Bob",
              "hi Bob",
              "still there after a quiet while?"),
          bodies(bob),
          "the full history after a reload");
      ada.screenshot("edge-chat-ada");
      bob.screenshot("edge-chat-bob");

      // A picture through both nginx with TLS (docs/web-app.md, "Files and images"): uploaded from
      // Ada's page (/session/files, its progress), sent, its thumbnail shown to Bob live, and its
      // bytes downloaded with Bob's session, with chatfront's headers passed on unchanged.
      Path picture = work.resolve("edge-picture.png");
      java.awt.image.BufferedImage image =
          new java.awt.image.BufferedImage(320, 200, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int x = 0; x < 320; x++) {
        for (int y = 0; y < 200; y++) {
          image.setRGB(x, y, (x * 255 / 320) << 16 | (y * 255 / 200) << 8 | 0x80);
        }
      }
      javax.imageio.ImageIO.write(image, "png", picture.toFile());
      ada.find("#file-input").sendKeys(picture.toString());
      ada.await(
          "the upload through nginx",
          ExpectedConditions.attributeToBe(
              By.cssSelector("#uploads li.upload"), "data-state", "ready"));
      send(ada, "a picture through nginx");
      awaitStored(bob, "a picture through nginx");
      String href =
          bob.await(
              "the thumbnail, loaded",
              driver ->
                  (String)
                      bob.script(
                          "const image = document.querySelector('#messages .file-image img');"
                              + " return image && image.complete && image.naturalWidth > 0"
                              + " ? image.parentElement.href : null;"));
      HttpResponse<byte[]> download =
          edge.httpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(href))
                      .header(
                          "Cookie",
                          "JSESSIONID="
                              + bob.driver.manage().getCookieNamed("JSESSIONID").getValue())
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, download.statusCode(), href);
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          Files.readAllBytes(picture), download.body(), "the very bytes uploaded");
      assertTrue(
          download.headers().allValues("Content-Security-Policy").stream()
              .anyMatch(csp -> csp.contains("sandbox")),
          "chatfront's sandbox policy passes nginx: " + download.headers().map());
      assertTrue(
          download.headers().firstValue("Cache-Control").orElse("").contains("private"),
          "private, never cached at the edge: " + download.headers().map());
      HttpResponse<byte[]> stranger =
          edge.httpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(href)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      // Without a session: sent to sign in, as for any address of the site, whatever the id.
      assertEquals(302, stranger.statusCode(), "without a session, no file");
      assertTrue(
          stranger.headers().firstValue("Location").orElse("").contains("login.xhtml"),
          "sent to sign in: " + stranger.headers().map());
      bob.screenshot("edge-files-bob");

      // The WebSocket went through VM2's nginx (101 Switching Protocols on /ws).
      String vm2Log = Files.readString(edge.accessLog(Vm.VM2));
      assertTrue(vm2Log.contains("/ws") && vm2Log.contains(" 101 "), "the socket went through /ws");

      // A token as the page gets it, for the log check below.
      String cookie = "JSESSIONID=" + session.getValue();
      HttpResponse<String> ticket =
          edge.httpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(site + "session/token"))
                      .header("Cookie", cookie)
                      .header("X-Chat-Request", "1")
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ticket.statusCode());
      SECRETS.add(JsonBodies.parse(ticket.body()).getString("access_token"));
      SECRETS.add(session.getValue());
    }
    assertInternalApiIsNotReachable();
    assertEveryPageCarriesTheSecurityHeaders();
    assertNoSecretInNginxLogs();
  }

  private static void assertInternalApiIsNotReachable() throws Exception {
    HttpClient client = edge.httpClient();
    for (String path :
        List.of("api/rooms/1/messages?member=x&after=0", "api/users/x/rooms", "api/me")) {
      int status =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(site + path)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode();
      assertTrue(status == 404 || status == 403, path + " answered " + status + " through nginx");
    }
    int batch =
        client
            .send(
                HttpRequest.newBuilder(URI.create(site + "api/messages/batch"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode();
    assertTrue(batch == 404 || batch == 403, "storing through nginx answered " + batch);
  }

  private static void assertEveryPageCarriesTheSecurityHeaders() throws Exception {
    for (String page : List.of("", "index.xhtml", "login.xhtml", "register.xhtml", "rooms.xhtml")) {
      HttpResponse<String> response =
          edge.httpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(site + page)).build(),
                  HttpResponse.BodyHandlers.ofString());
      var headers = response.headers();
      String where = "/" + page + " (" + response.statusCode() + ")";
      assertTrue(
          headers.firstValue("Strict-Transport-Security").orElse("").contains("max-age="),
          "HSTS on " + where);
      assertTrue(
          headers.allValues("Content-Security-Policy").stream()
              .anyMatch(csp -> csp.contains("frame-ancestors 'none'")),
          "CSP on " + where);
      assertEquals("nosniff", headers.firstValue("X-Content-Type-Options").orElse(""), where);
      assertFalse(headers.firstValue("Referrer-Policy").orElse("").isEmpty(), where);
    }
  }

  private static void assertNoSecretInNginxLogs() throws Exception {
    assertTrue(SECRETS.size() >= 4, "passwords, a token and a session id were used");
    for (Vm vm : Vm.values()) {
      for (Path log : List.of(edge.accessLog(vm), edge.errorLog(vm))) {
        String text = Files.exists(log) ? Files.readString(log) : "";
        for (String secret : SECRETS) {
          assertFalse(text.contains(secret), "a password or token in " + log.getFileName());
        }
      }
      // The pages request room.xhtml?id=... and session/...?before=...: none of it is logged.
      assertFalse(
          Files.readString(edge.accessLog(vm)).contains("?"), "no query string in the access log");
    }
  }

  // ---- steps (the same as a person's)

  private static void register(Browser browser, String displayName) {
    String password = "Pw-" + UUID.randomUUID();
    SECRETS.add(password);
    browser.fill("register:username", "e" + UUID.randomUUID().toString().substring(0, 8));
    browser.fill("register:displayName", displayName);
    browser.fill("register:password", password);
    browser.fill("register:passwordAgain", password);
    browser.click("register:submit");
    browser.await("the rooms page", ExpectedConditions.urlContains("rooms.xhtml"));
  }

  private static void awaitConnected(Browser browser) {
    browser.await(
        "connected to chatserv through nginx",
        ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));
  }

  /** How often the page signed in on a socket (chat.js counts it on the status line). */
  private static String signIns(Browser browser) {
    return browser.find("#connection").getAttribute("data-welcomes");
  }

  private static void send(Browser browser, String text) {
    WebElement input = browser.find("#message-text");
    input.sendKeys(text, org.openqa.selenium.Keys.ENTER);
  }

  private static void awaitStored(Browser browser, String text) {
    browser.await("stored: " + text, driver -> bodies(browser).contains(text));
  }

  @SuppressWarnings("unchecked")
  private static List<String> bodies(Browser browser) {
    return (List<String>)
        browser.script(
            "return Array.from(document.querySelectorAll('#messages li.message[data-seq] .body'),"
                + " b => b.textContent)");
  }
}
