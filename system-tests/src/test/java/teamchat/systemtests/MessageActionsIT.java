package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import teamchat.systemtestkit.Accounts.Person;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.Frame;
import teamchat.systemtestkit.JsonBodies;

/**
 * What people do with messages in the web app, in real Chromium against the whole system: edit,
 * delete, react, reply in a thread and mention, by mouse and by keyboard, seen live in a second
 * browser and again after a reload; Markdown shown formatted, and hostile Markdown shown as text.
 * Screenshots of each state go to {@code system-tests/target/screenshots/actions-*.png}.
 */
@ExtendWith(SharedSystem.class)
class MessageActionsIT {

  private static RunningSystem system;
  private static String site;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** The elements and attributes the page keeps of chatfront's html (docs/web-app.md). */
  private static final String ALLOWLIST_CHECK =
      "const kept = new Set(['P','BR','STRONG','EM','DEL','CODE','PRE','BLOCKQUOTE','UL','OL','LI',"
          + "'A','SPAN']);"
          + "const bad = [];"
          + "for (const element of document.querySelectorAll('li.message .body *')) {"
          + "  if (!kept.has(element.tagName)) { bad.push(element.outerHTML); continue; }"
          + "  for (const attribute of element.attributes) {"
          + "    const fine = element.tagName === 'A' ? ['href','rel','target'].includes(attribute.name)"
          + "      : element.tagName === 'SPAN' ? ['class','data-user'].includes(attribute.name)"
          + "      : false;"
          + "    if (!fine) { bad.push(element.outerHTML); }"
          + "  }"
          + "  if (element.tagName === 'A' && !/^(https?|mailto):/.test(element.href)) {"
          + "    bad.push(element.outerHTML);"
          + "  }"
          + "}"
          + "return bad;";

  @BeforeAll
  static void start(RunningSystem shared) {
    system = shared;
    site = "http://localhost:" + system.chatfrontPort + "/";
  }

  @Test
  void twoPeopleEditDeleteReactAndReplyByMouseLiveAndAfterAReload() throws Exception {
    try (Browser ada = new Browser(1280, 900);
        Browser bob = new Browser(1280, 900)) {
      ada.open(site + "register.xhtml");
      register(ada, "Ada");
      String roomName = createRoom(ada, "actions");
      awaitConnected(ada);
      bob.open(site + "register.xhtml");
      register(bob, "Bob");
      joinPublicRoom(bob, roomName);
      awaitConnected(bob);

      send(ada, "teh plan for today");
      awaitShown(bob, "teh plan for today");

      // Edit: the inline editor, Save; Bob sees the new text and the marker without a reload.
      hoverAndClick(ada, row(ada, "teh plan for today"), "edit");
      WebElement editor = ada.find("#messages textarea.edit-text");
      assertEquals("teh plan for today", editor.getAttribute("value"));
      ada.screenshot("actions-editing");
      editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), "the plan for today");
      ada.find("#messages .editor button[type=submit]").click();
      awaitShown(bob, "the plan for today");
      assertTrue(
          row(bob, "the plan for today").findElement(By.cssSelector(".edited")).isDisplayed());
      awaitShown(ada, "the plan for today");
      assertFalse(bodies(bob).contains("teh plan for today"));

      // Bob can neither edit nor delete Ada's message; he can react and reply.
      assertEquals(List.of("react", "reply"), actionKeys(row(bob, "the plan for today")));

      // React: the picker; Ada sees the chip live and adds hers by clicking it.
      hoverAndClick(bob, row(bob, "the plan for today"), "react");
      bob.await(
          "the emoji picker", ExpectedConditions.visibilityOfElementLocated(By.id("emoji-picker")));
      bob.screenshot("actions-picker");
      bob.find("#emoji-quick button[data-key='emoji:👍']").click();
      awaitReaction(ada, "the plan for today", "👍", "1", false);
      awaitReaction(bob, "the plan for today", "👍", "1", true);
      chip(ada, "the plan for today", "👍").click();
      awaitReaction(bob, "the plan for today", "👍", "2", true);
      awaitReaction(ada, "the plan for today", "👍", "2", true);
      // Toggling takes Bob's back; Ada's stays.
      chip(bob, "the plan for today", "👍").click();
      awaitReaction(ada, "the plan for today", "👍", "1", true);
      awaitReaction(bob, "the plan for today", "👍", "1", false);

      // Reply in a thread: the panel opens beside the room; the reply is not in the room's list.
      hoverAndClick(bob, row(bob, "the plan for today"), "reply");
      bob.await("the thread panel", ExpectedConditions.visibilityOfElementLocated(By.id("thread")));
      bob.find("#thread-text").sendKeys("sounds good", Keys.ENTER);
      bob.await("the reply in the thread", driver -> threadBodies(bob).contains("sounds good"));
      ada.await(
          "the reply count under the parent",
          driver ->
              textOf(ada, row(ada, "the plan for today"), ".thread-summary").startsWith("1 reply"));
      assertTrue(textOf(ada, row(ada, "the plan for today"), ".thread-summary").contains("Bob"));
      assertFalse(bodies(ada).contains("sounds good"), "a reply stays in its thread");
      row(ada, "the plan for today").findElement(By.cssSelector(".thread-summary")).click();
      ada.await("Ada's thread", driver -> threadBodies(ada).contains("sounds good"));
      assertEquals(List.of("the plan for today", "sounds good"), threadBodies(ada));
      // Live into the open thread both ways.
      ada.find("#thread-text").sendKeys("then let us start", Keys.ENTER);
      bob.await("Ada's reply, live", driver -> threadBodies(bob).contains("then let us start"));
      ada.await(
          "two replies",
          driver ->
              textOf(ada, row(ada, "the plan for today"), ".thread-summary")
                  .startsWith("2 replies"));
      ada.screenshot("actions-thread");

      // Delete, with a confirmation; Bob sees a tombstone. Cancel first: nothing happens.
      send(ada, "wrong room, sorry");
      awaitShown(bob, "wrong room, sorry");
      hoverAndClick(ada, row(ada, "wrong room, sorry"), "delete");
      ada.await(
          "the confirmation",
          ExpectedConditions.visibilityOfElementLocated(By.id("confirm-delete")));
      assertEquals("wrong room, sorry", ada.find("#confirm-preview").getText());
      ada.screenshot("actions-confirm-delete");
      ada.find("#confirm-delete button[value=cancel]").click();
      assertTrue(bodies(ada).contains("wrong room, sorry"), "cancelled: still there");
      hoverAndClick(ada, row(ada, "wrong room, sorry"), "delete");
      ada.find("#confirm-delete-button").click();
      awaitTombstones(bob, 1);
      awaitTombstones(ada, 1);
      assertFalse(bodies(bob).contains("wrong room, sorry"));

      // An owner deletes someone else's message.
      send(bob, "a message the owner removes");
      awaitShown(ada, "a message the owner removes");
      assertTrue(actionKeys(row(ada, "a message the owner removes")).contains("delete"));
      hoverAndClick(ada, row(ada, "a message the owner removes"), "delete");
      ada.find("#confirm-delete-button").click();
      awaitTombstones(bob, 2);
      bob.screenshot("actions-live-other-side");

      // Everything survives a reload.
      for (Browser browser : List.of(ada, bob)) {
        browser.driver.navigate().refresh();
        awaitConnected(browser);
        awaitShown(browser, "the plan for today");
        assertEquals(
            List.of("the plan for today", "message deleted", "message deleted"), bodies(browser));
        assertTrue(
            row(browser, "the plan for today")
                .findElement(By.cssSelector(".edited"))
                .isDisplayed());
        assertEquals(
            "2 replies",
            textOf(browser, row(browser, "the plan for today"), ".thread-summary .reply-count"));
        assertEquals(
            1,
            row(browser, "the plan for today")
                .findElements(By.cssSelector(".reaction:not(.add)"))
                .size());
      }
      awaitReaction(ada, "the plan for today", "👍", "1", true);
      awaitReaction(bob, "the plan for today", "👍", "1", false);
      ada.screenshot("actions-after-reload");

      // A phone: the thread opens over the room, and closes back to it.
      ada.resize(390, 844);
      row(ada, "the plan for today").findElement(By.cssSelector(".thread-summary")).click();
      ada.await("the thread on a phone", driver -> threadBodies(ada).size() == 3);
      assertTrue(
          ((Number)
                      ada.script(
                          "return document.getElementById('thread').getBoundingClientRect().width"))
                  .intValue()
              >= 380,
          "the thread covers the room");
      assertTrue(
          ((Number) ada.script("return document.documentElement.scrollWidth")).intValue() <= 390);
      ada.screenshot("actions-thread-phone");
      ada.find("#thread-close").click();
      assertFalse(ada.find("#thread").isDisplayed());
      ada.screenshot("actions-room-phone");
    }
  }

  @Test
  void everyActionWorksFromTheKeyboard() throws Exception {
    try (Browser ada = new Browser(1280, 900);
        Browser bob = new Browser(1280, 900)) {
      bob.open(site + "register.xhtml");
      String bobName = register(bob, "Bob Keys");
      ada.open(site + "register.xhtml");
      register(ada, "Ada Keys");
      String roomName = createRoom(ada, "keys");
      joinPublicRoom(bob, roomName);
      awaitConnected(bob);
      ada.driver.navigate().refresh(); // Bob among the members the page knows
      awaitConnected(ada);

      WebElement input = ada.find("#message-text");
      input.sendKeys("first draft", Keys.ENTER);
      awaitShown(ada, "first draft");

      // Up arrow in the empty box edits the last message; Esc cancels, Enter saves.
      input.sendKeys(Keys.ARROW_UP);
      ada.await("the editor", driver -> activeMatches(ada, "textarea.edit-text"));
      active(ada).sendKeys(" never saved", Keys.ESCAPE);
      ada.await("the editor closed", driver -> ada.all("#messages textarea.edit-text").isEmpty());
      assertEquals(List.of("first draft"), bodies(ada));
      input.sendKeys(Keys.ARROW_UP);
      ada.await("the editor again", driver -> activeMatches(ada, "textarea.edit-text"));
      active(ada).sendKeys(Keys.chord(Keys.CONTROL, "a"), "final text", Keys.ENTER);
      awaitShown(bob, "final text");
      assertTrue(row(bob, "final text").findElement(By.cssSelector(".edited")).isDisplayed());

      // Tab to the message's actions; react with a :shortcode: typed in the picker.
      focusRow(ada, "final text");
      tabToKey(ada, "react");
      active(ada).sendKeys(Keys.ENTER);
      ada.await(
          "the picker's field", driver -> "emoji-search".equals(active(ada).getAttribute("id")));
      active(ada).sendKeys(":tada:", Keys.ENTER);
      awaitReaction(bob, "final text", "🎉", "1", false);
      awaitReaction(ada, "final text", "🎉", "1", true);
      ada.screenshot("actions-keyboard-reacted");
      // Space on the chip takes it back.
      focusRow(ada, "final text");
      tabToKey(ada, "reaction:🎉");
      active(ada).sendKeys(Keys.SPACE);
      bob.await(
          "the reaction gone",
          driver -> row(bob, "final text").findElements(By.cssSelector(".reaction")).isEmpty());

      // Reply in a thread: Enter on the action, type, Enter; Esc closes the thread.
      focusRow(ada, "final text");
      tabToKey(ada, "reply");
      active(ada).sendKeys(Keys.ENTER);
      ada.await("the thread's box", driver -> "thread-text".equals(active(ada).getAttribute("id")));
      active(ada).sendKeys("a reply by keyboard", Keys.ENTER);
      ada.await("the reply", driver -> threadBodies(ada).contains("a reply by keyboard"));
      bob.await(
          "the count, live",
          driver -> textOf(bob, row(bob, "final text"), ".thread-summary").startsWith("1 reply"));
      active(ada).sendKeys(Keys.ESCAPE);
      ada.await("the thread closed", driver -> !ada.find("#thread").isDisplayed());

      // @ offers the room's members: arrows and Enter pick one; Esc closes the list.
      input.sendKeys("hey @" + bobName.substring(0, 5));
      ada.await(
          "the mention list", ExpectedConditions.visibilityOfElementLocated(By.id("mention-list")));
      assertTrue(ada.find("#mention-list").getText().contains("Bob Keys"));
      ada.screenshot("actions-mention-list");
      input.sendKeys(Keys.ESCAPE);
      assertFalse(ada.find("#mention-list").isDisplayed());
      input.sendKeys(Keys.BACK_SPACE);
      ada.await(
          "the mention list again",
          ExpectedConditions.visibilityOfElementLocated(By.id("mention-list")));
      input.sendKeys(Keys.ENTER);
      assertEquals("hey @" + bobName + " ", input.getAttribute("value"));
      input.sendKeys("look at this", Keys.ENTER);
      awaitShown(bob, "hey @" + bobName + " look at this");
      WebElement mentioned = row(bob, "hey @" + bobName + " look at this");
      assertTrue(mentioned.getAttribute("class").contains("mentions-me"), "highlighted for Bob");
      assertEquals(1, mentioned.findElements(By.cssSelector(".body span.mention.me")).size());
      bob.screenshot("actions-mentioned");

      // Elsewhere, Bob's room list counts the mentions he has not read yet.
      bob.open(site + "rooms.xhtml");
      send(ada, "@" + bobName + " are you there?");
      awaitShown(ada, "@" + bobName + " are you there?");
      bob.driver.navigate().refresh();
      List<WebElement> badge =
          bob.find("#my-rooms")
              .findElement(By.partialLinkText(roomName))
              .findElements(By.cssSelector(".mentions-badge"));
      assertEquals(1, badge.size(), "a mention badge");
      assertEquals("@1", badge.get(0).getText());
      bob.screenshot("actions-mention-badge");
      bob.find("#my-rooms").findElement(By.partialLinkText(roomName)).click();
      awaitConnected(bob);

      // Delete: Enter on the action, Tab from Cancel to Delete, Enter.
      focusRow(ada, "final text");
      tabToKey(ada, "delete");
      active(ada).sendKeys(Keys.ENTER);
      ada.await(
          "the confirmation",
          ExpectedConditions.visibilityOfElementLocated(By.id("confirm-delete")));
      assertEquals("cancel", active(ada).getAttribute("value"), "Cancel has the focus first");
      active(ada).sendKeys(Keys.TAB);
      active(ada).sendKeys(Keys.ENTER);
      awaitTombstones(bob, 1);
      // The thread stays anchored to the tombstone.
      assertEquals(
          "1 reply", textOf(bob, row(bob, "message deleted"), ".thread-summary .reply-count"));
    }
  }

  @Test
  void anEditMadeOfflineIsSavedOnceWhenTheNetworkIsBack() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site + "register.xhtml");
      register(browser, "Offline Editor");
      createRoom(browser, "offline-edit");
      awaitConnected(browser);
      long room = Long.parseLong(browser.find("#chat").getAttribute("data-room"));
      send(browser, "before");
      awaitShown(browser, "before");

      ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
      offline.setOffline(true);
      browser.driver.setNetworkConditions(offline);
      browser.script("window.dispatchEvent(new Event('offline'))");
      browser.await(
          "offline",
          ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "offline"));
      browser.find("#message-text").sendKeys(Keys.ARROW_UP);
      browser.await("the editor", driver -> activeMatches(browser, "textarea.edit-text"));
      active(browser).sendKeys(Keys.chord(Keys.CONTROL, "a"), "after", Keys.ENTER);
      browser.await(
          "waiting, said beside the message",
          driver -> textOf(browser, row(browser, "before"), ".action-status").equals("saving…"));
      browser.screenshot("actions-edit-waiting");

      browser.driver.deleteNetworkConditions();
      browser.script("window.dispatchEvent(new Event('online'))");
      awaitShown(browser, "after");
      browser.await(
          "the status gone",
          driver -> textOf(browser, row(browser, "after"), ".action-status").isEmpty());

      // The room's stream holds the edit once.
      String cookie =
          "JSESSIONID=" + browser.driver.manage().getCookieNamed("JSESSIONID").getValue();
      String token = JsonBodies.parse(postToken(cookie)).getString("access_token");
      try (ChatClient client = ChatClient.connect(system.webSocket(), token)) {
        client.subscribe(room, 0);
        List<Frame> edits = new ArrayList<>();
        Frame subscribed =
            client.await(
                frame -> {
                  if ("edited".equals(frame.type())) {
                    edits.add(frame);
                  }
                  return "subscribed".equals(frame.type());
                });
        assertEquals(1, edits.size(), "one edit stored: " + edits);
        assertEquals(2L, subscribed.number("last_seq"), "the message and its edit");
      }
    }
  }

  /**
   * A message posted through the public API (as a script, a CI job, a webhook or a bot would) is
   * stored by chatfront, not chatserv, yet reaches every open chat screen of the room live within a
   * few seconds, with no later message needed to reveal it, and between messages sent from chat
   * screens each entry arrives once, in seq order (chatserv follows chatfront's feed of stores made
   * outside it: docs/api.md, "Posting").
   */
  @Test
  void aMessagePostedThroughTheApiArrivesLiveOnceAndInSeqOrderBetweenSocketMessages()
      throws Exception {
    Person ada = system.person();
    Person bob = system.person();
    long room = system.privateRoom("live-api", List.of(ada.subject(), bob.subject()));
    String adasToken = personalToken(ada);
    try (ChatClient a = ChatClient.connect(system.webSocket(), ada.token());
        ChatClient b = ChatClient.connect(system.webSocket(), bob.token())) {
      for (ChatClient follower : List.of(a, b)) {
        follower.subscribe(room, 0);
        follower.await(ChatClient.type("subscribed"));
      }
      List<Long> atAda = new ArrayList<>();
      List<Long> atBob = new ArrayList<>();

      a.sendMessage(room, "screen-1", "from Ada's chat screen");
      assertEquals(1, awaitEntry(a, atAda, 1).number("seq"));
      awaitEntry(b, atBob, 1);

      long posted = System.nanoTime();
      HttpResponse<String> post = postThroughApi(adasToken, room, "api-2", "from a CI job");
      assertEquals(201, post.statusCode(), post.body());
      assertEquals(2, JsonBodies.parse(post.body()).getJsonNumber("seq").longValue());
      Frame atBobLive = awaitEntry(b, atBob, 2);
      long millis = (System.nanoTime() - posted) / 1_000_000;
      assertTrue(millis < 5_000, "the API post came " + millis + " ms after it was stored");
      assertEquals("from a CI job", atBobLive.string("body"));
      assertEquals(ada.subject(), atBobLive.string("sender"));
      awaitEntry(a, atAda, 2); // the poster's own open screen too

      b.sendMessage(room, "screen-3", "from Bob's chat screen");
      awaitEntry(a, atAda, 3);
      awaitEntry(b, atBob, 3);

      // A resend of the post stores nothing new and sends nothing again.
      assertEquals(
          200, postThroughApi(adasToken, room, "api-2", "from a CI job").statusCode(), "a resend");
      Thread.sleep(2_000); // anything sent twice would have come by now
      drainEntries(a, atAda);
      drainEntries(b, atBob);
      assertEquals(List.of(1L, 2L, 3L), atAda, "each entry once, in seq order, at Ada's");
      assertEquals(List.of(1L, 2L, 3L), atBob, "each entry once, in seq order, at Bob's");
    }
  }

  /**
   * Incoming webhooks (docs/api.md): a room's owner makes one in the members panel and copies its
   * URL; a tool posts through it three times with the same Idempotency-Key (a CI retry) and once
   * more; the open room page shows the first post live exactly once, then the other.
   */
  @Test
  void aWebhookPostArrivesLiveOnceUnderResendsInTheOwnersRoomPage() throws Exception {
    try (Browser ada = new Browser(1280, 900)) {
      ada.open(site + "register.xhtml");
      register(ada, "Ada");
      createRoom(ada, "hooks");
      awaitConnected(ada);

      ada.find("#webhooks > summary").click();
      ada.await("the empty list", driver -> ada.all("#webhook-list li").size() == 1);
      ada.find("#webhook-name").sendKeys("Deploys");
      ada.find("#webhook-form button[type=submit]").click();
      ada.await(
          "the new webhook's URL",
          ExpectedConditions.visibilityOfElementLocated(By.id("webhook-made")));
      String url = ada.find("#webhook-url").getAttribute("value");
      assertTrue(
          url.matches("http://localhost:[0-9]+/api/v1/hooks/[0-9]+/whk_[A-Za-z0-9_-]{43}"), url);
      system.secrets.add(url.substring(url.lastIndexOf('/') + 1));
      ada.await(
          "Deploys listed",
          driver -> ada.find("#webhook-list .webhook-name").getText().equals("Deploys"));
      ada.screenshot("webhooks-settings-1280");

      for (int i = 0; i < 3; i++) {
        HttpResponse<String> post =
            postThroughWebhook(url, "deploy-42-1", "{\"text\":\"Deployed **v2**\"}");
        assertEquals(i == 0 ? 201 : 200, post.statusCode(), post.body());
      }
      assertEquals(
          201,
          postThroughWebhook(
                  url, "deploy-43-1", "{\"text\":\"Rolled back\",\"username\":\"GitHub\"}")
              .statusCode());
      awaitShown(ada, "Rolled back");
      Thread.sleep(2_000); // anything sent twice would have come by now
      List<String> shown =
          bodies(ada).stream()
              .filter(body -> body.equals("Deployed v2") || body.equals("Rolled back"))
              .toList();
      assertEquals(List.of("Deployed v2", "Rolled back"), shown, "each post once, in order");
      assertEquals(
          "v2",
          row(ada, "Deployed v2").findElement(By.cssSelector(".body strong")).getText(),
          "Markdown, as every message");
      // Shown under the webhook's name, or the username the post gives, marked "via webhook".
      WebElement deployed = row(ada, "Deployed v2");
      assertEquals("Deploys", deployed.findElement(By.cssSelector(".sender")).getText());
      assertEquals("via webhook", deployed.findElement(By.cssSelector(".webhook-badge")).getText());
      WebElement rolledBack = row(ada, "Rolled back");
      assertEquals("GitHub", rolledBack.findElement(By.cssSelector(".sender")).getText());
      assertEquals(
          "via webhook", rolledBack.findElement(By.cssSelector(".webhook-badge")).getText());
      ada.screenshot("webhooks-timeline-1280");

      ada.resize(390, 844);
      ada.screenshot("webhooks-timeline-390");
      ada.find("#members-open").click();
      ada.await(
          "the members drawer",
          ExpectedConditions.visibilityOfElementLocated(By.id("webhook-list")));
      ada.screenshot("webhooks-settings-390");

      // Revoked from the page: the URL is refused from then on.
      ada.script("window.confirm = () => true;");
      ada.find("#webhook-list .webhook-revoke").click();
      ada.await("revoked", driver -> !ada.all("#webhook-list li.revoked").isEmpty());
      assertEquals(
          404, postThroughWebhook(url, "deploy-44-1", "{\"text\":\"too late\"}").statusCode());
    }
  }

  /** {@code POST /api/v1/hooks/{id}/{secret}} with this JSON, as a CI job posts. */
  private static HttpResponse<String> postThroughWebhook(
      String url, String idempotencyKey, String json) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The next entry frames up to the one with this seq, each seq recorded as it comes. */
  private static Frame awaitEntry(ChatClient client, List<Long> seen, long seq) throws Exception {
    return client.await(
        frame -> {
          if (!frame.json().containsKey("seq") || "ack".equals(frame.type())) {
            return false;
          }
          seen.add(frame.number("seq"));
          return frame.number("seq") == seq;
        });
  }

  /** Records the seq of every entry frame already received. */
  private static void drainEntries(ChatClient client, List<Long> seen) {
    for (Frame frame = client.frames().poll(); frame != null; frame = client.frames().poll()) {
      if (frame.json().containsKey("seq") && !"ack".equals(frame.type())) {
        seen.add(frame.number("seq"));
      }
    }
  }

  /** A personal access token (read, write) made as the profile page makes one, at auth. */
  private static String personalToken(Person person) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + system.authPort + "/auth/accounts/me/personal-tokens"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"refresh_token\":\""
                        + person.refreshToken()
                        + "\",\"name\":\"ci\",\"scopes\":[\"read\",\"write\"],"
                        + "\"expires_in_days\":7}"))
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<String> made = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(201, made.statusCode(), "a personal token: " + made.statusCode());
    String token = JsonBodies.parse(made.body()).getString("token");
    system.secrets.add(token);
    return token;
  }

  /** {@code POST /api/v1/rooms/{room}/messages}, as a script posts. */
  private static HttpResponse<String> postThroughApi(
      String token, long room, String idempotencyKey, String text) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(site + "api/v1/rooms/" + room + "/messages"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}"))
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * An owner archives a room from the chat screen (issue 20): the title carries the Archived mark
   * and the composer is disabled with its sentence, on a desktop and a phone; unarchived, the room
   * takes messages again.
   */
  @Test
  void anOwnerArchivesARoomAndItsComposerIsDisabledWithItsSentence() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site + "register.xhtml");
      register(browser, "Archivist");
      createRoom(browser, "archive");
      awaitConnected(browser);
      send(browser, "the last word before the archive");
      awaitShown(browser, "the last word before the archive");
      assertFalse(browser.find("#room-archived").isDisplayed());

      browser.find("#archive input[type=submit]").click();
      browser.await("the room archived", driver -> browser.find("#room-archived").isDisplayed());
      awaitShown(browser, "the last word before the archive");
      assertEquals("Archived", browser.find("#room-archived").getText());
      assertFalse(browser.find("#message-text").isEnabled(), "the composer is disabled");
      assertFalse(browser.find("#send").isEnabled());
      assertTrue(browser.find("#archived-note").isDisplayed());
      assertTrue(
          browser.find("#archived-note").getText().contains("no one can post in it"),
          browser.find("#archived-note").getText());
      assertEquals(
          "Unarchive room", browser.find("#archive input[type=submit]").getAttribute("value"));
      assertFalse(browser.find("#invite").isDisplayed(), "no invitations into an archived room");
      browser.screenshot("actions-archived");
      browser.resize(390, 844);
      assertTrue(browser.find("#archived-note").isDisplayed());
      assertFalse(browser.find("#message-text").isEnabled());
      assertTrue(
          ((Number) browser.script("return document.documentElement.scrollWidth")).intValue()
              <= 390);
      browser.screenshot("actions-archived-phone");
      browser.resize(1280, 900);

      browser.find("#archive input[type=submit]").click();
      browser.await("the room unarchived", driver -> browser.find("#message-text").isEnabled());
      assertFalse(browser.find("#room-archived").isDisplayed());
      assertFalse(browser.find("#archived-note").isDisplayed());
      awaitConnected(browser);
      send(browser, "back in business");
      awaitShown(browser, "back in business");
    }
  }

  @Test
  void markdownIsFormattedAndHostileMarkdownStaysText() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(site + "register.xhtml");
      register(browser, "Formatter");
      createRoom(browser, "markdown");
      awaitConnected(browser);

      send(browser, "**bold** _italic_ ~~gone~~ `inline code` and https://example.org/docs");
      send(browser, "```\nfor (int i = 0; i < 3; i++) {\n  print(i);\n}\n```");
      send(browser, "> a quote\n\n- one\n- two");
      browser.await("formatted", driver -> browser.all("#messages .body li").size() == 2);
      assertEquals("bold", browser.find("#messages .body strong").getText());
      assertEquals("italic", browser.find("#messages .body em").getText());
      assertEquals("gone", browser.find("#messages .body del").getText());
      WebElement link = browser.find("#messages .body a");
      assertEquals("https://example.org/docs", link.getAttribute("href"));
      assertEquals("_blank", link.getAttribute("target"));
      assertTrue(link.getAttribute("rel").contains("noopener"));
      WebElement block = browser.find("#messages .body pre code");
      assertEquals(
          "for (int i = 0; i < 3; i++) {\n  print(i);\n}", block.getAttribute("textContent"));
      assertTrue(block.getCssValue("font-family").contains("monospace"), "code in monospace");
      assertFalse(bodies(browser).get(1).contains("```"), "no fences shown");
      assertEquals("a quote", browser.find("#messages .body blockquote").getText());
      browser.screenshot("actions-markdown");

      // Each payload with what must show of it; none may run, make an element or a javascript:
      // link.
      Map<String, String> hostile = new java.util.LinkedHashMap<>();
      hostile.put("[x](javascript:alert(1))", "x");
      hostile.put("[y](JaVaScRiPt:window.xssFired=1)", "y");
      hostile.put("![](x onerror=alert(1))", "![](x onerror=alert(1))");
      hostile.put("![a](javascript:alert(1))", "a");
      hostile.put("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>");
      hostile.put("```\n<img src=x onerror=alert(1)>\n```", "<img src=x onerror=alert(1)>");
      hostile.put("`<script>window.xssFired=2</script>`", "<script>window.xssFired=2</script>");
      hostile.put("[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "d");
      hostile.put(
          "<a href=\"data:text/html,<script>alert(1)</script>\">d2</a>",
          "<a href=\"data:text/html,<script>alert(1)</script>\">d2</a>");
      hostile.put(
          "<span class=\"mention\" data-user=\"x\" onclick=\"alert(1)\">@x</span>",
          "<span class=\"mention\" data-user=\"x\" onclick=\"alert(1)\">@x</span>");
      for (String payload : hostile.keySet()) {
        send(browser, payload);
      }
      // An emphasis bomb: rendered in bounded time (CommonMark pairs the stars as emphasis), the
      // page stays responsive; only its brackets remain as text.
      String bomb = "*[".repeat(2000);
      send(browser, bomb);
      browser.await("all shown", driver -> bodies(browser).size() == 3 + hostile.size() + 1);
      assertShownAsText(browser, hostile, "live");
      assertBomb(browser, "live");
      browser.driver.navigate().refresh();
      awaitConnected(browser);
      browser.await("all shown again", driver -> bodies(browser).size() == 3 + hostile.size() + 1);
      assertShownAsText(browser, hostile, "after a reload");
      assertBomb(browser, "after a reload");
      browser.screenshot("actions-hostile-markdown");
    }
  }

  // ---- checks

  private static void assertBomb(Browser browser, String how) {
    String shown = bodies(browser).get(bodies(browser).size() - 1);
    assertEquals("[".repeat(2000), shown.replace("*", ""), "the bomb's text (" + how + ")");
  }

  private static void assertShownAsText(Browser browser, Map<String, String> hostile, String how) {
    assertNull(browser.script("return window.xssFired"), "no script ran (" + how + ")");
    assertEquals(List.of(), browser.script(ALLOWLIST_CHECK), "only allowed elements (" + how + ")");
    assertEquals(
        0L,
        browser.script(
            "return document.querySelectorAll('#messages img, #messages script, #messages iframe,"
                + " [onerror], [onclick], a[href^=javascript], a[href^=data], a[href=\"\"]').length"),
        "no image, script, handler or bad link (" + how + ")");
    List<String> shown = bodies(browser);
    List<String> expected = new ArrayList<>(hostile.values());
    assertEquals(
        expected, shown.subList(3, 3 + expected.size()), "exactly this text (" + how + ")");
  }

  // ---- steps

  private static String register(Browser browser, String displayName) {
    String username = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String password = "Pw-" + UUID.randomUUID();
    browser.await("the registration form", ExpectedConditions.urlContains("register.xhtml"));
    browser.fill("register:username", username);
    browser.fill("register:displayName", displayName);
    browser.fill("register:password", password);
    browser.fill("register:passwordAgain", password);
    browser.click("register:submit");
    browser.await("the rooms page", ExpectedConditions.urlContains("rooms.xhtml"));
    return username;
  }

  private static String createRoom(Browser browser, String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    browser.open(site + "rooms.xhtml");
    browser.fill("create:name", name);
    browser.click("create:visibility:0");
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
    browser.script("arguments[0].value = arguments[1]", input, text);
    input.sendKeys(Keys.ENTER);
  }

  /** Waits until a stored message of the room's list shows exactly this text. */
  private static void awaitShown(Browser browser, String text) {
    browser.await("shown: " + text, driver -> bodies(browser).contains(text));
  }

  private static void awaitTombstones(Browser browser, int count) {
    browser.await(
        count + " tombstones",
        driver -> browser.all("#messages li.message.deleted .body.tombstone").size() == count);
  }

  private static void awaitReaction(
      Browser browser, String message, String emoji, String count, boolean mine) {
    // Read in one script: a chip is made anew whenever its message changes.
    browser.await(
        emoji + " " + count + (mine ? " (mine)" : "") + " on " + message,
        driver ->
            (count + " " + mine)
                .equals(
                    browser.script(
                        "const row = Array.from(document.querySelectorAll('#messages > li.message'))"
                            + ".reverse().find(li => li.querySelector('.body').textContent"
                            + " === arguments[0]);"
                            + "const chip = row && Array.from(row.querySelectorAll('.reaction'))"
                            + ".find(c => c.dataset.key === 'reaction:' + arguments[1]);"
                            + "return chip ? chip.querySelector('.count').textContent + ' '"
                            + " + chip.getAttribute('aria-pressed') : null;",
                        message,
                        emoji)));
  }

  private static WebElement chip(Browser browser, String message, String emoji) {
    return chips(browser, message, emoji).get(0);
  }

  private static List<WebElement> chips(Browser browser, String message, String emoji) {
    return row(browser, message)
        .findElements(By.cssSelector(".reaction[data-key='reaction:" + emoji + "']"));
  }

  @SuppressWarnings("unchecked")
  private static List<String> bodies(Browser browser) {
    return (List<String>)
        browser.script(
            "return Array.from(document.querySelectorAll('#messages > li.message .body'),"
                + " b => b.textContent)");
  }

  @SuppressWarnings("unchecked")
  private static List<String> threadBodies(Browser browser) {
    return (List<String>)
        browser.script(
            "return Array.from(document.querySelectorAll('#thread-messages > li.message .body'),"
                + " b => b.textContent)");
  }

  /** The room's row whose text is exactly this (the newest, if several). */
  private static WebElement row(Browser browser, String text) {
    WebElement found =
        (WebElement)
            browser.script(
                "return Array.from(document.querySelectorAll('#messages > li.message'))"
                    + ".reverse().find(li => li.querySelector('.body').textContent === arguments[0])",
                text);
    if (found == null) {
      throw new AssertionError("no message " + text + " in " + bodies(browser));
    }
    return found;
  }

  private static String textOf(Browser browser, WebElement row, String css) {
    List<WebElement> found = row.findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getAttribute("textContent").trim();
  }

  private static List<String> actionKeys(WebElement row) {
    List<String> keys = new ArrayList<>();
    for (WebElement action : row.findElements(By.cssSelector(".actions button"))) {
      keys.add(action.getAttribute("data-key"));
    }
    return keys;
  }

  /** Points at a message (its actions appear) and clicks one of them. */
  private static void hoverAndClick(Browser browser, WebElement row, String key) {
    new Actions(browser.driver).moveToElement(row).perform();
    WebElement action = row.findElement(By.cssSelector(".actions button[data-key='" + key + "']"));
    browser.await("the " + key + " action", ExpectedConditions.elementToBeClickable(action));
    action.click();
  }

  private static WebElement active(Browser browser) {
    return browser.driver.switchTo().activeElement();
  }

  /**
   * From the message box, Shift+Tab back into the conversation, then the arrows to the message with
   * this text: keys only, as someone without a mouse does it.
   */
  private static void focusRow(Browser browser, String text) {
    browser.find("#message-text").sendKeys("");
    for (int i = 0; i < 12 && !isRowOrTimeline(browser); i++) {
      active(browser).sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
    }
    if (activeMatches(browser, "#timeline")) {
      active(browser).sendKeys(Keys.TAB);
    }
    while (!activeMatches(browser, "#messages > li.message")) {
      active(browser).sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
    }
    String wanted = row(browser, text).getAttribute("data-id");
    for (int i = 0; i < 60 && !wanted.equals(active(browser).getAttribute("data-id")); i++) {
      active(browser).sendKeys(Keys.ARROW_UP);
    }
    assertEquals(wanted, active(browser).getAttribute("data-id"), "the row by arrows");
  }

  private static boolean isRowOrTimeline(Browser browser) {
    return activeMatches(browser, "#messages > li.message, #timeline");
  }

  private static boolean activeMatches(Browser browser, String css) {
    return Boolean.TRUE.equals(
        browser.script("return document.activeElement.matches(arguments[0])", css));
  }

  /** Tab forward until the control with this key (an action, a reaction chip) has the focus. */
  private static void tabToKey(Browser browser, String key) {
    for (int i = 0; i < 12 && !key.equals(active(browser).getAttribute("data-key")); i++) {
      active(browser).sendKeys(Keys.TAB);
    }
    assertEquals(key, active(browser).getAttribute("data-key"), "Tab reaches " + key);
  }

  private static String postToken(String cookie) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(site + "session/token"))
            .header("Cookie", cookie)
            .header("X-Chat-Request", "1")
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
