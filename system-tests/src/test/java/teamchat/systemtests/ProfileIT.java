package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import teamchat.systemtestkit.Accounts.Person;

/**
 * The profile page, the error pages and the forms' messages in a real browser (Debian's headless
 * Chromium) against the whole system as {@code ./chat up} runs it: a new display name seen by
 * another member, a new password that signs out every other session, the application's own 404 for
 * an outsider, and validation messages in plain words. Screenshots at 1280 and 390 px wide go to
 * {@code system-tests/target/screenshots/profile-*.png}.
 */
@ExtendWith(SharedSystem.class)
class ProfileIT {

  private static RunningSystem system;
  private static String site;

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** Every password and token these tests typed or got: none may appear in any service's log. */
  private static final Set<String> PASSWORDS = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start(RunningSystem shared) {
    system = shared;
    site = "http://localhost:" + system.chatfrontPort + "/";
  }

  @AfterAll
  static void noPasswordInTheLogs() throws Exception {
    assertFalse(PASSWORDS.isEmpty());
    try (var logs = Files.list(system.logs())) {
      for (Path log : logs.toList()) {
        String text = Files.readString(log);
        for (String password : PASSWORDS) {
          assertFalse(text.contains(password), "a password appears in " + log.getFileName());
        }
      }
    }
  }

  @Test
  void aNewDisplayNameIsWhatAnotherMemberSees() throws Exception {
    Person ada = person();
    Person bob = person();
    long room = system.privateRoom("profile", List.of(ada.subject(), bob.subject()));
    try (Browser adas = new Browser(1280, 800);
        Browser bobs = new Browser(1280, 800)) {
      signIn(adas, ada);
      signIn(bobs, bob);
      bobs.open(site + "room.xhtml?id=" + room);
      assertFalse(members(bobs).contains("Ada Renamed"));

      // From the header of any signed-in page, the name there is the link to the profile.
      adas.find("a.me").click();
      adas.await("the profile page", ExpectedConditions.urlContains("profile.xhtml"));
      assertEquals(ada.username(), adas.find("#name\\:displayName").getAttribute("value"));
      screenshots(adas, "profile");

      String renamed = "Ada Renamed " + UUID.randomUUID().toString().substring(0, 4);
      adas.fill("name:displayName", renamed);
      adas.click("name:save");
      adas.await(
          "the name saved",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("outcome"), "Your display name is now " + renamed + "."));
      assertEquals(renamed, adas.find("a.me").getText(), "the header says the new name");
      screenshots(adas, "profile-name-saved");

      bobs.driver.navigate().refresh();
      bobs.await("Ada's new name among the members", driver -> members(bobs).contains(renamed));
    }
  }

  @Test
  void aNewPasswordNeedsTheCurrentOneAndSignsOutEverywhereElse() throws Exception {
    Person ada = person(); // auth's API signed her in once: one session elsewhere
    try (Browser laptop = new Browser(1280, 800);
        Browser phone = new Browser(390, 844)) {
      signIn(laptop, ada);
      signIn(phone, ada); // and her phone: a second one
      laptop.open(site + "profile.xhtml");

      String newPassword = "a new long passphrase " + UUID.randomUUID();
      PASSWORDS.add(newPassword);
      changePassword(laptop, "not my password at all", newPassword, newPassword);
      assertEquals("The current password is not right.", errorBeside(laptop, "password:current"));
      assertEquals("password:current", focused(laptop), "focus on the field in error");
      screenshots(laptop, "profile-wrong-password");

      changePassword(laptop, ada.password(), newPassword, newPassword + "x");
      assertEquals("The two new passwords differ.", errorBeside(laptop, "password:again"));
      changePassword(laptop, ada.password(), "short", "short");
      assertEquals("A password needs at least 8 characters.", errorBeside(laptop, "password:new"));

      changePassword(laptop, ada.password(), newPassword, newPassword);
      laptop.await(
          "the password changed",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("outcome"),
              "Your password is changed. You are now signed out on the 2 other devices or"
                  + " browsers you used."));
      screenshots(laptop, "profile-password-changed");

      // The phone's session ended at auth; its next page asks it to sign in again.
      phone.await(
          "the phone signed out",
          driver -> {
            phone.open(site + "rooms.xhtml");
            return phone.driver.getCurrentUrl().contains("login.xhtml");
          });
      // So did the session auth's API started.
      HttpResponse<String> refresh =
          post(
              URI.create("http://127.0.0.1:" + system.authPort + "/auth/tokens/refresh"),
              "{\"refresh_token\":\"" + ada.refreshToken() + "\"}");
      assertEquals(401, refresh.statusCode());
      assertTrue(refresh.body().contains("session_revoked"), refresh.body());
      // The laptop goes on; the old password no longer signs in, the new one does.
      laptop.open(site + "rooms.xhtml");
      assertTrue(laptop.driver.getCurrentUrl().contains("rooms.xhtml"));

      phone.fill("login:username", ada.username());
      phone.fill("login:password", ada.password());
      phone.click("login:submit");
      phone.await(
          "the old password refused",
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".errors"), "Wrong username or password."));
      phone.fill("login:username", ada.username());
      phone.fill("login:password", newPassword);
      phone.click("login:submit");
      phone.await("signed in with the new one", ExpectedConditions.urlContains("rooms.xhtml"));
    }
  }

  @Test
  void signingOutEverywhereEndsEveryBrowsersSession() throws Exception {
    Person ada = person();
    try (Browser laptop = new Browser(1280, 800);
        Browser phone = new Browser(390, 844)) {
      signIn(laptop, ada);
      signIn(phone, ada);
      phone.open(site + "profile.xhtml");
      phone.click("sessions:everywhere");
      phone.await("the welcome page", ExpectedConditions.urlContains("index.xhtml"));
      phone.open(site + "profile.xhtml");
      assertTrue(phone.driver.getCurrentUrl().contains("login.xhtml"), "signed out here");
      laptop.await(
          "the laptop signed out",
          driver -> {
            laptop.open(site + "rooms.xhtml");
            return laptop.driver.getCurrentUrl().contains("login.xhtml");
          });
      HttpResponse<String> refresh =
          post(
              URI.create("http://127.0.0.1:" + system.authPort + "/auth/tokens/refresh"),
              "{\"refresh_token\":\"" + ada.refreshToken() + "\"}");
      assertEquals(401, refresh.statusCode(), "the API's session too: " + refresh.body());
    }
  }

  // ---- personal access tokens and bots (issue 20, docs/api.md)

  @Test
  void tokensAndBotsAreMadeShownOnceUsedAndRevokedOnTheProfilePage() throws Exception {
    Person ada = person();
    try (Browser laptop = new Browser(1280, 800)) {
      signIn(laptop, ada);
      laptop.open(site + "profile.xhtml");

      // A personal token, which may write: shown once, then listed without it.
      laptop.fill("tokens:tokenName", "deploy script");
      laptop.find("[id='tokens:tokenWrites']").click();
      laptop.click("tokens:create");
      String personal =
          laptop
              .await(
                  "the new token", ExpectedConditions.presenceOfElementLocated(By.id("made-token")))
              .getAttribute("value");
      assertTrue(personal.matches("tcp_[A-Za-z0-9_-]{43}"), personal);
      PASSWORDS.add(personal);
      assertTrue(laptop.find("table.tokens").getText().contains("deploy script"));

      // A bot, and a token for it.
      String botName = "deploy-" + UUID.randomUUID().toString().substring(0, 8);
      laptop.fill("bots:botUsername", botName);
      laptop.fill("bots:botDisplayName", "Deploy Bot");
      laptop.click("bots:createBot");
      laptop.await(
          "the bot made",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("outcome"), "Bot " + botName + " made."));
      assertTrue(laptop.all("#made-token").isEmpty(), "the personal token was shown once");
      WebElement bot = laptop.find("li.bot-item[data-bot-username='" + botName + "']");
      assertEquals("BOT", bot.findElement(By.cssSelector(".bot-badge")).getText());
      assertTrue(bot.getText().contains("0 tokens"), bot.getText());
      laptop.fill("botToken:botTokenName", "CI");
      laptop.click("botToken:createBotToken");
      String botToken =
          laptop
              .await(
                  "the bot's new token",
                  ExpectedConditions.presenceOfElementLocated(By.id("made-bot-token")))
              .getAttribute("value");
      assertTrue(botToken.matches("tcp_[A-Za-z0-9_-]{43}"), botToken);
      assertNotEquals(personal, botToken);
      PASSWORDS.add(botToken);
      laptop.script("document.getElementById('bots-section').scrollIntoView()");
      screenshots(laptop, "profile-bot-token");

      // The owner invites the bot to a room of hers through the API; the bot posts there.
      HttpResponse<String> room =
          api(
              "POST",
              "rooms",
              personal,
              "{\"name\":\"bots-" + UUID.randomUUID() + "\",\"visibility\":\"private\"}",
              null);
      assertEquals(201, room.statusCode(), room.body());
      String roomId = room.body().replaceAll("(?s).*\"id\":(\\d+).*", "$1");
      HttpResponse<String> invited =
          api(
              "POST",
              "rooms/" + roomId + "/members",
              personal,
              "{\"username\":\"" + botName + "\"}",
              null);
      assertEquals(204, invited.statusCode(), invited.body());
      HttpResponse<String> posted =
          api(
              "POST",
              "rooms/" + roomId + "/messages",
              botToken,
              "{\"text\":\"Deployed **v1.4.2**\"}",
              "deploy-1");
      assertEquals(201, posted.statusCode(), posted.body());
      laptop.open(site + "room.xhtml?id=" + roomId);
      WebElement message =
          laptop.await(
              "the bot's message",
              ExpectedConditions.presenceOfElementLocated(
                  By.xpath(
                      "//li[contains(@class,'message')][.//*[contains(@class,'sender')]"
                          + "[text()='Deploy Bot']]")));
      assertEquals("BOT", message.findElement(By.cssSelector(".meta .bot-badge")).getText());
      assertTrue(laptop.find("#members").getText().contains("Deploy Bot"), "the bot is a member");
      assertEquals(
          1, laptop.all("#members li[data-bot=true] .bot-badge").size(), "marked BOT there");
      screenshots(laptop, "room-bot-message");

      // Back on the profile: no token shown again; the bot's token is used and revoked.
      laptop.open(site + "profile.xhtml");
      assertTrue(laptop.all("#made-bot-token").isEmpty(), "the bot's token was shown once");
      bot = laptop.find("li.bot-item[data-bot-username='" + botName + "']");
      assertTrue(bot.getText().contains("1 token"), bot.getText());
      assertFalse(bot.getText().contains("last used never"), "its use is on record");
      bot.findElement(By.cssSelector("input[aria-label='Revoke CI of " + botName + "']")).click();
      laptop.await(
          "the bot's token revoked",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("outcome"), "The bot's token is revoked"));
      bot = laptop.find("li.bot-item[data-bot-username='" + botName + "']");
      assertTrue(bot.getText().contains("0 tokens"), bot.getText());

      laptop.find("input[aria-label='Revoke deploy script']").click();
      laptop.await(
          "the personal token revoked",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("outcome"), "The token is revoked"));
      assertTrue(laptop.find("table.tokens").getText().contains("revoked"));

      // Deleting the bot asks first.
      laptop.find("input[aria-label='Delete bot " + botName + "']").click();
      laptop.driver.switchTo().alert().accept();
      laptop.await(
          "the bot deleted",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("outcome"), "Bot " + botName + " is deleted"));
      assertTrue(laptop.all("li.bot-item").isEmpty(), "gone from the list");
      laptop.script("document.getElementById('bots-section').scrollIntoView()");
      screenshots(laptop, "profile-bot-deleted");
    }
  }

  private static HttpResponse<String> api(
      String method, String path, String token, String json, String idempotencyKey)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(site + "api/v1/" + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anOutsiderOpeningAPrivateRoomGetsTheApplicationsNotFoundPage() throws Exception {
    Person ada = person();
    Person outsider = person();
    long room = system.privateRoom("secret", List.of(ada.subject()));
    try (Browser browser = new Browser(1280, 800)) {
      signIn(browser, outsider);
      browser.open(site + "room.xhtml?id=" + room);
      assertEquals("Not found", browser.find("h1").getText());
      assertTrue(
          browser.find("main").getText().contains("you are not a member of it"),
          browser.find("main").getText());
      assertTrue(browser.all("#chat").isEmpty(), "nothing of the room");
      // In the app's layout: its stylesheet applies, its header has the person's links.
      assertNotEquals(
          "rgba(0, 0, 0, 0)", browser.find(".card").getCssValue("background-color"), "a card");
      assertEquals("8px", browser.find(".card").getCssValue("border-top-left-radius"));
      assertFalse(browser.all("header a.me").isEmpty(), "the profile link in the header");
      browser.find("main a").click();
      browser.await("back to the rooms", ExpectedConditions.urlContains("rooms.xhtml"));
      browser.open(site + "room.xhtml?id=" + room);
      screenshots(browser, "profile-not-found");

      // The same answer over HTTP: 404, with the security headers.
      Cookie session = browser.driver.manage().getCookieNamed("JSESSIONID");
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(site + "room.xhtml?id=" + room))
                  .header("Cookie", "JSESSIONID=" + session.getValue())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(404, answer.statusCode());
      assertTrue(
          answer.headers().firstValue("Content-Security-Policy").orElse("").contains("'self'"));
      assertEquals("DENY", answer.headers().firstValue("X-Frame-Options").orElse(""));
      assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""));
      assertFalse(answer.body().contains("Payara"), "never the server's own page");
    }
  }

  @Test
  void emptyFieldsAreNamedInPlainWordsBesideThem() throws Exception {
    try (Browser browser = new Browser(1280, 800)) {
      browser.open(site + "register.xhtml");
      browser.click("register:submit");
      browser.await(
          "the messages",
          ExpectedConditions.textToBePresentInElementLocated(By.id("register"), "Choose a"));
      assertEquals("Choose a username.", errorBeside(browser, "register:username"));
      assertEquals("Choose a password.", errorBeside(browser, "register:password"));
      assertEquals(
          "Type the password a second time.", errorBeside(browser, "register:passwordAgain"));
      assertEquals("register:username", focused(browser), "focus on the first field in error");
      assertFalse(browser.find("main").getText().contains("Validation Error"));
      screenshots(browser, "profile-register-empty");

      browser.open(site + "login.xhtml");
      browser.click("login:submit");
      browser.await(
          "the messages",
          ExpectedConditions.textToBePresentInElementLocated(By.id("login"), "Enter your"));
      assertEquals("Enter your username.", errorBeside(browser, "login:username"));
      assertEquals("Enter your password.", errorBeside(browser, "login:password"));

      // The complaint of issue 16: a room without a name.
      Person ada = person();
      signIn(browser, ada);
      browser.click("create:submit");
      browser.await(
          "the message",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("create"), "Give the room a name."));
      assertFalse(browser.find("main").getText().contains("Validation Error"));
      screenshots(browser, "profile-room-name-empty");

      // A field with no message of its own: Faces' message, in the app's words (message bundle).
      browser.fill("create:name", "plain-" + UUID.randomUUID().toString().substring(0, 6));
      browser.click("create:submit");
      browser.await("the new room", ExpectedConditions.urlContains("room.xhtml"));
      browser.click("invite:submit");
      browser.await(
          "the message",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("invite"), "Username is required."));
      assertFalse(browser.find("main").getText().contains("Validation Error"));
    }
  }

  // ---- helpers

  private static Person person() throws Exception {
    Person person = system.person();
    PASSWORDS.add(person.password());
    return person;
  }

  private static void signIn(Browser browser, Person person) {
    browser.open(site + "login.xhtml");
    browser.fill("login:username", person.username());
    browser.fill("login:password", person.password());
    browser.click("login:submit");
    browser.await("signed in", ExpectedConditions.urlContains("rooms.xhtml"));
  }

  private static void changePassword(
      Browser browser, String current, String newPassword, String again) {
    browser.fill("password:current", current);
    browser.fill("password:new", newPassword);
    browser.fill("password:again", again);
    browser.click("password:change");
    browser.await("the answer", ExpectedConditions.urlContains("profile.xhtml"));
  }

  /**
   * The message shown for a field: the element after it (the page's h:message) that is an error,
   * once the field is marked {@code aria-invalid}.
   */
  private static String errorBeside(Browser browser, String fieldId) {
    WebElement field =
        browser.await(
            fieldId + " marked invalid",
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[id='" + fieldId + "'][aria-invalid=true]")));
    return field
        .findElement(By.xpath("following-sibling::*[contains(@class,'error')][1]"))
        .getText();
  }

  private static String focused(Browser browser) {
    return (String) browser.script("return document.activeElement.id");
  }

  private static String members(Browser browser) {
    return browser.find("#members").getText();
  }

  /**
   * A screenshot as wide as a laptop's window and as a phone's, and axe-core's WCAG A and AA rules
   * at both widths, in the light and the dark theme: no violation.
   */
  private static void screenshots(Browser browser, String name) throws Exception {
    var size = browser.driver.manage().window().getSize();
    List<String> violations = new ArrayList<>();
    browser.resize(1280, 800);
    browser.screenshot(name + "-1280");
    AccessibilityIT.checkInBothThemes(browser, name + " at 1280 px", violations);
    browser.resize(390, 844);
    AccessibilityIT.checkInBothThemes(browser, name + " at 390 px", violations);
    assertEquals(List.of(), violations, "axe-core violations (rule, impact, where)");
    // clientWidth, not 390: headless Chromium's scroll bar takes its width from the page.
    assertTrue(
        (Boolean)
            browser.script(
                "return document.documentElement.scrollWidth"
                    + " <= document.documentElement.clientWidth"),
        () ->
            name
                + ": no horizontal scrolling at 390 px; wider than the page: "
                + browser.script(
                    "const width = document.documentElement.clientWidth;"
                        + " return Array.from(document.querySelectorAll('body *'))"
                        + ".filter(e => e.getBoundingClientRect().right > width + 0.5)"
                        + ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className"
                        + " + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"));
    browser.screenshot(name + "-390");
    browser.resize(size.getWidth(), size.getHeight());
  }

  private static HttpResponse<String> post(URI uri, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
