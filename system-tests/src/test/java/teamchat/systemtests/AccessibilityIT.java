package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teamchat.systemtests.WebAppSteps.awaitConnected;
import static teamchat.systemtests.WebAppSteps.awaitStored;
import static teamchat.systemtests.WebAppSteps.emulateColorScheme;
import static teamchat.systemtests.WebAppSteps.rootBackground;
import static teamchat.systemtests.WebAppSteps.send;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The pages themselves, whatever is said in them: axe-core's WCAG 2.1 A and AA rules, run inside
 * the real Chromium on every page and state a person meets, in the light and the dark theme, at
 * desktop (1280 × 800) and phone (390 × 844) size: 0 violations; the theme a person chooses; that
 * nothing is cut off on small phones; and what the room page weighs on a cold load. Each violation
 * is reported with its rule, its impact and the elements it was found on, so a failure says what to
 * fix. Screenshots: {@code system-tests/target/screenshots/theme-*.png} and {@code phone-*.png};
 * the weight: {@code system-tests/target/page-weight.txt}.
 */
@ExtendWith(SharedSystem.class)
class AccessibilityIT {

  private static final List<String> WCAG_A_AND_AA =
      List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

  /** The page's background in each theme (--bg in chat.css), to tell which one is painted. */
  private static final String LIGHT = "rgb(246, 247, 249)";

  private static final String DARK = "rgb(17, 19, 23)";

  /** The room page on a cold load, everything it fetches over HTTP together (issue 16). */
  private static final long ROOM_PAGE_BUDGET_BYTES = 100 * 1024;

  /**
   * A theme as a person gets it: what their system prefers, what they chose in the header's menu
   * ("system" follows the system), and the background that must show.
   */
  private record Theme(String name, String system, String chosen, String background) {}

  private static final List<Theme> THEMES =
      List.of(
          new Theme("light", "light", "system", LIGHT),
          new Theme("dark", "dark", "system", DARK),
          new Theme("dark-chosen", "light", "dark", DARK));

  private static final int[][] SIZES = {{1280, 800}, {390, 844}};

  private static RunningSystem system;
  private static String site;
  private static WebAppSteps steps;

  @BeforeAll
  static void start(RunningSystem shared) {
    system = shared;
    site = "http://localhost:" + system.chatfrontPort + "/";
    steps = new WebAppSteps(site);
  }

  @Test
  void everyPageAndStateHasNoViolationsInBothThemesAtDesktopAndPhoneSize() throws Exception {
    List<String> violations = new ArrayList<>();
    try (Browser ada = new Browser(1280, 800);
        Browser bob = new Browser(1280, 800)) {
      for (Theme theme : THEMES) {
        ada.open(site + "login.xhtml");
        useTheme(ada, theme);
        for (int[] size : sizesFor(theme)) {
          ada.resize(size[0], size[1]);
          String at = theme.name() + ", " + size[0] + "px";
          checkPage(ada, theme, site + "login.xhtml", "login page, " + at, violations);
          checkPage(ada, theme, site + "register.xhtml", "registration page, " + at, violations);
        }
      }

      // The control: a field without a label, put into the page, is found.
      ada.resize(1280, 800);
      useTheme(ada, THEMES.get(0));
      ada.open(site + "login.xhtml");
      ada.script("document.querySelector('main').appendChild(document.createElement('input'))");
      List<String> control = new ArrayList<>();
      check(ada, "login page with an unlabelled field", control);
      assertTrue(
          control.stream().anyMatch(line -> line.contains(": label (")),
          "axe-core finds an unlabelled field: " + control);

      // Ada's room holds what a conversation shows: formatting, code, a list, a quote, a mention
      // of her; another room has unread messages and a mention, so her sidebar shows counts.
      String adaName = steps.register(ada, "Ada Lovelace").username();
      String other = steps.createRoom(ada, "a11y-other", true);
      String room = steps.createRoom(ada, "a11y", true);
      String roomUrl = ada.driver.getCurrentUrl();
      awaitConnected(ada);
      steps.register(bob, "Bob");
      steps.joinPublicRoom(bob, other);
      steps.joinPublicRoom(bob, room);
      awaitConnected(bob);
      send(bob, "Hello @" + adaName + ", see **this** and `code` at https://example.org");
      send(ada, "A list:\n\n- one\n- two\n\n> a quote");
      bob.await("both messages", driver -> WebAppSteps.bodies(bob).size() >= 2);
      WebAppSteps.sidebarLink(bob, other).click();
      bob.await("the other room", ExpectedConditions.textToBe(By.id("room-title"), other));
      send(bob, "Over here, @" + adaName);
      ada.await(
          "the other room's counts in Ada's sidebar",
          driver ->
              !WebAppSteps.sidebarLink(ada, other)
                  .findElements(By.cssSelector(".mentions-badge"))
                  .isEmpty());

      for (Theme theme : THEMES) {
        useTheme(ada, theme);
        for (int[] size : sizesFor(theme)) {
          ada.resize(size[0], size[1]);
          String at = theme.name() + ", " + size[0] + "px";
          String shot = "theme-" + theme.name() + "-" + size[0];
          checkPage(ada, theme, site + "rooms.xhtml", "rooms page, " + at, violations);
          ada.screenshot(shot + "-rooms");
          checkPage(ada, theme, site + "profile.xhtml", "profile page, " + at, violations);
          ada.screenshot(shot + "-profile");
          ada.open(roomUrl);
          awaitConnected(ada);
          ada.await("the history", driver -> WebAppSteps.bodies(ada).size() >= 2);
          assertEquals(theme.background(), rootBackground(ada), "room page, " + at);
          check(ada, "room with messages, " + at, violations);
          ada.screenshot(shot + "-room");
          if (size[0] < 600) {
            ada.find("#sidebar-open").click();
            ada.await(
                "the sidebar drawer",
                ExpectedConditions.visibilityOfElementLocated(By.id("sidebar")));
            check(ada, "room with the sidebar drawer open, " + at, violations);
            ada.screenshot(shot + "-sidebar");
            ada.find("#sidebar-close").click();
            ada.await(
                "the sidebar closed",
                ExpectedConditions.invisibilityOfElementLocated(By.id("sidebar")));
            ada.find("#members-open").click();
            ada.await(
                "the members drawer",
                ExpectedConditions.visibilityOfElementLocated(By.id("members-panel")));
            check(ada, "room with the members drawer open, " + at, violations);
            ada.screenshot(shot + "-members");
            ada.find("#members-close").click();
          }
        }
      }
    }
    assertEquals(List.of(), violations, "axe-core violations (rule, impact, where)");
  }

  @Test
  void aChosenThemeIsKeptInTheBrowserAndPaintedFromTheFirstFrame() throws Exception {
    try (Browser ada = new Browser(1280, 800)) {
      // What the page's first frame paints: requestAnimationFrame runs its first callback just
      // before the first paint, after the render-blocking head (theme.js, the stylesheets).
      ada.driver.executeCdpCommand(
          "Page.addScriptToEvaluateOnNewDocument",
          Map.of(
              "source",
              "requestAnimationFrame(() => { window.firstFrame ="
                  + " getComputedStyle(document.documentElement).backgroundColor; });"));
      emulateColorScheme(ada, "light");
      ada.open(site + "login.xhtml");
      assertEquals(LIGHT, rootBackground(ada), "the system's light");
      assertEquals("system", themeMenu(ada).getFirstSelectedOption().getAttribute("value"));

      // Following the system, live: no reload needed when it changes.
      emulateColorScheme(ada, "dark");
      ada.await("the system's dark", driver -> DARK.equals(rootBackground(ada)));

      // Chosen: light wins over the system's dark, on this page and the next, from the first frame.
      themeMenu(ada).selectByValue("light");
      assertEquals(LIGHT, rootBackground(ada), "light, chosen");
      ada.open(site + "register.xhtml");
      assertEquals(LIGHT, ada.script("return window.firstFrame"), "the first frame is light");
      assertEquals("light", themeMenu(ada).getFirstSelectedOption().getAttribute("value"));

      emulateColorScheme(ada, "light");
      themeMenu(ada).selectByValue("dark");
      assertEquals(DARK, rootBackground(ada), "dark, chosen");
      ada.open(site + "login.xhtml");
      assertEquals(DARK, ada.script("return window.firstFrame"), "the first frame is dark");
      ada.screenshot("theme-dark-chosen-1280-login");

      // Back to the system's: nothing kept, the system's light again.
      themeMenu(ada).selectByValue("system");
      assertEquals(LIGHT, rootBackground(ada), "the system's again");
      assertEquals(null, ada.script("return localStorage.getItem('teamchat.theme')"));
      ada.open(site + "login.xhtml");
      assertEquals(LIGHT, ada.script("return window.firstFrame"));
    }
  }

  @Test
  void theRoomPageWeighsUnder100KilobytesOnAColdLoad() throws Exception {
    try (Browser ada = new Browser(1280, 800)) {
      steps.register(ada, "Ada Weight");
      steps.createRoom(ada, "weight", true);
      String room = ada.driver.getCurrentUrl();
      awaitConnected(ada);
      int messages = 20;
      for (int i = 1; i <= messages; i++) {
        send(ada, "Message " + i + " of a room with a little history to show");
      }
      awaitStored(ada, "Message " + messages + " of a room with a little history to show");

      // When the page first says "Connected", in ms since the navigation began.
      ada.driver.executeCdpCommand(
          "Page.addScriptToEvaluateOnNewDocument",
          Map.of(
              "source",
              "document.addEventListener('DOMContentLoaded', () => {"
                  + " const c = document.getElementById('connection'); if (!c) return;"
                  + " const seen = () => { if (c.dataset.state === 'connected'"
                  + "  && window.connectedAt === undefined) window.connectedAt = performance.now(); };"
                  + " seen(); new MutationObserver(seen).observe(c, {attributes: true}); });"));
      ada.driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
      ada.open(room);
      awaitConnected(ada);
      ada.await(
          "the page loaded and connected",
          driver ->
              Boolean.TRUE.equals(
                  ada.script(
                      "return document.readyState === 'complete'"
                          + " && window.connectedAt !== undefined")));
      // Navigation and Resource Timing: what each request moved over the wire (transferSize,
      // headers included), its body as sent (encoded) and as used (decoded).
      @SuppressWarnings("unchecked")
      Map<String, Object> load =
          (Map<String, Object>)
              ada.script(
                  "const nav = performance.getEntriesByType('navigation')[0];"
                      + " const all = [nav, ...performance.getEntriesByType('resource')];"
                      + " return { connected: window.connectedAt,"
                      + "  ready: nav.domContentLoadedEventEnd, loaded: nav.loadEventEnd,"
                      + "  requests: all.map(e => [new URL(e.name).pathname + new URL(e.name).search,"
                      + "   e.initiatorType, e.transferSize, e.encodedBodySize, e.decodedBodySize]) };");
      @SuppressWarnings("unchecked")
      List<List<Object>> requests = (List<List<Object>>) load.get("requests");
      long transferred = 0;
      StringBuilder report = new StringBuilder();
      for (List<Object> request : requests) {
        long wire = ((Number) request.get(2)).longValue();
        long encoded = ((Number) request.get(3)).longValue();
        long decoded = ((Number) request.get(4)).longValue();
        transferred += wire;
        report.append(
            String.format(
                "  %-10s %7d B over the wire, body %7d B as sent, %7d B as used  %s%n",
                request.get(1), wire, encoded, decoded, request.get(0)));
        assertTrue(wire > 0, request.get(0) + " came from the network, not a cache");
        if (String.valueOf(request.get(0)).contains("chat.js")) {
          assertTrue(encoded * 2 < decoded, "chat.js is sent compressed: " + request);
        }
      }
      long document = ((Number) requests.get(0).get(3)).longValue();
      String text =
          String.format(
                  "The room page (%d messages) on a cold load (empty cache), straight from chatfront,"
                      + " headless Chromium at 1280 × 800:%n"
                      + "document %.1f KB, %d requests, %.1f KB transferred (budget %d KB)%n"
                      + "DOMContentLoaded %.0f ms, load %.0f ms, \"Connected\" %.0f ms after the"
                      + " navigation began (WebSocket not counted in the bytes)%n",
                  messages,
                  document / 1024.0,
                  requests.size(),
                  transferred / 1024.0,
                  ROOM_PAGE_BUDGET_BYTES / 1024,
                  ((Number) load.get("ready")).doubleValue(),
                  ((Number) load.get("loaded")).doubleValue(),
                  ((Number) load.get("connected")).doubleValue())
              + report;
      Path file = RunningSystem.ROOT.resolve("system-tests/target/page-weight.txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      System.out.print(text);
      assertTrue(
          transferred < ROOM_PAGE_BUDGET_BYTES,
          "the room page stays under 100 KB on a cold load:\n" + text);

      // A warm load: the stylesheets and scripts come from the browser's cache, not asked again
      // (Faces sends them with an Expires date ahead).
      ada.open(room);
      awaitConnected(ada);
      @SuppressWarnings("unchecked")
      List<List<Object>> warm =
          (List<List<Object>>)
              ada.script(
                  "return performance.getEntriesByType('resource')"
                      + " .filter(e => e.name.includes('/jakarta.faces.resource/'))"
                      + " .map(e => [new URL(e.name).pathname, e.transferSize]);");
      assertEquals(
          List.of(
              "/jakarta.faces.resource/css/account.css.xhtml",
              "/jakarta.faces.resource/css/chat.css.xhtml",
              "/jakarta.faces.resource/js/avatars.js.xhtml",
              "/jakarta.faces.resource/js/chat.js.xhtml",
              "/jakarta.faces.resource/js/commands.js.xhtml",
              "/jakarta.faces.resource/js/dialogs.js.xhtml",
              "/jakarta.faces.resource/js/files.js.xhtml",
              "/jakarta.faces.resource/js/search.js.xhtml",
              "/jakarta.faces.resource/js/theme.js.xhtml",
              "/jakarta.faces.resource/js/webhooks.js.xhtml"),
          warm.stream().map(resource -> (String) resource.get(0)).sorted().toList(),
          "the page's stylesheets and scripts: " + warm);
      for (List<Object> resource : warm) {
        assertEquals(0L, ((Number) resource.get(1)).longValue(), resource + " from the cache");
      }
    }
  }

  @Test
  void nothingIsCutOffOnSmallPhonesAndTheComposerStaysInView() throws Exception {
    int[][] phones = {{390, 844}, {360, 640}};
    try (Browser ada = new Browser(390, 844)) {
      for (int[] size : phones) {
        ada.resize(size[0], size[1]);
        String at = size[0] + " × " + size[1];
        ada.open(site + "login.xhtml");
        WebAppSteps.assertNothingClipped(ada, "login page, " + at, false);
        ada.open(site + "register.xhtml");
        WebAppSteps.assertNothingClipped(ada, "registration page, " + at, false);
      }
      ada.resize(390, 844);
      // A long display name and room name: the header and the room's head must give way.
      String adaName = steps.register(ada, "Ada Augusta King, Countess of Lovelace").username();
      steps.createRoom(ada, "a-room-with-a-rather-long-name-for-a-phone", true);
      String roomUrl = ada.driver.getCurrentUrl();
      awaitConnected(ada);
      send(ada, "A message with a long word: " + "x".repeat(120));
      send(ada, "And a mention of @" + adaName + " with `code` in it");
      ada.await("both messages", driver -> WebAppSteps.bodies(ada).size() == 2);

      for (int[] size : phones) {
        ada.resize(size[0], size[1]);
        String at = size[0] + " × " + size[1];
        String shot = "phone-" + size[0] + "x" + size[1];
        ada.open(site + "rooms.xhtml");
        WebAppSteps.assertNothingClipped(ada, "rooms page, " + at, false);
        ada.open(site + "profile.xhtml");
        WebAppSteps.assertNothingClipped(ada, "profile page, " + at, false);
        ada.open(roomUrl);
        awaitConnected(ada);
        WebAppSteps.assertNothingClipped(ada, "room, " + at, true);
        assertTrue(ada.find("#message-text").isDisplayed(), "the composer shows, " + at);
        assertTrue(ada.find("#send").isDisplayed(), "its Send button shows, " + at);
        ada.screenshot(shot + "-room");
        ada.find("#sidebar-open").click();
        ada.await(
            "the sidebar drawer", ExpectedConditions.visibilityOfElementLocated(By.id("sidebar")));
        WebAppSteps.assertNothingClipped(ada, "room with the sidebar drawer, " + at, true);
        ada.screenshot(shot + "-sidebar");
        ada.find("#sidebar-close").click();
        ada.await(
            "the sidebar closed",
            ExpectedConditions.invisibilityOfElementLocated(By.id("sidebar")));
        ada.find("#members-open").click();
        ada.await(
            "the members drawer",
            ExpectedConditions.visibilityOfElementLocated(By.id("members-panel")));
        WebAppSteps.assertNothingClipped(ada, "room with the members drawer, " + at, true);
        ada.screenshot(shot + "-members");
        ada.find("#members-close").click();
      }
    }
  }

  /**
   * Runs axe-core on the page as it is now and adds each violation, one line per element (also used
   * by ProfileIT).
   */
  static void check(Browser browser, String state, List<String> violations) {
    Results results = new AxeBuilder().withTags(WCAG_A_AND_AA).analyze(browser.driver);
    // More than 5: the smallest page, the error page, passes fewer than the 10 this once asked.
    assertTrue(results.getPasses().size() > 5, state + ": axe-core ran its rules on a real page");
    for (Rule rule : results.getViolations()) {
      for (CheckedNode node : rule.getNodes()) {
        violations.add(
            state
                + ": "
                + rule.getId()
                + " ("
                + rule.getImpact()
                + ", "
                + rule.getHelp()
                + ") at "
                + node.getTarget()
                + " "
                + node.getHtml());
      }
    }
  }

  /**
   * {@link #check} in the light and then in the dark theme, as the system asks for them, for a
   * state that another test reaches (a dialog open, a prompt shown): both palettes must hold AA
   * there too. The browser is left reporting light again.
   */
  static void checkInBothThemes(Browser browser, String state, List<String> violations) {
    emulateColorScheme(browser, "light");
    browser.await(state + ": light painted", driver -> LIGHT.equals(rootBackground(browser)));
    check(browser, state + ", light", violations);
    emulateColorScheme(browser, "dark");
    browser.await(state + ": dark painted", driver -> DARK.equals(rootBackground(browser)));
    check(browser, state + ", dark", violations);
    emulateColorScheme(browser, "light");
  }

  /** Opens a page, makes sure it is painted in the theme, and checks it. */
  private static void checkPage(
      Browser browser, Theme theme, String url, String state, List<String> violations) {
    browser.open(url);
    assertEquals(theme.background(), rootBackground(browser), state + ": the theme is applied");
    check(browser, state, violations);
  }

  /**
   * Where a theme is checked: the system's light and dark at both sizes; the chosen dark (the same
   * palette, reached through the menu) at desktop size, which shows that the choice applies.
   */
  private static int[][] sizesFor(Theme theme) {
    return theme.chosen().equals("system") ? SIZES : new int[][] {SIZES[0]};
  }

  /** The system's scheme and the header's choice (the page must have the header). */
  private static void useTheme(Browser browser, Theme theme) {
    emulateColorScheme(browser, theme.system());
    themeMenu(browser).selectByValue(theme.chosen());
  }

  private static Select themeMenu(Browser browser) {
    return new Select(browser.find("#theme-choice"));
  }
}
