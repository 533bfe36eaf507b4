package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * What a person does in the web app, step by step, for the browser tests of one running system:
 * register, create or join a room, wait for the live connection, send, read the timeline; and how a
 * test looks at the page (the colour scheme it asks for, what lies outside the window).
 */
final class WebAppSteps {

  /** An account made through the registration form. */
  record Account(String username, String password) {}

  private final String site;

  /** Steps against the site at this address (ending in "/"). */
  WebAppSteps(String site) {
    this.site = site;
  }

  /** Registers a new account through the form; ends on the rooms page. */
  Account register(Browser browser, String displayName) {
    String username = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String password = "Pw-" + UUID.randomUUID();
    browser.open(site + "register.xhtml");
    browser.fill("register:username", username);
    browser.fill("register:displayName", displayName);
    browser.fill("register:password", password);
    browser.fill("register:passwordAgain", password);
    browser.click("register:submit");
    browser.await("the rooms page", ExpectedConditions.urlContains("rooms.xhtml"));
    return new Account(username, password);
  }

  /** Signs in through the form; ends on the rooms page. */
  void signIn(Browser browser, String username, String password) {
    browser.open(site + "login.xhtml");
    browser.fill("login:username", username);
    browser.fill("login:password", password);
    browser.click("login:submit");
    browser.await("signed in", ExpectedConditions.urlContains("rooms.xhtml"));
  }

  /** Creates a room with a unique name from the rooms page; ends in it. Returns its name. */
  String createRoom(Browser browser, String prefix, boolean isPublic) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    browser.open(site + "rooms.xhtml");
    browser.fill("create:name", name);
    browser.click(isPublic ? "create:visibility:0" : "create:visibility:1");
    browser.click("create:submit");
    browser.await("the new room", ExpectedConditions.urlContains("room.xhtml"));
    return name;
  }

  /** Joins a public room from the rooms page; ends in it. */
  void joinPublicRoom(Browser browser, String room) {
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

  static void awaitConnected(Browser browser) {
    browser.await(
        "connected to chatserv",
        ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));
  }

  /** Sends from the composer as a person would (set, then Enter, so new lines do not send). */
  static void send(Browser browser, String text) {
    WebElement input = browser.find("#message-text");
    browser.script("arguments[0].value = arguments[1]", input, text);
    input.sendKeys(Keys.ENTER);
  }

  /** Waits until a message with exactly this text is among the stored (seq-numbered) ones. */
  static void awaitStored(Browser browser, String text) {
    browser.await("stored: " + text, driver -> bodies(browser).contains(text));
  }

  /** The texts of the open room's stored messages, top to bottom. */
  @SuppressWarnings("unchecked")
  static List<String> bodies(Browser browser) {
    return (List<String>)
        browser.script(
            "return Array.from(document.querySelectorAll('#messages li.message[data-seq] .body'),"
                + " b => b.textContent)");
  }

  /** The sidebar's link to a room, by the room's name. */
  static WebElement sidebarLink(Browser browser, String room) {
    for (WebElement link : browser.all("#sidebar-rooms a.sidebar-room")) {
      if (room.equals(link.getAttribute("data-title"))) {
        return link;
      }
    }
    throw new AssertionError(room + " is not in the sidebar");
  }

  /**
   * Makes the browser report this {@code prefers-color-scheme} ("light", "dark") to every page from
   * now on, as a system set to that scheme would.
   */
  static void emulateColorScheme(Browser browser, String scheme) {
    browser.driver.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  /**
   * The background colour the page's root has now ("rgb(...)"): chat.css paints it from the palette
   * of the theme in use.
   */
  static String rootBackground(Browser browser) {
    return (String)
        browser.script("return getComputedStyle(document.documentElement).backgroundColor");
  }

  /**
   * Asserts that nothing shown is cut off: the page never scrolls sideways, and every element lies
   * inside what shows it (the window for elements of the page itself or fixed to the window, or the
   * box that clips or scrolls it). Vertically too when {@code fillsTheWindow} (the chat screen:
   * only its panels scroll); other pages scroll down, so only sideways is checked there.
   */
  static void assertNothingClipped(Browser browser, String state, boolean fillsTheWindow) {
    @SuppressWarnings("unchecked")
    List<String> clipped =
        (List<String>)
            browser.script(
                "const vertical = arguments[0], vw = window.innerWidth, vh = window.innerHeight;"
                    + " const out = [];"
                    + " const page = document.documentElement.scrollWidth;"
                    + " if (page > vw) out.push('the page is ' + page + ' px wide');"
                    + " const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
                    + "  + (typeof e.className === 'string' && e.className"
                    + "   ? '.' + e.className.trim().split(/\\s+/).join('.') : '');"
                    + " for (const e of document.body.querySelectorAll('*')) {"
                    + "  const r = e.getBoundingClientRect();"
                    // not rendered, or visually hidden (1 px, for screen readers)
                    + "  if (r.width <= 1 || r.height <= 1) continue;"
                    + "  const style = getComputedStyle(e);"
                    + "  if (style.visibility === 'hidden') continue;"
                    + "  let box = null, scrollsDown = false;"
                    + "  if (style.position !== 'fixed') {"
                    + "   for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {"
                    + "    const s = getComputedStyle(a);"
                    + "    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {"
                    + "     box = a.getBoundingClientRect();"
                    + "     scrollsDown = s.overflowY === 'auto' || s.overflowY === 'scroll'; break; }"
                    + "    if (s.position === 'fixed') break; } }"
                    + "  const b = box || {left: 0, top: 0, right: vw, bottom: vh};"
                    + "  const checkDown = box ? !scrollsDown : (vertical || style.position === 'fixed');"
                    + "  if (r.left < b.left - 1 || r.right > b.right + 1"
                    + "   || (checkDown && (r.top < b.top - 1 || r.bottom > b.bottom + 1)))"
                    + "   out.push(name(e) + ' at ' + Math.round(r.left) + ',' + Math.round(r.top)"
                    + "    + ' ' + Math.round(r.width) + 'x' + Math.round(r.height)); }"
                    + " return out;",
                fillsTheWindow);
    int[] size = {
      ((Number) browser.script("return window.innerWidth")).intValue(),
      ((Number) browser.script("return window.innerHeight")).intValue()
    };
    assertEquals(
        List.of(),
        clipped,
        state + ": elements cut off in the " + size[0] + " × " + size[1] + " px window");
  }
}
