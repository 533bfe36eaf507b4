package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.Frame;
import teamchat.systemtestkit.JsonBodies;

/**
 * The web app in a real browser (Debian's headless Chromium through Selenium) against the whole
 * system as {@code ./chat up} runs it: register, sign in, rooms, the live chat view, and that
 * message text is only ever text. Screenshots go to {@code system-tests/target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {

  private static RunningSystem system;
  private static String site;

  /** The page of {@link #theChatPageRenewsItsTokenOnTheOpenSocketAndNeverReconnectsForIt}. */
  private static Browser longSession;

  private static Instant longSessionConnected;

  @TempDir static Path dataDirectory;

  static final Duration TOKEN_LIFETIME = Duration.ofSeconds(70);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Every password these tests typed: none may appear in any service's log. */
  private static final Set<String> PASSWORDS = ConcurrentHashMap.newKeySet();

  /**
   * Text that a page which interpreted messages as HTML would turn into elements or run. Each
   * script payload would set {@code window.xssFired}.
   */
  static final List<String> XSS_PAYLOADS =
      List.of(
          "<script>window.xssFired = 1</script>",
          "<img src=x onerror=\"window.xssFired = 2\">",
          "<svg onload=\"window.xssFired = 3\"></svg>",
          "<iframe src=\"javascript:window.parent.xssFired = 4\"></iframe>",
          "\"><b>bold</b><a href=\"javascript:window.xssFired = 5\">link</a>",
          "<details open ontoggle=\"window.xssFired = 6\">",
          // Expression-language injection (#{...} evaluated would show 5 and 14). '+', not '*':
          // "2*3} ${7*" is emphasis in Markdown, which MessageActionsIT checks.
          "#{2+3} ${7+7} <!-- comment --> &lt;escaped&gt; &amp;",
          "</li></ol><h1>not a heading</h1><ol><li>",
          "<style>body { display: none }</style>",
          "javascript:alert(1)");

  /**
   * What each payload shows as: itself, but for HTML entities, which Markdown (CommonMark) writes
   * as the characters they name (docs/web-app.md, Formatting). Still text, never markup.
   */
  static final List<String> XSS_PAYLOADS_SHOWN =
      XSS_PAYLOADS.stream()
          .map(p -> p.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
          .toList();

  @BeforeAll
  static void start() throws Exception {
    // Access tokens of 70 s (10 minutes in production): the renewal test outlives one.
    system =
        RunningSystem.start(
            dataDirectory,
            RunningSystem.Ports.free(),
            Map.of("AUTH_ACCESS_TOKEN_LIFETIME", "PT" + TOKEN_LIFETIME.toSeconds() + "S"));
    site = "http://localhost:" + system.chatfrontPort + "/";
    // The renewal test's page must stay open longer than a token lives: it opens now and is
    // checked last, so the wait overlaps the other tests instead of adding 80 s to the run.
    longSession = new Browser(1280, 900);
    longSession.open(site + "register.xhtml");
    register(longSession, "Long Session");
    createRoom(longSession, "long", true);
    awaitConnected(longSession);
    longSessionConnected = Instant.now();
  }

  @AfterAll
  static void stop() throws Exception {
    if (longSession != null) {
      longSession.close();
    }
    assertTrue(system.stop(), "the system stopped on SIGINT");
    assertFalse(PASSWORDS.isEmpty());
    try (var logs = Files.list(dataDirectory.resolve("logs"))) {
      for (Path log : logs.toList()) {
        String text = Files.readString(log);
        for (String password : PASSWORDS) {
          assertFalse(text.contains(password), "a password appears in " + log.getFileName());
        }
      }
    }
  }

  @Test
  void registerCreateARoomSendReloadAndTheMessageIsStillThere() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site);
      browser.driver.findElement(By.linkText("Sign in")).click();
      browser.await("the sign-in page", ExpectedConditions.urlContains("login.xhtml"));
      browser.screenshot("login");
      browser.driver.findElement(By.linkText("Create an account")).click();

      String name = register(browser, "Ada Lovelace");
      assertEquals("Ada Lovelace", browser.find(".me").getText());
      String room = createRoom(browser, "general", true);
      awaitConnected(browser);

      send(browser, "Hello, team!");
      awaitStored(browser, "Hello, team!");
      // Shift+Enter starts a new line; Enter sends the two lines as one message.
      WebElement input = browser.find("#message-text");
      input.sendKeys("first line", Keys.chord(Keys.SHIFT, Keys.ENTER), "second line", Keys.ENTER);
      awaitStored(browser, "first line\nsecond line");

      browser.driver.navigate().refresh();
      awaitConnected(browser);
      assertEquals(List.of("Hello, team!", "first line\nsecond line"), bodies(browser));
      assertEquals(room, browser.find("#room-title").getText());
      assertTrue(browser.all("#pending li").isEmpty(), "nothing left pending");
      browser.screenshot("chat");

      // A phone-sized screen: everything fits the width, the composer is still there.
      browser.resize(390, 844);
      assertTrue(
          ((Number) browser.script("return document.documentElement.scrollWidth")).intValue()
              <= 390,
          "no horizontal scrolling at 390 px");
      assertTrue(browser.find("#message-text").isDisplayed());
      browser.screenshot("chat-phone");
      assertFalse(name.isEmpty());
    }
  }

  @Test
  void messageTextIsShownAsTextAndNeverRunsOrAddsElements() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site + "register.xhtml");
      register(browser, "<b>Mallory</b>");
      createRoom(browser, "xss", true);
      awaitConnected(browser);
      for (String payload : XSS_PAYLOADS) {
        send(browser, payload);
      }
      for (String shown : XSS_PAYLOADS_SHOWN) {
        awaitStored(browser, shown);
      }
      assertOnlyText(browser, "live");
      // The same messages as history after a reload.
      browser.driver.navigate().refresh();
      awaitConnected(browser);
      browser.await(
          "history loaded", driver -> bodies(browser).size() >= XSS_PAYLOADS_SHOWN.size());
      assertEquals(XSS_PAYLOADS_SHOWN, bodies(browser));
      assertOnlyText(browser, "after a reload");
      assertEquals("<b>Mallory</b>", browser.find(".me").getText(), "display name as text");
      browser.screenshot("chat-xss");
    }
  }

  @Test
  void twoPeopleTalkLiveBothWaysAndUnreadCountsShow() throws Exception {
    try (Browser ada = new Browser(1280, 900);
        Browser bob = new Browser(1280, 900)) {
      ada.open(site + "register.xhtml");
      register(ada, "Ada");
      String room = createRoom(ada, "plans", true);
      awaitConnected(ada);
      send(ada, "before Bob came");
      awaitStored(ada, "before Bob came");

      bob.open(site + "register.xhtml");
      register(bob, "Bob");
      joinPublicRoom(bob, room);
      awaitConnected(bob);
      assertEquals(List.of("before Bob came"), bodies(bob), "history is shown on joining");

      send(bob, "hi Ada");
      awaitStored(ada, "hi Ada"); // live, no reload
      send(ada, "hi Bob");
      awaitStored(bob, "hi Bob");
      assertEquals("Bob", senderOf(ada, "hi Ada"));

      // Bob is elsewhere; Ada writes twice; Bob's room list says 2 unread.
      bob.open(site + "rooms.xhtml");
      send(ada, "one");
      send(ada, "two");
      awaitStored(ada, "two");
      bob.driver.navigate().refresh();
      assertEquals("2", unreadOf(bob, room));
      bob.find("#my-rooms").findElement(By.partialLinkText(room)).click();
      awaitConnected(bob);
      assertEquals(
          List.of("before Bob came", "hi Ada", "hi Bob", "one", "two"), bodies(bob), "in order");
      bob.open(site + "rooms.xhtml");
      assertEquals("", unreadOf(bob, room), "read once opened");
    }
  }

  /**
   * The chat screen (docs/web-app.md, "One chat screen"): rooms open in place from the sidebar (one
   * document, one socket, the right history), a message in a room that is not open raises its
   * counts and the tab title live, back and forward move between rooms, the room opens at its first
   * unread message, and who is online and typing shows. Screenshots at 1280 and 390 px.
   */
  @Test
  void theSidebarOpensRoomsInPlaceWithLiveCountsAndBackAndForwardWork() throws Exception {
    try (Browser ada = new Browser(1280, 800);
        Browser bob = new Browser(1280, 800)) {
      ada.open(site + "register.xhtml");
      register(ada, "Ada Shell");
      String alpha = createRoom(ada, "alpha", true);
      String alphaUrl = ada.driver.getCurrentUrl();
      awaitConnected(ada);
      send(ada, "alpha one");
      awaitStored(ada, "alpha one");
      String beta = createRoom(ada, "beta", true);
      awaitConnected(ada);
      send(ada, "beta one");
      awaitStored(ada, "beta one");

      bob.open(site + "register.xhtml");
      String bobName = register(bob, "Bob Shell");
      countSockets(bob);
      joinPublicRoom(bob, alpha);
      joinPublicRoom(bob, beta);
      awaitConnected(bob);
      String betaUrl = bob.driver.getCurrentUrl();
      bob.script("window.sameDocument = true");
      assertEquals(List.of("beta one"), bodies(bob));
      assertEquals(1L, bob.script("return window.socketsOpened"), "one socket");

      // Bob is in beta; Ada writes in alpha, once mentioning him: his sidebar and tab say so live.
      ada.open(alphaUrl);
      awaitConnected(ada);
      send(ada, "alpha two");
      send(ada, "alpha three for @" + bobName);
      awaitStored(ada, "alpha three for @" + bobName);
      bob.await(
          "alpha's unread count in Bob's sidebar",
          driver -> "2".equals(sidebarCount(bob, alpha, ".unread")));
      assertEquals("@1", sidebarCount(bob, alpha, ".mentions-badge"));
      assertEquals("(2) " + beta + " · Team chat", bob.driver.getTitle());
      assertEquals(
          alpha + ", 2 unread messages, 1 mention of you",
          sidebarLink(bob, alpha).getAttribute("aria-label"));
      bob.screenshot("shell-counts");

      // Opening alpha from the sidebar: the same document and socket, alpha's history, its URL,
      // the "New messages" line above the first unread one, the counts gone.
      sidebarLink(bob, alpha).click();
      bob.await("alpha open", ExpectedConditions.textToBe(By.id("room-title"), alpha));
      bob.await(
          "alpha's history",
          driver ->
              bodies(bob).equals(List.of("alpha one", "alpha two", "alpha three for @" + bobName)));
      assertEquals(alphaUrl, bob.driver.getCurrentUrl());
      assertEquals(true, bob.script("return window.sameDocument === true"), "no page load");
      assertEquals(1L, bob.script("return window.socketsOpened"), "the socket is kept");
      assertEquals(
          "alpha two",
          bob.script("return document.querySelector('#messages li[data-new] .body').textContent"),
          "the New messages line is above the first unread message");
      assertEquals(
          "Today",
          bob.script("return document.querySelector('#messages li[data-day]').dataset.day"));
      assertEquals("", sidebarCount(bob, alpha, ".unread"));
      assertEquals(alpha + " · Team chat", bob.driver.getTitle());
      assertEquals(
          "page", sidebarLink(bob, alpha).getAttribute("aria-current"), "alpha is highlighted");

      // Live in the room opened in place; Ada is online and typing.
      send(ada, "alpha four");
      awaitStored(bob, "alpha four");
      bob.await(
          "Ada online in the members panel",
          driver ->
              Boolean.TRUE.equals(
                  bob.script(
                      "const li = [...document.querySelectorAll('#members li')].find(l =>"
                          + " l.dataset.name === 'Ada Shell'); return !!li &&"
                          + " li.classList.contains('online')")));
      ada.find("#message-text").sendKeys("typing");
      bob.await(
          "Ada is typing", ExpectedConditions.textToBe(By.id("typing"), "Ada Shell is typing…"));
      bob.screenshot("shell-room");
      send(bob, "bob in alpha");
      awaitStored(ada, "bob in alpha");

      // Back: beta, in place; forward: alpha again, with everything that came.
      bob.driver.navigate().back();
      bob.await("beta again", ExpectedConditions.textToBe(By.id("room-title"), beta));
      bob.await("beta's history", driver -> bodies(bob).equals(List.of("beta one")));
      assertEquals(betaUrl, bob.driver.getCurrentUrl());
      bob.driver.navigate().forward();
      bob.await("alpha again", ExpectedConditions.textToBe(By.id("room-title"), alpha));
      bob.await(
          "alpha's history, all of it once",
          driver ->
              bodies(bob)
                  .equals(
                      List.of(
                          "alpha one",
                          "alpha two",
                          "alpha three for @" + bobName,
                          "alpha four",
                          "bob in alpha")));
      assertEquals(true, bob.script("return window.sameDocument === true"), "still no page load");
      assertEquals(1L, bob.script("return window.socketsOpened"), "still one socket");

      // The sidebar's filter; then a phone: the sidebar and the members are drawers.
      bob.find("#sidebar-filter").sendKeys("beta");
      assertFalse(sidebarLink(bob, alpha).isDisplayed(), "filtered out");
      assertTrue(sidebarLink(bob, beta).isDisplayed());
      bob.find("#sidebar-filter").sendKeys(Keys.ESCAPE);
      bob.resize(390, 844);
      bob.screenshot("shell-phone");
      assertFalse(bob.find("#sidebar").isDisplayed(), "the sidebar is a closed drawer");
      assertInsideViewport(bob, "#send");
      assertInsideViewport(bob, "#members-open");
      bob.find("#sidebar-open").click();
      bob.await(
          "the sidebar drawer", ExpectedConditions.visibilityOfElementLocated(By.id("sidebar")));
      assertInsideViewport(bob, "#sidebar");
      bob.screenshot("shell-phone-sidebar");
      sidebarLink(bob, beta).click();
      bob.await("beta on the phone", ExpectedConditions.textToBe(By.id("room-title"), beta));
      bob.await(
          "the drawer closed", ExpectedConditions.invisibilityOfElementLocated(By.id("sidebar")));
      bob.find("#members-open").click();
      bob.await(
          "the members drawer",
          ExpectedConditions.visibilityOfElementLocated(By.id("members-panel")));
      assertInsideViewport(bob, "#members-panel");
      assertInsideViewport(bob, "#invite\\:submit");
      bob.screenshot("shell-phone-members");
    }
  }

  /**
   * Bob allows notifications from the page's own prompt (the permission granted through the driver,
   * as a person would in the browser's question), then his tab goes to the background behind a
   * second tab of his: a mention of him and a direct message raise a notification each (the page's
   * Notification constructor observed); a plain message, his own message from the other tab and a
   * mention in a room he muted raise none. Selecting a notification opens its room.
   */
  @Test
  void mentionsAndDirectMessagesNotifyWhileTheTabIsHiddenButNotOwnOrMutedOnes() throws Exception {
    try (Browser ada = new Browser(1280, 800);
        Browser bob = new Browser(1280, 800)) {
      bob.open(site + "register.xhtml");
      String bobName = register(bob, "Bob Notify");
      ada.open(site + "register.xhtml");
      register(ada, "Ada Notify");
      String quiet = createRoom(ada, "quiet", true);
      awaitConnected(ada);
      String quietUrl = ada.driver.getCurrentUrl();
      String notes = createRoom(ada, "notes", true);
      awaitConnected(ada);
      String notesUrl = ada.driver.getCurrentUrl();
      ada.open(site + "rooms.xhtml");
      ada.fill("direct:username", bobName);
      ada.click("direct:submit");
      awaitConnected(ada);
      String directUrl = ada.driver.getCurrentUrl();

      // Bob mutes "quiet": kept at chatfront, shown greyed in his sidebar.
      joinPublicRoom(bob, quiet);
      awaitConnected(bob);
      WebElement mute = bob.find("#mute");
      assertEquals("false", mute.getAttribute("aria-pressed"));
      mute.click();
      bob.await(
          "quiet muted", ExpectedConditions.attributeToBe(By.id("mute"), "aria-pressed", "true"));
      joinPublicRoom(bob, notes);
      awaitConnected(bob);
      bob.await(
          "quiet greyed in the sidebar",
          driver -> sidebarLink(bob, quiet).getAttribute("class").contains("muted"));
      assertTrue(
          sidebarLink(bob, quiet).getAttribute("aria-label").endsWith(", muted"),
          sidebarLink(bob, quiet).getAttribute("aria-label"));
      assertEquals("false", bob.find("#mute").getAttribute("aria-pressed"), "notes is not muted");

      // Nothing is asked on load: a prompt in the page asks, and only its button asks the browser.
      assertEquals("default", bob.script("return Notification.permission"));
      assertTrue(bob.find("#notify-prompt").isDisplayed(), "the page offers notifications");
      bob.screenshot("notify-prompt");
      assertNoAxeViolations(bob, "the notifications prompt and a muted room");
      bob.resize(390, 844);
      assertInsideViewport(bob, "#notify-on");
      bob.screenshot("notify-prompt-phone");
      assertNoAxeViolations(bob, "the notifications prompt at 390 px");
      bob.resize(1280, 800);
      String origin = site.substring(0, site.length() - 1);
      bob.driver.executeCdpCommand(
          "Browser.grantPermissions",
          Map.of("origin", origin, "permissions", List.of("notifications")));
      bob.script(
          "const Real = window.Notification; window.notified = [];"
              + " function Observed(title, options) { const shown = new Real(title, options);"
              + "  window.notified.push({title: title, body: options.body, hidden: document.hidden,"
              + "   shown: shown}); return shown; }"
              + " Object.defineProperty(Observed, 'permission', {get: () => Real.permission});"
              + " Observed.requestPermission = () => Real.requestPermission();"
              + " window.Notification = Observed;");
      bob.find("#notify-on").click();
      bob.await(
          "the prompt answered",
          ExpectedConditions.invisibilityOfElementLocated(By.id("notify-prompt")));
      assertEquals("granted", bob.script("return Notification.permission"));
      bob.script("window.sameDocument = true");

      // Bob's tab goes behind a second tab of his, open on the direct conversation.
      String hiddenTab = bob.driver.getWindowHandle();
      bob.driver.switchTo().newWindow(WindowType.TAB);
      bob.open(directUrl);
      awaitConnected(bob);

      ada.open(notesUrl);
      awaitConnected(ada);
      send(ada, "plain words in notes");
      send(ada, "look here @" + bobName);
      awaitStored(ada, "look here @" + bobName);
      ada.open(quietUrl);
      awaitConnected(ada);
      send(ada, "muted mention @" + bobName);
      awaitStored(ada, "muted mention @" + bobName);
      send(bob, "my own direct words");
      awaitStored(bob, "my own direct words");
      ada.open(directUrl);
      awaitConnected(ada);
      send(ada, "a direct question");
      awaitStored(ada, "a direct question");
      awaitStored(bob, "a direct question");
      Thread.sleep(1500); // the same frames reach the hidden tab's socket too

      bob.driver.switchTo().window(hiddenTab);
      assertEquals(true, bob.script("return window.sameDocument === true"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> notified =
          (List<Map<String, Object>>)
              bob.script(
                  "return window.notified.map(n => ({title: n.title, body: n.body,"
                      + " hidden: n.hidden}))");
      assertEquals(
          List.of(
              Map.of(
                  "title",
                  "#" + notes,
                  "body",
                  "Ada Notify: look here @" + bobName,
                  "hidden",
                  true),
              Map.of(
                  "title", "Ada Notify", "body", "Ada Notify: a direct question", "hidden", true)),
          notified,
          "a notification for the mention and the direct message, none for the plain, own or muted");

      // Selecting the direct message's notification opens that conversation in this tab.
      bob.script("window.notified[1].shown.dispatchEvent(new Event('click'))");
      bob.await(
          "the conversation open", ExpectedConditions.textToBe(By.id("room-title"), "Ada Notify"));
      assertEquals(true, bob.script("return window.sameDocument === true"), "opened in place");
    }
  }

  /**
   * Rooms joined elsewhere come into an open sidebar without a reload (an invitation, a direct
   * conversation started by someone else, with their online dot), and a room left in another tab
   * goes from it.
   */
  @Test
  void roomsJoinedOrLeftElsewhereComeAndGoInTheOpenSidebar() throws Exception {
    try (Browser ana = new Browser(1280, 800);
        Browser bob = new Browser(1280, 800)) {
      bob.open(site + "register.xhtml");
      String bobName = register(bob, "Bob Sidebar");
      String own = createRoom(bob, "own", true);
      awaitConnected(bob);
      bob.script("window.sameDocument = true");

      ana.open(site + "register.xhtml");
      register(ana, "Ana Sidebar");
      String invited = createRoom(ana, "invited", false);
      awaitConnected(ana);
      ana.fill("invite:username", bobName);
      ana.click("invite:submit");
      ana.await(
          "Bob among the members",
          ExpectedConditions.textToBePresentInElementLocated(By.id("members"), "Bob Sidebar"));
      bob.await(
          "the private room in Bob's open sidebar",
          driver -> !bob.all("#sidebar-rooms a[data-title='" + invited + "']").isEmpty());
      assertEquals(true, bob.script("return window.sameDocument === true"), "no reload");

      // A live room: opened in place, messages flow.
      send(ana, "welcome Bob");
      awaitStored(ana, "welcome Bob");
      bob.await(
          "an unread count on the new room",
          driver -> "1".equals(sidebarCount(bob, invited, ".unread")));
      sidebarLink(bob, invited).click();
      bob.await("the room open", ExpectedConditions.textToBe(By.id("room-title"), invited));
      bob.await("its message", driver -> bodies(bob).equals(List.of("welcome Bob")));

      // Ana starts a direct conversation: it comes, with her online dot.
      ana.open(site + "rooms.xhtml");
      ana.fill("direct:username", bobName);
      ana.click("direct:submit");
      awaitConnected(ana);
      bob.await(
          "the direct conversation, Ana online",
          driver -> !bob.all("#sidebar-rooms a[data-title='Ana Sidebar'].online .dot").isEmpty());
      assertEquals(
          "Ana Sidebar, online", sidebarLink(bob, "Ana Sidebar").getAttribute("aria-label"));
      // Each in its section: rooms above Browse rooms, the conversation under Direct messages.
      @SuppressWarnings("unchecked")
      List<String> rows =
          (List<String>)
              bob.script(
                  "return [...document.querySelectorAll('#sidebar-rooms > li')]"
                      + ".map(li => li.id || li.querySelector('a').dataset.title)");
      int roomsEnd = rows.indexOf("sidebar-rooms-end");
      assertTrue(rows.indexOf(own) >= 0 && rows.indexOf(own) < roomsEnd, "own room above: " + rows);
      assertTrue(
          rows.indexOf(invited) >= 0 && rows.indexOf(invited) < roomsEnd,
          "invited room above: " + rows);
      assertTrue(
          rows.indexOf("Ana Sidebar") > rows.indexOf("sidebar-direct")
              && rows.indexOf("sidebar-direct") > roomsEnd,
          "the conversation under Direct messages: " + rows);
      bob.screenshot("sidebar-live-rooms");
      assertNoAxeViolations(bob, "the sidebar with a direct conversation's online dot");
      bob.resize(390, 844);
      bob.find("#sidebar-open").click();
      bob.await(
          "the sidebar drawer", ExpectedConditions.visibilityOfElementLocated(By.id("sidebar")));
      assertInsideViewport(bob, "#sidebar");
      // The phone's header has no room for the profile link: the drawer's foot has it.
      assertTrue(bob.find("#sidebar-profile").isDisplayed(), "the profile link in the drawer");
      assertEquals("Your profile: Bob Sidebar", bob.find("#sidebar-profile").getText());
      bob.screenshot("sidebar-live-rooms-phone");
      bob.find("#sidebar-close").click();
      bob.resize(1280, 800);

      // Ana closes her tabs: her dot goes out.
      ana.open(site + "rooms.xhtml");
      bob.await(
          "Ana offline",
          driver -> !sidebarLink(bob, "Ana Sidebar").getAttribute("class").contains("online"));

      // Bob leaves the invited room in another tab: it goes from this tab's sidebar.
      sidebarLink(bob, own).click();
      bob.await("his own room", ExpectedConditions.textToBe(By.id("room-title"), own));
      String first = bob.driver.getWindowHandle();
      bob.driver.switchTo().newWindow(WindowType.TAB);
      bob.open(site + "rooms.xhtml");
      bob.find("#my-rooms").findElement(By.partialLinkText(invited)).click();
      awaitConnected(bob);
      bob.click("leave:submit");
      bob.await("left", ExpectedConditions.urlContains("rooms.xhtml"));
      bob.driver.close();
      bob.driver.switchTo().window(first);
      bob.await(
          "the left room gone from the sidebar",
          driver -> bob.all("#sidebar-rooms a[data-title='" + invited + "']").isEmpty());
      assertEquals(true, bob.script("return window.sameDocument === true"), "still no reload");
    }
  }

  /**
   * Reading up in a long room, a button says how many messages came below and takes the reader (by
   * keyboard too) to the newest; typing in a thread shows in that thread only; avatars show the
   * same initials and colour in messages, members and the profile; the replies chip lines up with
   * the text above it.
   */
  @Test
  void jumpToLatestThreadTypingAvatarsAndTheRepliesChip() throws Exception {
    try (Browser ada = new Browser(1280, 800);
        Browser bob = new Browser(1280, 800)) {
      ada.open(site + "register.xhtml");
      register(ada, "Ada Jump");
      String long_ = createRoom(ada, "long", true);
      awaitConnected(ada);
      for (int i = 1; i <= 30; i++) {
        send(ada, "line " + i);
      }
      awaitStored(ada, "line 30");
      bob.open(site + "register.xhtml");
      register(bob, "Bob Jump");
      joinPublicRoom(bob, long_);
      awaitConnected(bob);
      bob.await("the history", driver -> bodies(bob).contains("line 30"));
      assertFalse(bob.find("#jump-latest").isDisplayed(), "at the newest: no button");

      bob.script("document.getElementById('timeline').scrollTop = 0");
      bob.await(
          "the button while reading up",
          ExpectedConditions.textToBe(By.id("jump-latest"), "↓ Jump to latest"));
      send(ada, "news one");
      send(ada, "news two");
      awaitStored(ada, "news two");
      bob.await(
          "counted below", ExpectedConditions.textToBe(By.id("jump-latest"), "↓ 2 new messages"));
      bob.screenshot("jump-to-latest");
      assertNoAxeViolations(bob, "jump to latest, avatars");
      bob.resize(390, 844);
      assertInsideViewport(bob, "#jump-latest");
      bob.screenshot("jump-to-latest-phone");
      assertNoAxeViolations(bob, "jump to latest at 390 px");
      bob.resize(1280, 800);
      bob.script("document.getElementById('jump-latest').focus()");
      bob.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
      bob.await(
          "at the newest", ExpectedConditions.invisibilityOfElementLocated(By.id("jump-latest")));
      assertEquals(
          "news two",
          bob.script("return document.activeElement.querySelector('.body').textContent"),
          "the focus on the newest message");

      // Avatars: the same initials and colour wherever Ada shows.
      String adaInMessage =
          (String)
              bob.script(
                  "const a = document.querySelector('#messages li.message:not([data-continued])"
                      + " > .avatar'); return a.textContent + ' ' + a.dataset.colour");
      String adaInMembers =
          (String)
              bob.script(
                  "const li = [...document.querySelectorAll('#members li')].find(l =>"
                      + " l.dataset.name === 'Ada Jump'); const a = li.querySelector('.avatar');"
                      + " return a.textContent + ' ' + a.dataset.colour");
      assertTrue(adaInMessage.startsWith("AJ "), adaInMessage);
      assertEquals(adaInMessage, adaInMembers);
      assertEquals(
          0L,
          bob.script(
              "return [...document.querySelectorAll('#messages li[data-continued] > .avatar')]"
                  + ".filter(a => a.getBoundingClientRect().width > 0).length"),
          "a group's later messages show no avatar");

      // A thread: Ada types in it; Bob, with it open, sees it there and not under the room.
      String root = "news two";
      for (Browser each : List.of(ada, bob)) {
        each.script(
            "const li = [...document.querySelectorAll('#messages li.message')].find(l =>"
                + " l.querySelector('.body').textContent === arguments[0]);"
                + " li.querySelector('[data-key=reply]').click()",
            root);
        each.await("the thread", ExpectedConditions.visibilityOfElementLocated(By.id("thread")));
      }
      ada.find("#thread-text").sendKeys("replying");
      bob.await(
          "typing in the thread",
          ExpectedConditions.textToBe(By.id("thread-typing"), "Ada Jump is typing…"));
      assertEquals("", bob.find("#typing").getText(), "not under the room's composer");
      ada.find("#thread-text").sendKeys(Keys.ENTER);
      bob.await("the replies chip", driver -> !bob.all("#messages .thread-summary").isEmpty());
      bob.screenshot("thread-typing");
      assertNoAxeViolations(bob, "typing in a thread, the replies chip");
      Object offset =
          bob.script(
              "const chip = document.querySelector('#messages .thread-summary');"
                  + " const body = chip.closest('li').querySelector('.body');"
                  + " return Math.round(chip.getBoundingClientRect().left"
                  + " - body.getBoundingClientRect().left)");
      assertEquals(0L, offset, "the chip starts where the text does");

      // The profile shows Bob's avatar as his messages do.
      send(bob, "from bob");
      awaitStored(bob, "from bob");
      String bobInMessage =
          (String)
              bob.script(
                  "const li = [...document.querySelectorAll('#messages li.message')].find(l =>"
                      + " l.querySelector('.body').textContent === 'from bob');"
                      + " const a = li.querySelector('.avatar'); return a.textContent + ' '"
                      + " + a.dataset.colour");
      bob.open(site + "profile.xhtml");
      String bobInProfile =
          (String)
              bob.script(
                  "const a = document.querySelector('.profile-head .avatar');"
                      + " return a.textContent + ' ' + a.dataset.colour");
      assertTrue(bobInMessage.startsWith("BJ "), bobInMessage);
      assertEquals(bobInMessage, bobInProfile);
      bob.screenshot("profile-avatar");
      assertNoAxeViolations(bob, "the profile's avatar");
      bob.resize(390, 844);
      bob.screenshot("profile-avatar-phone");
    }
  }

  @Test
  void privateRoomsAreByInvitationAndDirectMessagesNeedNoRoom() throws Exception {
    try (Browser ada = new Browser(1280, 900);
        Browser bob = new Browser(1280, 900)) {
      bob.open(site + "register.xhtml");
      String bobName = register(bob, "Bob Private");
      ada.open(site + "register.xhtml");
      register(ada, "Ada Private");
      String secret = createRoom(ada, "secret", false);
      String secretUrl = ada.driver.getCurrentUrl();

      bob.open(site + "rooms.xhtml");
      assertFalse(
          bob.find("#public-rooms").getText().contains(secret), "a private room is not listed");
      bob.open(secretUrl);
      assertTrue(bob.all("#chat").isEmpty(), "a stranger cannot open a private room");
      assertEquals(
          "Not found",
          bob.find("h1").getText(),
          "the application's own error page, the same whether the room exists or not");
      bob.screenshot("error-not-found");

      ada.fill("invite:username", bobName);
      ada.click("invite:submit");
      ada.await(
          "Bob among the members",
          ExpectedConditions.textToBePresentInElementLocated(By.id("members"), "Bob Private"));
      bob.open(site + "rooms.xhtml");
      assertTrue(bob.find("#my-rooms").getText().contains(secret), "invited: in Bob's rooms");
      bob.open(secretUrl);
      awaitConnected(bob);

      ada.open(site + "rooms.xhtml");
      ada.fill("direct:username", bobName);
      ada.click("direct:submit");
      awaitConnected(ada);
      assertEquals("Bob Private", ada.find("#room-title").getText());
      send(ada, "just between us");
      awaitStored(ada, "just between us");
      bob.open(site + "rooms.xhtml");
      bob.find("#my-rooms").findElement(By.partialLinkText("Ada Private")).click();
      awaitConnected(bob);
      assertEquals(List.of("just between us"), bodies(bob));

      bob.open(secretUrl);
      bob.click("leave:submit");
      bob.await("back to the rooms", ExpectedConditions.urlContains("rooms.xhtml"));
      assertFalse(bob.find("#my-rooms").getText().contains(secret), "left: no longer his");
      bob.open(secretUrl);
      assertTrue(bob.all("#chat").isEmpty(), "and no longer open to him");
    }
  }

  @Test
  void olderMessagesLoadWhenScrollingBackAndEveryMessageShowsOnceInOrder() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site + "register.xhtml");
      register(browser, "Historian");
      createRoom(browser, "history", true);
      long room = Long.parseLong(browser.find("#chat").getAttribute("data-room"));
      // 120 messages through chatserv with the session's own access token (as the page gets it).
      String cookie =
          "JSESSIONID=" + browser.driver.manage().getCookieNamed("JSESSIONID").getValue();
      String token =
          JsonBodies.parse(post("session/token", cookie, "1", "").body()).getString("access_token");
      try (ChatClient client = ChatClient.connect(system.webSocket(), token)) {
        for (int i = 1; i <= 120; i++) {
          // As docs/protocol.md asks of clients: a refusal with retry (rate_limited: 20 sends a
          // second per user) is answered by sending the same frame again after the wait.
          while (true) {
            client.sendMessage(room, "history-" + i, "message " + i);
            Frame answer =
                client.await(
                    frame -> "ack".equals(frame.get("type")) || "error".equals(frame.get("type")));
            if ("ack".equals(answer.get("type"))) {
              break;
            }
            assertEquals(Boolean.TRUE, answer.get("retry"), "refused for good: " + answer);
            Object wait = answer.get("retry_after_ms");
            Thread.sleep(wait instanceof Number number ? number.longValue() : 200);
          }
        }
      }
      browser.driver.navigate().refresh();
      awaitConnected(browser);
      assertEquals(50, bodies(browser).size(), "the latest 50 rendered with the page");
      assertEquals("message 71", bodies(browser).get(0));

      // The first load fails (the request is blocked in the browser): the page says so, and the
      // button loads them once the network answers again.
      browser.driver.executeCdpCommand("Network.enable", Map.of());
      browser.driver.executeCdpCommand(
          "Network.setBlockedURLs", Map.of("urls", List.of("*/messages?before=*")));
      browser.script("document.getElementById('timeline').scrollTop = 0");
      browser.await(
          "the failed load is shown",
          ExpectedConditions.visibilityOfElementLocated(By.id("older-error")));
      assertEquals(50, bodies(browser).size(), "nothing loaded, nothing lost");
      browser.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
      browser.find("#older").click();
      browser.await("older messages by the button", driver -> bodies(browser).size() == 100);
      assertFalse(browser.find("#older-error").isDisplayed(), "the error goes with the retry");
      for (int pages = 0; pages < 5 && bodies(browser).size() < 120; pages++) {
        // Counted before the scroll: a fast load could otherwise land before the count.
        int before = bodies(browser).size();
        browser.script("document.getElementById('timeline').scrollTop = 0");
        browser.await("older messages", driver -> bodies(browser).size() > before);
      }
      List<String> expected = new java.util.ArrayList<>();
      for (int i = 1; i <= 120; i++) {
        expected.add("message " + i);
      }
      assertEquals(expected, bodies(browser), "all 120, each once, in order");
      assertFalse(browser.find("#older").isDisplayed(), "nothing older to load");
    }
  }

  @Test
  void aSearchFindsAnOldMessageAndOpensItsRoomThereHighlighted() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site + "register.xhtml");
      register(browser, "Searcher");
      String archive = createRoom(browser, "archive", true);
      long room = Long.parseLong(browser.find("#chat").getAttribute("data-room"));
      // A word of its own, letters only (digits would split it into words).
      String word =
          "kumquat"
              + new java.util.Random()
                  .ints(10, 'a', 'z' + 1)
                  .collect(
                      StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append);
      String needle = "The deployment of the " + word + " service failed";
      // 100 messages through chatserv, the needle 10th: older than the page's first 50, and with
      // more than 25 after it (its surroundings are not the latest page).
      String cookie =
          "JSESSIONID=" + browser.driver.manage().getCookieNamed("JSESSIONID").getValue();
      String token =
          JsonBodies.parse(post("session/token", cookie, "1", "").body()).getString("access_token");
      try (ChatClient client = ChatClient.connect(system.webSocket(), token)) {
        for (int i = 1; i <= 100; i++) {
          while (true) {
            client.sendMessage(room, "search-" + i, i == 10 ? needle : "filler " + i);
            Frame answer =
                client.await(
                    frame -> "ack".equals(frame.get("type")) || "error".equals(frame.get("type")));
            if ("ack".equals(answer.get("type"))) {
              break;
            }
            assertEquals(Boolean.TRUE, answer.get("retry"), "refused for good: " + answer);
            Object wait = answer.get("retry_after_ms");
            Thread.sleep(wait instanceof Number number ? number.longValue() : 200);
          }
        }
      }
      // The search starts from another room: the result opens its room in place.
      createRoom(browser, "elsewhere", true);
      awaitConnected(browser);
      WebElement field = browser.find("#search-field");
      field.sendKeys("deploying " + word.substring(0, 12));
      field.sendKeys(Keys.ENTER);
      browser.await(
          "a result",
          ExpectedConditions.visibilityOfElementLocated(
              By.cssSelector("#search-messages button.search-result")));
      WebElement result = browser.find("#search-messages button.search-result");
      assertEquals(1, browser.all("#search-messages button.search-result").size());
      assertTrue(result.getText().contains("# " + archive), result.getText());
      List<String> marks =
          result.findElements(By.cssSelector("mark")).stream().map(WebElement::getText).toList();
      assertTrue(marks.contains("deployment"), "the stem is marked: " + marks);
      assertTrue(marks.contains(word.substring(0, 12)), "the part of a word is marked: " + marks);
      assertEquals("1 message", browser.find("#search-status").getText());
      browser.screenshot("search-results");
      assertNoAxeViolations(browser, "search results");

      result.click();
      browser.await(
          "the room of the result", ExpectedConditions.textToBe(By.id("room-title"), archive));
      WebElement found =
          browser.await(
              "the message, highlighted",
              ExpectedConditions.visibilityOfElementLocated(
                  By.cssSelector("#messages li.message.found")));
      assertTrue(found.getText().contains(needle), found.getText());
      assertEquals(found, browser.driver.switchTo().activeElement(), "and focused");
      List<String> shown = bodies(browser);
      assertEquals("filler 9", shown.get(shown.indexOf(needle) - 1), "with what came before");
      assertEquals("filler 11", shown.get(shown.indexOf(needle) + 1), "and after");
      assertFalse(shown.contains("filler 100"), "its surroundings, not the latest page");
      assertTrue(
          browser.driver.getCurrentUrl().endsWith("room.xhtml?id=" + room),
          browser.driver.getCurrentUrl());
      browser.screenshot("search-opened");
      browser.find("#search-close").click();
      browser.resize(390, 844);
      browser.screenshot("search-opened-phone");
      browser.resize(1280, 900);

      // Back to the latest: the jump button brings the room's newest page.
      browser.find("#jump-latest").click();
      browser.await("the latest page", driver -> bodies(browser).contains("filler 100"));

      // On a phone the panel covers the room under its header.
      browser.resize(390, 844);
      field = browser.find("#search-field");
      field.clear();
      field.sendKeys(word.substring(3, 14));
      field.sendKeys(Keys.ENTER);
      // Read in one script: the previous search's results are replaced while we look.
      browser.await(
          "a result by part of a word",
          driver ->
              List.of(word.substring(3, 14))
                  .equals(
                      browser.script(
                          "return [...document.querySelectorAll('#search-messages mark')]"
                              + ".map(mark => mark.textContent)")));
      assertEquals("1 message", browser.find("#search-status").getText());
      assertInsideViewport(browser, "#search-panel");
      browser.screenshot("search-results-phone");
      assertNoAxeViolations(browser, "search results at 390 px");
    }
  }

  @Test
  @Order(Integer.MAX_VALUE - 1) // its page opened first (see start()); before chatserv restarts
  void theChatPageRenewsItsTokenOnTheOpenSocketAndNeverReconnectsForIt() throws Exception {
    try (Browser browser = longSession) {
      // Outlive the first token: without renewal chatserv would close the socket (session_ended)
      // and the page would have to sign in on a new one. The other tests ran meanwhile, so there
      // is usually nothing left to wait for.
      Duration left =
          Duration.between(
              Instant.now(), longSessionConnected.plus(TOKEN_LIFETIME).plusSeconds(10));
      if (!left.isNegative()) {
        Thread.sleep(left.toMillis());
      }
      assertTrue(
          Duration.between(longSessionConnected, Instant.now()).compareTo(TOKEN_LIFETIME) > 0);
      WebElement status = browser.find("#connection");
      assertEquals("connected", status.getAttribute("data-state"));
      assertEquals("1", status.getAttribute("data-welcomes"), "one sign-in: never reconnected");
      assertTrue(Integer.parseInt(status.getAttribute("data-renewals")) >= 1, "renewed in-band");
      send(browser, "still here");
      awaitStored(browser, "still here");
      assertEquals("1", status.getAttribute("data-welcomes"));
    } finally {
      longSession = null;
    }
  }

  @Test
  void wrongPasswordsAndBrokenRulesAreExplainedOnTheForm() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site + "register.xhtml");
      browser.fill("register:username", "x" + UUID.randomUUID().toString().substring(0, 8));
      browser.fill("register:password", "short");
      browser.fill("register:passwordAgain", "short");
      browser.click("register:submit");
      browser.await(
          "the password rule",
          ExpectedConditions.textToBePresentInElementLocated(By.id("register"), "8 characters"));

      browser.open(site + "login.xhtml");
      browser.fill("login:username", "nobody-" + UUID.randomUUID().toString().substring(0, 8));
      String wrong = "Wrong-" + UUID.randomUUID();
      PASSWORDS.add(wrong);
      browser.fill("login:password", wrong);
      browser.click("login:submit");
      browser.await(
          "the refusal",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("login"), "Wrong username or password"));
      assertTrue(browser.driver.getCurrentUrl().contains("login.xhtml"));
    }
  }

  @Test
  void signingOutEndsTheSessionAndForgedRequestsAreRefused() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site + "register.xhtml");
      register(browser, "Carol");
      String cookie =
          "JSESSIONID=" + browser.driver.manage().getCookieNamed("JSESSIONID").getValue();
      assertTrue(browser.driver.manage().getCookieNamed("JSESSIONID").isHttpOnly());

      // CSRF: another site's page can neither add the marker header nor post a live view state.
      assertEquals(403, post("session/token", cookie, null, "").statusCode());
      assertEquals(200, post("session/token", cookie, "1", "").statusCode());
      HttpResponse<String> forged =
          post(
              "rooms.xhtml",
              cookie,
              null,
              "create=create&create%3Aname=forged&create%3Avisibility=true&create%3Asubmit=Create"
                  + "&jakarta.faces.ViewState=-1%3A-1");
      assertFalse(
          forged.headers().firstValue("Location").orElse("").contains("room.xhtml"),
          "no room created by a forged form");
      browser.open(site + "rooms.xhtml");
      assertFalse(browser.find("#my-rooms").getText().contains("forged"));
      assertEquals(
          "same-origin",
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(site + "rooms.xhtml"))
                      .header("Cookie", cookie)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .headers()
              .firstValue("Referrer-Policy")
              .orElse(""));

      browser.click("signout:go");
      browser.await("the welcome page", ExpectedConditions.urlContains("index.xhtml"));
      browser.open(site + "rooms.xhtml");
      browser.await("sent to sign in", ExpectedConditions.urlContains("login.xhtml"));
      assertEquals(401, post("session/token", cookie, "1", "").statusCode());
    }
  }

  @Test
  void aMessageSentWhileOfflineShowsFailedAndIsStoredOnceWhenTheNetworkIsBack() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site + "register.xhtml");
      register(browser, "Dan");
      createRoom(browser, "flaky", true);
      awaitConnected(browser);

      ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
      offline.setOffline(true);
      browser.driver.setNetworkConditions(offline);
      browser.script("window.dispatchEvent(new Event('offline'))");
      browser.await(
          "shown offline",
          ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "offline"));
      send(browser, "sent while offline");
      browser.await(
          "failed, with a retry button",
          ExpectedConditions.presenceOfElementLocated(
              By.cssSelector("#pending li[data-state=failed] button.retry")));
      assertTrue(bodies(browser).isEmpty(), "not shown as stored");

      // Back online: the page reconnects by itself and resends with the same client id.
      browser.driver.deleteNetworkConditions();
      browser.script("window.dispatchEvent(new Event('online'))");
      awaitStored(browser, "sent while offline");
      awaitConnected(browser);
      assertEquals(List.of("sent while offline"), bodies(browser), "stored once");
      browser.driver.navigate().refresh();
      awaitConnected(browser);
      assertEquals(List.of("sent while offline"), bodies(browser), "stored once");
    }
  }

  @Test
  void aMessageTypedWhileChatfrontHangsShowsNotConfirmedYetAndIsSentOnceInTypedOrder()
      throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      recordErrorFrames(browser);
      recordSends(browser);
      browser.open(site + "register.xhtml");
      register(browser, "Erin");
      createRoom(browser, "hang", true);
      awaitConnected(browser);
      long room = Long.parseLong(browser.find("#chat").getAttribute("data-room"));
      send(browser, "before the hang");
      awaitStored(browser, "before the hang");

      // chatfront hangs (SIGSTOP): chatserv cannot learn whether a store committed, so the page
      // must neither call the messages sent nor not sent.
      List<String> typed = List.of("typed first while chatfront hangs", "typed second, also");
      Map<String, List<String>> shown = new java.util.LinkedHashMap<>();
      typed.forEach(text -> shown.put(text, new java.util.ArrayList<>()));
      long chatfront = system.freezeService("chatfront");
      try {
        for (String text : typed) {
          send(browser, text);
        }
        // The page shows each as not confirmed yet while chatserv cannot tell (it asks chatfront
        // again by itself): every status each message shows is recorded, and the screenshot
        // kept shows as many "not confirmed yet" as were ever seen at once (read before and after
        // it was taken).
        int[] inScreenshot = {0};
        try {
          browser.await(
              "each shown as not confirmed yet",
              driver -> {
                int unconfirmed = recordStatuses(browser, shown);
                if (unconfirmed > inScreenshot[0]) {
                  screenshot(browser, "chat-not-confirmed");
                  if (recordStatuses(browser, shown) >= unconfirmed) {
                    inScreenshot[0] = unconfirmed;
                  }
                }
                return inScreenshot[0] == typed.size()
                    || (inScreenshot[0] > 0
                        && shown.values().stream()
                            .allMatch(seen -> seen.stream().anyMatch(WebUiIT::notConfirmedYet)));
              });
        } catch (org.openqa.selenium.TimeoutException e) {
          throw new AssertionError("statuses shown while chatfront hangs: " + shown, e);
        }
        assertTrue(
            shown.values().stream()
                .flatMap(List::stream)
                .noneMatch(shownAs -> shownAs.contains(": not sent")),
            "never shown as not sent: " + shown);
        assertEquals(typed, pendingBodies(browser), "waiting in typed order");
        assertTrue(bodies(browser).stream().noneMatch(typed::contains), "not shown as stored");
      } finally {
        system.thaw(chatfront);
      }

      // chatfront is back: chatserv's own asking again stores the first and acks it unasked, the
      // page then sends the second; nobody clicks anything.
      try {
        for (String text : typed) {
          awaitStored(browser, text);
        }
      } catch (org.openqa.selenium.TimeoutException e) {
        throw new AssertionError(
            "not in the conversation without a click; still below it: "
                + browser.script(
                    "return Array.from(document.querySelectorAll('#pending li'), li =>"
                        + " li.dataset.state + ': ' + li.textContent)")
                + "; statuses shown while chatfront hung: "
                + shown
                + "; the database holds "
                + storedBodies(room)
                + "; error frames and closes the page got: "
                + browser.script("return window.errorFramesSeen"),
            e);
      }
      assertTrue(browser.all("#pending li").isEmpty(), "nothing left waiting");
      // After outcome_unknown chatserv finds the outcome out by itself and answers unasked: the
      // page resends only on a new socket, so each message went on the wire once per socket.
      @SuppressWarnings("unchecked")
      List<String> sends = (List<String>) browser.script("return window.sendsSeen");
      @SuppressWarnings("unchecked")
      long socketsEnded =
          ((List<String>) browser.script("return window.errorFramesSeen"))
              .stream().filter(seen -> seen.startsWith("close ")).count();
      for (String text : typed) {
        long times = sends.stream().filter(text::equals).count();
        assertTrue(
            times >= 1 && times <= 1 + socketsEnded,
            "sent once, and again only on a new socket (" + socketsEnded + " ended): " + sends);
      }
      List<String> expected = List.of("before the hang", typed.get(0), typed.get(1));
      assertEquals(expected, bodies(browser), "each shown once, in typed order");
      assertEquals(expected, storedBodies(room), "stored exactly once each, in typed order");
      browser.driver.navigate().refresh();
      awaitConnected(browser);
      assertEquals(expected, bodies(browser), "and so after a reload");
    }
  }

  /**
   * chatserv stops (SIGTERM, as systemd restarts it) and tells the page when to come back ({@code
   * going_away} with {@code retry_after_ms}): the page says so in words and opens no new socket
   * before that time; once {@code ./chat up} has chatserv ready again it reconnects by itself and a
   * message goes through.
   */
  @Test
  @Order(Integer.MAX_VALUE) // last: it ends every socket, the renewal test's too
  void aRestartingChatservIsWaitedForAsItSaysAndThePageComesBackByItself() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.driver.executeCdpCommand(
          "Page.addScriptToEvaluateOnNewDocument",
          Map.of(
              "source",
              "(() => { const Native = window.WebSocket; window.goingAwayAt = [];"
                  + " window.socketsOpenedAt = [];"
                  + " function Timed(url, protocols) { window.socketsOpenedAt.push(Date.now());"
                  + "  const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);"
                  + "  ws.addEventListener('message', e => { const f = JSON.parse(e.data);"
                  + "   if (f.type === 'going_away') window.goingAwayAt.push([Date.now(), f.retry_after_ms]); });"
                  + "  return ws; }"
                  + " Timed.prototype = Native.prototype;"
                  + " for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Timed[k] = Native[k];"
                  + " window.WebSocket = Timed; })();"));
      browser.open(site + "register.xhtml");
      register(browser, "Gail");
      createRoom(browser, "restart", true);
      awaitConnected(browser);

      long stopped = system.stopService("chatserv");
      browser.await(
          "told that chatserv restarts",
          driver -> browser.find("#connection").getText().contains("restarting; reconnecting in"));
      screenshot(browser, "chat-server-restarting");
      @SuppressWarnings("unchecked")
      List<List<Number>> goingAway =
          (List<List<Number>>) browser.script("return window.goingAwayAt");
      assertEquals(1, goingAway.size(), "one going_away frame: " + goingAway);
      long toldAt = goingAway.get(0).get(0).longValue();
      long retryAfter = goingAway.get(0).get(1).longValue();
      assertTrue(retryAfter >= 2000, "retry_after_ms of at least chatserv.reconnect-after");

      system.awaitRestarted("chatserv", stopped);
      awaitConnected(browser);
      @SuppressWarnings("unchecked")
      List<Number> opened = (List<Number>) browser.script("return window.socketsOpenedAt");
      List<Long> after = opened.stream().map(Number::longValue).filter(t -> t > toldAt).toList();
      assertFalse(after.isEmpty(), "a new socket after going_away");
      assertTrue(
          after.get(0) - toldAt >= retryAfter,
          "the first new socket waited retry_after_ms ("
              + retryAfter
              + " ms): opened after "
              + (after.get(0) - toldAt)
              + " ms");
      send(browser, "after the restart");
      awaitStored(browser, "after the restart");
    }
  }

  // ---- the sidebar's dialogs (dialogs.js): create a room, a direct message, browse rooms

  @Test
  void aRoomIsCreatedFromTheSidebarDialogByKeyboardOnlyAndOpensInPlace() throws Exception {
    List<String> violations = new java.util.ArrayList<>();
    try (Browser ada = new Browser(1280, 800)) {
      ada.open(site + "register.xhtml");
      register(ada, "Ada Dialog");
      String first = createRoom(ada, "first", true);
      awaitConnected(ada);
      ada.script("window.samePage = true");

      // Enter on the + beside Rooms opens the dialog, its name field focused.
      ada.find("#sidebar-add").sendKeys(Keys.ENTER);
      awaitDialog(ada, "create-room-dialog");
      assertEquals("create-room-name", focused(ada));
      screenshot(ada, "dialog-create-room");
      AccessibilityIT.checkInBothThemes(ada, "create-room dialog", violations);
      // Esc closes it, and the focus is back on the +.
      active(ada).sendKeys(Keys.ESCAPE);
      ada.await("the dialog closed", driver -> !isOpen(ada, "create-room-dialog"));
      assertEquals("sidebar-add", focused(ada));

      active(ada).sendKeys(Keys.ENTER);
      awaitDialog(ada, "create-room-dialog");
      // No name: the rooms page's plain words, beside the field, which is marked and focused.
      active(ada).sendKeys(Keys.ENTER);
      ada.await(
          "the name's problem",
          ExpectedConditions.textToBe(By.id("create-room-name-error"), "Give the room a name."));
      assertEquals("true", ada.find("#create-room-name").getAttribute("aria-invalid"));
      assertEquals("create-room-name", focused(ada));
      screenshot(ada, "dialog-create-room-error");
      AccessibilityIT.checkInBothThemes(ada, "create-room dialog with an error", violations);
      // A name that is taken: chatfront's sentence.
      active(ada).sendKeys(first, Keys.ENTER);
      ada.await(
          "the name is taken",
          ExpectedConditions.textToBe(
              By.id("create-room-name-error"), "There is already a room called " + first + "."));

      // Name, Tab, topic, Tab to the public choice, arrow to private, Enter creates.
      String name = "planning-" + UUID.randomUUID().toString().substring(0, 6);
      WebElement field = active(ada);
      field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, name, Keys.TAB);
      active(ada).sendKeys("What we do next", Keys.TAB);
      active(ada).sendKeys(Keys.ARROW_DOWN);
      assertTrue(
          (Boolean) ada.script("return document.activeElement.value === 'private'"),
          "the arrow moved to Private");
      // Tab leaves the choices for Cancel, then Create; Enter on it creates.
      active(ada).sendKeys(Keys.TAB);
      active(ada).sendKeys(Keys.TAB);
      assertEquals("create-room-submit", focused(ada));
      active(ada).sendKeys(Keys.ENTER);
      ada.await("the new room, open", ExpectedConditions.textToBe(By.id("room-title"), name));
      assertFalse(isOpen(ada, "create-room-dialog"));
      assertEquals(true, ada.script("return window.samePage === true"), "opened in place");
      assertTrue(ada.driver.getCurrentUrl().contains("room.xhtml?id="), ada.driver.getCurrentUrl());
      assertEquals("page", sidebarLink(ada, name).getAttribute("aria-current"));
      assertEquals("What we do next", ada.find("#room-topic").getText());
      // A new room says it has no messages yet, until the first one.
      ada.await(
          "the empty room's note",
          ExpectedConditions.visibilityOfElementLocated(By.id("empty-room")));
      ada.screenshot("empty-room");
      send(ada, "first words in " + name);
      awaitStored(ada, "first words in " + name);
      assertFalse(ada.find("#empty-room").isDisplayed(), "no note beside a message");
      ada.driver.navigate().refresh();
      awaitConnected(ada);
      assertEquals(List.of("first words in " + name), bodies(ada), "stored in the new room");
      assertEquals(
          "private", sidebarLink(ada, name).findElement(By.xpath("..")).getAttribute("class"));

      // The phone: the dialog fills the screen, nothing clipped.
      ada.resize(390, 844);
      ada.click("sidebar-open");
      ada.find("#sidebar-add").click();
      awaitDialog(ada, "create-room-dialog");
      assertInsideViewport(ada, "#create-room-submit");
      screenshot(ada, "dialog-create-room-phone");
      AccessibilityIT.checkInBothThemes(ada, "create-room dialog at 390 px", violations);
    }
    assertEquals(List.of(), violations, "axe-core violations (rule, impact, where)");
  }

  @Test
  void aGroupConversationOfThreeStartsFromTheDialogAndTheThirdGetsMessagesLive() throws Exception {
    List<String> violations = new java.util.ArrayList<>();
    String tag = UUID.randomUUID().toString().substring(0, 5);
    try (Browser ada = new Browser(1280, 800);
        Browser bob = new Browser(1280, 800);
        Browser cy = new Browser(1280, 800)) {
      bob.open(site + "register.xhtml");
      String bobName = register(bob, "Bob Group" + tag);
      cy.open(site + "register.xhtml");
      register(cy, "Cy Group" + tag);
      ada.open(site + "register.xhtml");
      register(ada, "Ada Group" + tag);
      createRoom(ada, "lobby", true);
      awaitConnected(ada);
      ada.script("window.samePage = true");

      ada.find("#direct-add").click();
      awaitDialog(ada, "direct-dialog");
      assertEquals("direct-search", focused(ada));
      // Bob by his username's start, picked with Enter; Cy by her name, picked with the mouse.
      active(ada).sendKeys(bobName.substring(0, 6));
      ada.await(
          "Bob found",
          ExpectedConditions.textToBePresentInElementLocated(By.id("direct-results"), bobName));
      active(ada).sendKeys(Keys.ENTER);
      ada.await(
          "Bob picked",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("direct-chosen"), "Bob Group" + tag));
      active(ada).sendKeys("group" + tag.toUpperCase(java.util.Locale.ROOT));
      ada.await(
          "Cy found (Bob, picked, is not offered again)",
          driver ->
              ada.find("#direct-results").getText().contains("Cy Group" + tag)
                  && !ada.find("#direct-results").getText().contains("Bob Group" + tag));
      assertFalse(ada.find("#direct-results").getText().contains("Ada Group" + tag), "not oneself");
      screenshot(ada, "dialog-direct");
      AccessibilityIT.checkInBothThemes(ada, "direct dialog with people found", violations);
      for (WebElement option : ada.all("#direct-results li")) {
        if (option.getText().contains("Cy Group" + tag)) {
          new org.openqa.selenium.interactions.Actions(ada.driver).click(option).perform();
        }
      }
      ada.await(
          "Cy picked",
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("direct-chosen"), "Cy Group" + tag));
      screenshot(ada, "dialog-direct-chosen");
      ada.click("direct-submit");
      String title = "Bob Group" + tag + ", Cy Group" + tag;
      ada.await("the conversation, open", ExpectedConditions.textToBe(By.id("room-title"), title));
      assertEquals(true, ada.script("return window.samePage === true"), "opened in place");
      assertEquals("page", sidebarLink(ada, title).getAttribute("aria-current"));
      assertEquals(
          "direct", sidebarLink(ada, title).findElement(By.xpath("..")).getAttribute("class"));
      assertTrue(
          ada.all("#invite").get(0).getAttribute("class").contains("gone")
              && ada.all("#leave").get(0).getAttribute("class").contains("gone"),
          "its people are fixed: no invite, no leave");
      String conversation = ada.driver.getCurrentUrl();

      // The third person opens it and hears what is said there live.
      cy.open(conversation);
      awaitConnected(cy);
      assertEquals("Ada Group" + tag + ", Bob Group" + tag, cy.find("#room-title").getText());
      send(ada, "hello you two");
      awaitStored(ada, "hello you two");
      awaitStored(cy, "hello you two");
      assertEquals(List.of("hello you two"), bodies(cy));

      // The same two people again: the same conversation, no second one.
      ada.find("#direct-add").click();
      awaitDialog(ada, "direct-dialog");
      for (String who : List.of("Cy Group" + tag, "Bob Group" + tag)) {
        active(ada).sendKeys(who);
        ada.await(
            who + " found",
            ExpectedConditions.textToBePresentInElementLocated(By.id("direct-results"), who));
        active(ada).sendKeys(Keys.ENTER);
        ada.await(
            who + " picked",
            ExpectedConditions.textToBePresentInElementLocated(By.id("direct-chosen"), who));
      }
      active(ada).sendKeys(Keys.ENTER);
      ada.await("the dialog closed", driver -> !isOpen(ada, "direct-dialog"));
      assertEquals(conversation, ada.driver.getCurrentUrl());
      assertEquals(1, ada.all("#sidebar-rooms li.direct").size(), "one conversation listed");
      assertEquals(List.of("hello you two"), bodies(ada));

      ada.resize(390, 844);
      ada.click("sidebar-open");
      ada.find("#direct-add").click();
      awaitDialog(ada, "direct-dialog");
      active(ada).sendKeys("group" + tag);
      ada.await("people found", driver -> !ada.all("#direct-results li").isEmpty());
      assertInsideViewport(ada, "#direct-submit");
      screenshot(ada, "dialog-direct-phone");
      AccessibilityIT.checkInBothThemes(ada, "direct dialog at 390 px", violations);
    }
    assertEquals(List.of(), violations, "axe-core violations (rule, impact, where)");
  }

  @Test
  void publicRoomsAreBrowsedAndJoinedFromTheDialogAndOpenInPlace() throws Exception {
    List<String> violations = new java.util.ArrayList<>();
    try (Browser owner = new Browser(1280, 800);
        Browser joiner = new Browser(1280, 800)) {
      owner.open(site + "register.xhtml");
      register(owner, "Olga Browse");
      String open = createRoom(owner, "open", true);
      awaitConnected(owner);
      joiner.open(site + "register.xhtml");
      register(joiner, "Jo Browse");
      createRoom(joiner, "own", true);
      awaitConnected(joiner);
      joiner.script("window.samePage = true");

      joiner.find("#browse-rooms").click();
      awaitDialog(joiner, "browse-dialog");
      joiner.await(
          "the public rooms",
          ExpectedConditions.textToBePresentInElementLocated(By.id("browse-list"), open));
      screenshot(joiner, "dialog-browse");
      AccessibilityIT.checkInBothThemes(joiner, "browse dialog", violations);
      active(joiner).sendKeys(open);
      joiner.await("filtered", driver -> joiner.all("#browse-list li").size() == 1);
      // Tab reaches the room's Join button; Enter joins.
      active(joiner).sendKeys(Keys.TAB);
      assertEquals("Join " + open, active(joiner).getAttribute("aria-label"));
      active(joiner).sendKeys(Keys.ENTER);
      joiner.await("the room, open", ExpectedConditions.textToBe(By.id("room-title"), open));
      assertEquals(true, joiner.script("return window.samePage === true"), "opened in place");
      assertEquals("page", sidebarLink(joiner, open).getAttribute("aria-current"));
      joiner.await(
          "Olga among the members",
          ExpectedConditions.textToBePresentInElementLocated(By.id("members"), "Olga Browse"));

      send(owner, "welcome aboard");
      awaitStored(owner, "welcome aboard");
      awaitStored(joiner, "welcome aboard");

      joiner.find("#browse-rooms").click();
      awaitDialog(joiner, "browse-dialog");
      joiner.await(
          "the list without the room joined",
          driver ->
              !joiner.find("#browse-status").getText().startsWith("Loading")
                  && !joiner.find("#browse-list").getText().contains(open));
      joiner.resize(390, 844);
      joiner.await("still open", driver -> isOpen(joiner, "browse-dialog"));
      screenshot(joiner, "dialog-browse-phone");
      AccessibilityIT.checkInBothThemes(joiner, "browse dialog at 390 px", violations);
    }
    assertEquals(List.of(), violations, "axe-core violations (rule, impact, where)");
  }

  private static void awaitDialog(Browser browser, String id) {
    browser.await(id + " open", driver -> isOpen(browser, id));
  }

  private static boolean isOpen(Browser browser, String id) {
    return Boolean.TRUE.equals(
        browser.script("return document.getElementById(arguments[0]).open", id));
  }

  private static WebElement active(Browser browser) {
    return browser.driver.switchTo().activeElement();
  }

  private static String focused(Browser browser) {
    return active(browser).getAttribute("id");
  }

  @Test
  void twentyQuickSwitchesWhileMessagesFlowShowEveryMessageOnceInOrder() throws Exception {
    var ada = system.person();
    var bob = system.person();
    List<Long> rooms = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rooms.add(system.privateRoom("switch", List.of(ada.subject(), bob.subject())));
    }
    int messages = 45;
    Map<String, String> sentTexts = new ConcurrentHashMap<>();
    try (Browser browser = new Browser(1280, 800);
        ChatClient bobs = ChatClient.connect(system.webSocket(), bob.token())) {
      PASSWORDS.add(ada.password());
      new WebAppSteps(site).signIn(browser, ada.username(), ada.password());
      countSockets(browser);
      browser.open(site + "room.xhtml?id=" + rooms.get(0));
      WebAppSteps.awaitConnected(browser);
      browser.script("window.sameDocument = true");

      // Bob writes into the three rooms in turn (12 a second, under chatserv's 20) while Ada
      // switches between them from the sidebar, never waiting for a room's history.
      var failure = new java.util.concurrent.atomic.AtomicReference<Exception>();
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < messages; i++) {
                    String id = UUID.randomUUID().toString();
                    String text = "switch " + i + " into room " + (i % 3);
                    sentTexts.put(id, text);
                    bobs.sendMessage(rooms.get(i % 3), id, text);
                    Thread.sleep(80);
                  }
                } catch (Exception e) {
                  failure.set(e);
                }
              },
              "bob-writes");
      writer.start();
      long[] pauses = {0, 40, 120, 250};
      for (int switched = 1; switched <= 20; switched++) {
        roomLink(browser, rooms.get(switched % rooms.size())).click();
        Thread.sleep(pauses[switched % pauses.length]);
      }
      writer.join(60_000);
      assertNull(failure.get(), "Bob sent everything");

      // What each room holds: Bob's messages in the order chatserv acked them (their seq).
      Map<Long, java.util.TreeMap<Long, String>> stored = new ConcurrentHashMap<>();
      for (int acked = 0; acked < messages; acked++) {
        Frame ack = bobs.await(ChatClient.type("ack"));
        stored
            .computeIfAbsent(ack.number("room"), r -> new java.util.TreeMap<>())
            .put(ack.number("seq"), sentTexts.get(ack.string("client_msg_id")));
      }
      assertEquals(messages, stored.values().stream().mapToInt(Map::size).sum(), "all stored");

      // The room the last switch left open fills in by itself; then each room, opened again.
      long last = rooms.get(20 % rooms.size());
      awaitTimeline(browser, List.copyOf(stored.get(last).values()), "the room left open");
      for (long room : rooms) {
        roomLink(browser, room).click();
        awaitTimeline(browser, List.copyOf(stored.get(room).values()), "room " + room);
      }
      assertEquals(true, browser.script("return window.sameDocument === true"), "no page load");
      assertEquals(1L, browser.script("return window.socketsOpened"), "one socket throughout");
    }
  }

  // ---- steps

  /** The sidebar's link to a room, by the room's id. */
  /**
   * Files (docs/web-app.md, "Files and images"): a PNG attached through the composer's file input
   * shows as a chip with its upload's progress, goes with the message, and shows as a thumbnail
   * (its box reserved by width and height) that opens full size, for the sender after a reload and
   * for someone who joins later; its download is the very bytes uploaded. A text file sent live
   * shows as a card, and an SVG is never shown as a picture: refused on its chip, or a card.
   * Screenshots at 1280 and 390 px, light and dark.
   */
  @Test
  void aPictureAttachedUploadsWithProgressAndShowsAsAThumbnailThatOpensAndDownloads()
      throws Exception {
    Path png = dataDirectory.resolve("harbour-" + UUID.randomUUID() + ".png");
    writeNoisyPng(png, 900, 600);
    Path notes = dataDirectory.resolve("release-notes.txt");
    Files.writeString(notes, "Release notes\n- files and images\n".repeat(40));
    Path svg = dataDirectory.resolve("logo.svg");
    Files.writeString(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"window.xssFired = 9\">"
            + "<script>window.xssFired = 10</script><rect width=\"10\" height=\"10\"/></svg>");
    try (Browser ada = new Browser(1280, 900);
        Browser bob = new Browser(1280, 900)) {
      ada.open(site + "register.xhtml");
      register(ada, "Ada");
      String room = createRoom(ada, "pictures", true);
      awaitConnected(ada);
      // Every value the progress bar takes (a property that reflects to the attribute).
      ada.script(
          "window.progressSeen = [];"
              + " new MutationObserver(changes => changes.forEach(c => c.target.matches('progress')"
              + "  && window.progressSeen.push(Number(c.target.getAttribute('value')))))"
              + " .observe(document.getElementById('uploads'),"
              + "  {subtree: true, attributes: true, attributeFilter: ['value']});");

      ada.find("#file-input").sendKeys(png.toString());
      WebElement chip =
          ada.await(
              "the chip of the file",
              ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#uploads li.upload")));
      assertTrue(chip.getText().contains(png.getFileName().toString()), chip.getText());
      ada.await(
          "the upload done",
          ExpectedConditions.attributeToBe(
              By.cssSelector("#uploads li.upload"), "data-state", "ready"));
      assertTrue(
          ada.find("#uploads .upload-status").getText().contains("Ready to send"),
          ada.find("#uploads .upload-status").getText());
      @SuppressWarnings("unchecked")
      List<Number> progress = (List<Number>) ada.script("return window.progressSeen");
      assertTrue(
          progress.stream().anyMatch(value -> value.intValue() == 100),
          "the bar followed the upload to 100 %: " + progress);
      assertTrue(
          ada.find("#uploads .upload-size").getText().matches("\\d+(\\.\\d)? (KB|MB)"),
          ada.find("#uploads .upload-size").getText());
      ada.screenshot("files-chip");
      assertNoAxeViolations(ada, "a file ready to send");

      send(ada, "the harbour at noon");
      awaitStored(ada, "the harbour at noon");
      assertEquals(0, ada.all("#uploads li").size(), "the chip went with the message");
      ada.driver.navigate().refresh();
      awaitConnected(ada);
      WebElement thumbnail = awaitThumbnail(ada, "the harbour at noon");
      // 900 x 600 fitted into 360 x 240: the box is known before the picture arrives.
      assertEquals("360", thumbnail.getAttribute("width"));
      assertEquals("240", thumbnail.getAttribute("height"));
      assertEquals("lazy", thumbnail.getAttribute("loading"));
      assertEquals(png.getFileName().toString(), thumbnail.getAttribute("alt"));
      ada.screenshot("files-thumbnail");

      bob.open(site + "register.xhtml");
      register(bob, "Bob");
      joinPublicRoom(bob, room);
      awaitConnected(bob);
      thumbnail = awaitThumbnail(bob, "the harbour at noon");
      // The download is the very bytes uploaded (fetched with Bob's session: he is a member).
      String link = thumbnail.findElement(By.xpath("..")).getAttribute("href");
      assertEquals(sha256(Files.readAllBytes(png)), fetchedSha256(bob, link), link);

      // The thumbnail opens the picture full size; Esc closes it and the focus comes back.
      thumbnail.click();
      bob.await(
          "the viewer",
          driver ->
              Boolean.TRUE.equals(
                  bob.script(
                      "const image = document.getElementById('file-viewer-image');"
                          + " return document.getElementById('file-viewer').open"
                          + " && image.complete && image.naturalWidth === 900")));
      assertTrue(
          bob.find("#file-viewer-name").getText().startsWith(png.getFileName().toString()),
          bob.find("#file-viewer-name").getText());
      bob.screenshot("files-viewer");
      assertNoAxeViolations(bob, "the picture viewer");
      bob.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
      bob.await(
          "the viewer closed",
          driver ->
              Boolean.FALSE.equals(
                  bob.script("return document.getElementById('file-viewer').open")));
      assertEquals(
          "file-image", bob.driver.switchTo().activeElement().getAttribute("class"), "focus back");

      // A text file and an SVG with script: the text is a card with a download, live for Bob;
      // the SVG is refused on its chip, or at most a card: never a picture, never run.
      ada.find("#file-input").sendKeys(notes + "\n" + svg);
      ada.await(
          "both uploads answered",
          driver ->
              ada.all("#uploads li.upload").size() == 2
                  && ada.all("#uploads li.upload[data-state=uploading]").isEmpty());
      WebElement svgChip = ada.all("#uploads li.upload").get(1);
      boolean svgRefused = "refused".equals(svgChip.getAttribute("data-state"));
      if (svgRefused) {
        String sentence = svgChip.findElement(By.cssSelector(".upload-status")).getText();
        assertFalse(sentence.isBlank(), "the refusal is said in words");
        assertEquals(
            "alert", svgChip.findElement(By.cssSelector(".upload-status")).getAttribute("role"));
        assertTrue(ada.find("#send").isEnabled(), "a refused file does not hold the message back");
        ada.screenshot("files-refused");
        ada.resize(390, 844);
        assertInsideViewport(ada, "#uploads");
        ada.screenshot("files-refused-phone");
        ada.resize(1280, 900);
      }
      send(ada, "");
      WebElement card =
          bob.await(
              "the text file's card, live",
              ExpectedConditions.visibilityOfElementLocated(
                  By.cssSelector("#messages li.message[data-seq] .file-card")));
      assertTrue(card.getText().contains("release-notes.txt"), card.getText());
      assertTrue(card.getText().contains("KB"), card.getText());
      if (svgRefused) {
        assertEquals(
            1, ada.all("#uploads li.upload").size(), "the refused chip stays until removed");
        ada.find("#uploads .upload-remove").click();
        assertEquals(0, ada.all("#uploads li.upload").size());
      }
      assertEquals(
          1, bob.all("#messages .file-image img").size(), "the SVG is never shown as a picture");
      assertNull(bob.script("return window.xssFired"), "no script ran");
      String cardLink = card.findElement(By.cssSelector("a.file-name")).getAttribute("href");
      assertEquals(sha256(Files.readAllBytes(notes)), fetchedSha256(bob, cardLink));
      bob.screenshot("files-timeline");
      assertNoAxeViolations(bob, "pictures and files in the timeline");
      WebAppSteps.emulateColorScheme(bob, "dark");
      bob.screenshot("files-timeline-dark");
      WebAppSteps.emulateColorScheme(bob, "light");
      bob.resize(390, 844);
      assertInsideViewport(bob, "#messages .file-image img");
      bob.screenshot("files-timeline-phone");
      WebAppSteps.emulateColorScheme(bob, "dark");
      bob.screenshot("files-timeline-phone-dark");
      WebAppSteps.emulateColorScheme(bob, "light");

      // A screenshot pasted into the message box and a file dropped onto the room: the browser's
      // own events (a ClipboardEvent and a DragEvent carrying files), as a paste or a drop makes.
      ada.script(
          "const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 48;"
              + " const pen = canvas.getContext('2d'); pen.fillStyle = '#c33';"
              + " pen.fillRect(0, 0, 64, 48);"
              + " canvas.toBlob(blob => {"
              + "  const pasted = new DataTransfer();"
              + "  pasted.items.add(new File([blob], 'image.png', {type: 'image/png'}));"
              + "  document.getElementById('message-text').dispatchEvent(new ClipboardEvent('paste',"
              + "   {clipboardData: pasted, bubbles: true, cancelable: true}));"
              + "  const dropped = new DataTransfer();"
              + "  dropped.items.add(new File(['dropped notes'], 'dropped.txt', {type: 'text/plain'}));"
              + "  document.querySelector('.room-main').dispatchEvent(new DragEvent('drop',"
              + "   {dataTransfer: dropped, bubbles: true, cancelable: true}));"
              + " }, 'image/png');");
      ada.await(
          "the pasted and the dropped file uploaded",
          driver -> ada.all("#uploads li.upload[data-state=ready]").size() == 2);
      List<String> chips =
          ada.all("#uploads .upload-name").stream().map(WebElement::getText).toList();
      assertTrue(chips.get(0).startsWith("Screenshot "), "a pasted picture is named: " + chips);
      assertEquals("dropped.txt", chips.get(1));
      send(ada, "pasted and dropped");
      WebElement pasted = awaitThumbnail(bob, "pasted and dropped");
      assertTrue(pasted.getAttribute("alt").startsWith("Screenshot "), pasted.getAttribute("alt"));
      assertTrue(
          bob.all("#messages .file-card .file-name").stream()
              .anyMatch(name -> name.getText().equals("dropped.txt")),
          "the dropped file's card");

      // An upload cancelled half-way (a slow connection: 100 KB/s up) goes nowhere: its chip
      // goes, the message sent next carries no file.
      ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
      slow.setUploadThroughput(100 * 1024);
      slow.setDownloadThroughput(10 * 1024 * 1024);
      ada.driver.setNetworkConditions(slow);
      try {
        ada.find("#file-input").sendKeys(png.toString());
        ada.await(
            "the upload under way",
            driver ->
                Boolean.TRUE.equals(
                    ada.script(
                        "const bar = document.querySelector('#uploads li.upload progress');"
                            + " return !!bar && bar.value > 0 && bar.value < 50")));
        assertEquals(
            "uploading", ada.find("#uploads li.upload").getAttribute("data-state"), "not done yet");
        ada.find("#uploads .upload-remove").click();
        assertEquals(0, ada.all("#uploads li").size(), "the cancelled upload's chip went");
      } finally {
        ada.driver.deleteNetworkConditions();
      }
      send(ada, "after the cancelled upload");
      awaitStored(bob, "after the cancelled upload");
      assertEquals(
          0L,
          bob.script(
              "return [...document.querySelectorAll('#messages li.message[data-seq]')]"
                  + ".find(li => li.querySelector('.body').textContent === arguments[0])"
                  + ".querySelectorAll('.attachments li').length",
              "after the cancelled upload"),
          "no file went with the message after the cancel");
    }
  }

  /** The thumbnail of the stored message with this text, once its picture has loaded. */
  private static WebElement awaitThumbnail(Browser browser, String text) {
    return browser.await(
        "the thumbnail of " + text,
        driver ->
            (WebElement)
                browser.script(
                    "const row = [...document.querySelectorAll('#messages li.message[data-seq]')]"
                        + ".find(li => li.querySelector('.body').textContent === arguments[0]);"
                        + " const image = row && row.querySelector('.file-image img');"
                        + " if (image) image.scrollIntoView();"
                        + " return image && image.complete && image.naturalWidth > 0 ? image : null;",
                    text));
  }

  /** A PNG of random pixels (it does not compress, so the upload takes several progress steps). */
  private static void writeNoisyPng(Path target, int width, int height) throws Exception {
    var image =
        new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
    var random = new java.util.Random(19);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | random.nextInt(256));
      }
    }
    javax.imageio.ImageIO.write(image, "png", target.toFile());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The SHA-256 of what the browser downloads from this address with its session. */
  private static String fetchedSha256(Browser browser, String url) {
    return (String)
        browser.script(
            "return fetch(arguments[0], {credentials: 'same-origin'})"
                + ".then(r => { if (!r.ok) throw new Error('status ' + r.status); return r.arrayBuffer(); })"
                + ".then(b => crypto.subtle.digest('SHA-256', b))"
                + ".then(d => [...new Uint8Array(d)].map(x => x.toString(16).padStart(2, '0')).join(''))",
            url);
  }

  private static WebElement roomLink(Browser browser, long room) {
    return (WebElement)
        browser.script(
            "return [...document.querySelectorAll('#sidebar-rooms a.sidebar-room')].find(a =>"
                + " new URL(a.href).searchParams.get('id') === String(arguments[0]))",
            room);
  }

  /** Waits until the open room shows exactly these messages; if not, says what it shows. */
  private static void awaitTimeline(Browser browser, List<String> expected, String what) {
    try {
      browser.await(what, driver -> bodies(browser).equals(expected));
    } catch (org.openqa.selenium.TimeoutException e) {
      assertEquals(expected, bodies(browser), what + ": each message once, in order");
    }
  }

  /** Registers a new account through the form (the page must be the registration page). */
  private static String register(Browser browser, String displayName) {
    String username = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String password = "Pw-" + UUID.randomUUID();
    PASSWORDS.add(password);
    browser.await("the registration form", ExpectedConditions.urlContains("register.xhtml"));
    browser.fill("register:username", username);
    browser.fill("register:displayName", displayName);
    browser.fill("register:password", password);
    browser.fill("register:passwordAgain", password);
    browser.click("register:submit");
    browser.await("the rooms page", ExpectedConditions.urlContains("rooms.xhtml"));
    return username;
  }

  /** Creates a room with a unique name from the rooms page; ends in its chat view. */
  private static String createRoom(Browser browser, String prefix, boolean isPublic) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    browser.open(site + "rooms.xhtml");
    browser.fill("create:name", name);
    browser.click(isPublic ? "create:visibility:0" : "create:visibility:1");
    browser.click("create:submit");
    browser.await("the new room", ExpectedConditions.urlContains("room.xhtml"));
    return name;
  }

  private static void joinPublicRoom(Browser browser, String room) {
    browser.open(site + "rooms.xhtml");
    for (WebElement item : browser.all("#public-rooms li")) {
      if (item.getText().contains(room)) {
        item.findElement(By.cssSelector("input[type=submit]")).click();
        browser.await("the joined room", ExpectedConditions.urlContains("room.xhtml"));
        return;
      }
    }
    throw new AssertionError(room + " is not among the public rooms");
  }

  private static void awaitConnected(Browser browser) {
    browser.await(
        "connected to chatserv",
        ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));
  }

  private static void send(Browser browser, String text) {
    WebElement input = browser.find("#message-text");
    // Typed as the user would, except new lines (Enter would send): set, then press Enter.
    browser.script("arguments[0].value = arguments[1]", input, text);
    input.sendKeys(Keys.ENTER);
  }

  /** Waits until a message with exactly this text is among the stored (seq-numbered) ones. */
  private static void awaitStored(Browser browser, String text) {
    browser.await(
        "stored: " + text,
        driver -> bodies(browser).contains(text) && !pendingBodies(browser).contains(text));
  }

  @SuppressWarnings("unchecked")
  private static List<String> bodies(Browser browser) {
    return (List<String>)
        browser.script(
            "return Array.from(document.querySelectorAll('#messages li.message[data-seq] .body'),"
                + " b => b.textContent)");
  }

  @SuppressWarnings("unchecked")
  private static List<String> pendingBodies(Browser browser) {
    return (List<String>)
        browser.script(
            "return Array.from(document.querySelectorAll('#pending .body'), b => b.textContent)");
  }

  /**
   * From the next page on, every {@code error} frame and close of the page's WebSockets is kept in
   * {@code window.errorFramesSeen}, so that a failure can say what chatserv told the page.
   */
  private static void recordErrorFrames(Browser browser) {
    browser.driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument",
        Map.of(
            "source",
            "(() => { const Native = window.WebSocket; window.errorFramesSeen = [];"
                + " function Recorded(url, protocols) {"
                + "  const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);"
                + "  ws.addEventListener('message', e => { if (String(e.data).includes('\"error\"'))"
                + "   window.errorFramesSeen.push(e.data); });"
                + "  ws.addEventListener('close', e => window.errorFramesSeen.push('close ' + e.code"
                + "   + ' ' + e.reason));"
                + "  return ws; }"
                + " Recorded.prototype = Native.prototype;"
                + " for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Recorded[k] = Native[k];"
                + " window.WebSocket = Recorded; })();"));
  }

  /**
   * From the next page on, the body of every {@code send} frame the page writes to a WebSocket is
   * kept in {@code window.sendsSeen}, once per time it goes on the wire.
   */
  private static void recordSends(Browser browser) {
    browser.driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument",
        Map.of(
            "source",
            "(() => { const send = WebSocket.prototype.send; window.sendsSeen = [];"
                + " WebSocket.prototype.send = function (data) {"
                + "  try { const f = JSON.parse(data); if (f.type === 'send') window.sendsSeen.push(f.body); }"
                + "  catch (notJson) { }"
                + "  return send.call(this, data); }; })();"));
  }

  /** From the next page on, {@code window.socketsOpened} counts the WebSockets the page opens. */
  private static void countSockets(Browser browser) {
    browser.driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument",
        Map.of(
            "source",
            "(() => { const Native = window.WebSocket; window.socketsOpened = 0;"
                + " function Counted(url, protocols) { window.socketsOpened += 1;"
                + "  return protocols === undefined ? new Native(url) : new Native(url, protocols); }"
                + " Counted.prototype = Native.prototype;"
                + " for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Counted[k] = Native[k];"
                + " window.WebSocket = Counted; })();"));
  }

  /**
   * axe-core's WCAG A and AA rules on the page as it is now, in the light and the dark theme
   * (AccessibilityIT's check): none.
   */
  private static void assertNoAxeViolations(Browser browser, String state) {
    List<String> violations = new java.util.ArrayList<>();
    AccessibilityIT.checkInBothThemes(browser, state, violations);
    assertEquals(List.of(), violations, "axe-core violations (rule, impact, where)");
  }

  private static WebElement sidebarLink(Browser browser, String room) {
    for (WebElement link : browser.all("#sidebar-rooms a.sidebar-room")) {
      if (room.equals(link.getAttribute("data-title"))) {
        return link;
      }
    }
    throw new AssertionError(room + " is not in the sidebar");
  }

  /**
   * The text of a room's badge in the sidebar ({@code .unread}, {@code .mentions-badge}), or "".
   */
  private static String sidebarCount(Browser browser, String room, String badge) {
    List<WebElement> found = sidebarLink(browser, room).findElements(By.cssSelector(badge));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  /** The element is shown and lies wholly inside the window: nothing clipped. */
  private static void assertInsideViewport(Browser browser, String css) {
    Object inside =
        browser.script(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                + " return r.width > 0 && r.left >= 0 && r.top >= 0"
                + " && r.right <= window.innerWidth && r.bottom <= window.innerHeight;",
            css);
    assertEquals(
        true,
        inside,
        css + " lies inside the " + browser.script("return window.innerWidth") + " px window");
  }

  /** Whether a recorded "state: status" says not confirmed yet. */
  private static boolean notConfirmedYet(String shownAs) {
    return shownAs.contains(": not confirmed yet");
  }

  /**
   * Adds each waiting message's status to what it showed (when it changed); returns how many show
   * "not confirmed yet" now.
   */
  private static int recordStatuses(Browser browser, Map<String, List<String>> shown) {
    @SuppressWarnings("unchecked")
    List<List<String>> waiting =
        (List<List<String>>)
            browser.script(
                "return Array.from(document.querySelectorAll('#pending li'), li =>"
                    + " [li.querySelector('.body').textContent,"
                    + " li.dataset.state + ': ' + li.querySelector('.status').textContent])");
    int unconfirmed = 0;
    for (List<String> message : waiting) {
      List<String> seen = shown.get(message.get(0));
      if (seen != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(message.get(1)))) {
        seen.add(message.get(1));
      }
      if (notConfirmedYet(message.get(1))) {
        unconfirmed++;
      }
    }
    return unconfirmed;
  }

  private static boolean screenshot(Browser browser, String name) {
    try {
      browser.screenshot(name);
      return true;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What the database holds for a room, in seq order. */
  private static List<String> storedBodies(long room) throws Exception {
    try (var db = system.chatDatabase();
        var select =
            db.prepareStatement("SELECT body FROM chat.message WHERE room_id = ? ORDER BY seq")) {
      select.setLong(1, room);
      List<String> bodies = new java.util.ArrayList<>();
      try (var rows = select.executeQuery()) {
        while (rows.next()) {
          bodies.add(rows.getString(1));
        }
      }
      return bodies;
    }
  }

  private static String senderOf(Browser browser, String text) {
    for (WebElement message : browser.all("#messages li.message")) {
      if (message.findElement(By.cssSelector(".body")).getText().equals(text)) {
        return message.findElement(By.cssSelector(".sender")).getText();
      }
    }
    throw new AssertionError("no message " + text);
  }

  private static String unreadOf(Browser browser, String room) {
    WebElement link = browser.find("#my-rooms").findElement(By.partialLinkText(room));
    List<WebElement> badge = link.findElements(By.cssSelector(".unread"));
    return badge.isEmpty() ? "" : badge.get(0).getText();
  }

  /**
   * No payload became an element or ran: every message is exactly sender, time and a body with no
   * element inside, beside the sender's avatar (initials only, no element inside either), and no
   * script set {@code window.xssFired}.
   */
  private static void assertOnlyText(Browser browser, String how) {
    assertNull(browser.script("return window.xssFired"), "no script ran (" + how + ")");
    Object stray =
        browser.script(
            "return Array.from(document.querySelectorAll('#messages li.message')).filter(li =>"
                + " li.querySelector('.body').children.length > 0"
                + " || li.querySelectorAll(':scope > :not(.avatar)').length !== 3"
                + " || li.querySelectorAll(':scope > .avatar').length > 1"
                + " || li.querySelectorAll(':scope > .avatar *').length > 0)"
                + ".length");
    assertEquals(0L, stray, "no element injected (" + how + ")");
    assertEquals(
        0L,
        browser.script(
            "return document.querySelectorAll('#messages img, #messages script, #messages svg,"
                + " #messages iframe, #messages style, #messages h1, #messages details').length"),
        "no element injected (" + how + ")");
  }

  private static HttpResponse<String> post(String path, String cookie, String marker, String form)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(site + path))
            .header("Cookie", cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (marker != null) {
      request.header("X-Chat-Request", marker);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
