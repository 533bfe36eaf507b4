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
import org.junit.jupiter.api.Test;
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
class WebUiIT {

  private static RunningSystem system;
  private static String site;

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
  }

  @AfterAll
  static void stop() throws Exception {
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
      bob.screenshot("sidebar-live-rooms");
      assertNoAxeViolations(bob, "the sidebar with a direct conversation's online dot");
      bob.resize(390, 844);
      bob.find("#sidebar-open").click();
      bob.await(
          "the sidebar drawer", ExpectedConditions.visibilityOfElementLocated(By.id("sidebar")));
      assertInsideViewport(bob, "#sidebar");
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
  void theChatPageRenewsItsTokenOnTheOpenSocketAndNeverReconnectsForIt() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site + "register.xhtml");
      register(browser, "Long Session");
      createRoom(browser, "long", true);
      awaitConnected(browser);
      Instant connected = Instant.now();
      // Outlive the first token: without renewal chatserv would close the socket (session_ended)
      // and the page would have to sign in on a new one.
      Thread.sleep(TOKEN_LIFETIME.plusSeconds(10).toMillis());
      assertTrue(Duration.between(connected, Instant.now()).compareTo(TOKEN_LIFETIME) > 0);
      WebElement status = browser.find("#connection");
      assertEquals("connected", status.getAttribute("data-state"));
      assertEquals("1", status.getAttribute("data-welcomes"), "one sign-in: never reconnected");
      assertTrue(Integer.parseInt(status.getAttribute("data-renewals")) >= 1, "renewed in-band");
      send(browser, "still here");
      awaitStored(browser, "still here");
      assertEquals("1", status.getAttribute("data-welcomes"));
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
        // The page resends each (same id) whenever chatserv says it cannot tell yet, showing
        // "sending…" meanwhile: every status each message shows is recorded, and the screenshot
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

      // chatfront is back: the page finds out by itself (resending with the same ids); nobody
      // clicks anything.
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
      List<String> expected = List.of("before the hang", typed.get(0), typed.get(1));
      assertEquals(expected, bodies(browser), "each shown once, in typed order");
      assertEquals(expected, storedBodies(room), "stored exactly once each, in typed order");
      browser.driver.navigate().refresh();
      awaitConnected(browser);
      assertEquals(expected, bodies(browser), "and so after a reload");
    }
  }

  // ---- steps

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

  /** axe-core's WCAG A and AA rules on the page as it is now (AccessibilityIT's check): none. */
  private static void assertNoAxeViolations(Browser browser, String state) {
    List<String> violations = new java.util.ArrayList<>();
    AccessibilityIT.check(browser, state, violations);
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
   * element inside, and no script set {@code window.xssFired}.
   */
  private static void assertOnlyText(Browser browser, String how) {
    assertNull(browser.script("return window.xssFired"), "no script ran (" + how + ")");
    Object stray =
        browser.script(
            "return Array.from(document.querySelectorAll('#messages li.message')).filter(li =>"
                + " li.querySelector('.body').children.length > 0 || li.children.length !== 3)"
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
