package teamchat.chatserv.protocol.entity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import teamchat.contract.messages.AttachedFile;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.MessageState;
import teamchat.contract.messages.StoredMessage;

class ServerFrameTest {

  private static final Instant TIME = Instant.ofEpochMilli(1000);

  @Test
  void aMessageBodyTravelsAsAJsonStringWhateverItHolds() {
    String body = "</script><script>alert(\"x\")</script> \\ \u2028 {\"type\":\"ack\"}";
    String frame =
        new ServerFrame.Message(
                StoredMessage.message(
                    7, 3, 12, "sub-1", "c-1", body, null, Instant.ofEpochMilli(1000)))
            .encode()
            .text();
    JsonObject parsed = Json.createReader(new StringReader(frame)).readObject();
    assertEquals("message", parsed.getString("type"));
    assertEquals(body, parsed.getString("body"), "the body comes back exactly");
    assertEquals(12, parsed.getInt("seq"));
    assertEquals(1000, parsed.getJsonNumber("time").longValue());
    assertFalse(frame.contains("\"type\":\"ack\""), "the body cannot forge a field");
  }

  @Test
  void aPlainLiveMessageCarriesItsHtmlAndNothingItDoesNotHave() {
    JsonObject message =
        parse(
            ServerFrame.entry(
                StoredMessage.message(
                    7, 3, 12, "sub-1", "c-1", "**hi**", "<p><strong>hi</strong></p>", TIME)));
    assertEquals("message", message.getString("type"));
    assertEquals("<p><strong>hi</strong></p>", message.getString("html"));
    assertEquals("**hi**", message.getString("body"));
    assertEquals(
        Set.of("type", "room", "seq", "id", "sender", "client_msg_id", "time", "body", "html"),
        message.keySet(),
        "no parent, mentions or state fields on a plain live message");
  }

  @Test
  void aWebhooksPostCarriesTheNameItIsShownUnder() {
    StoredMessage plain =
        StoredMessage.message(
            7, 3, 12, "sub-1", "hook.4.run-1", "Deployed", "<p>Deployed</p>", TIME);
    StoredMessage throughWebhook =
        new StoredMessage(
            plain.id(),
            plain.room(),
            plain.seq(),
            plain.sender(),
            plain.clientMsgId(),
            plain.kind(),
            plain.body(),
            plain.html(),
            plain.time(),
            null,
            null,
            null,
            List.of(),
            false,
            null,
            List.of(),
            "GitHub <b>");
    JsonObject message = parse(ServerFrame.entry(throughWebhook));
    assertEquals("GitHub <b>", message.getString("webhook"), "as a JSON string, never markup");
    assertEquals("sub-1", message.getString("sender"), "the person who made the webhook");
  }

  @Test
  void aMessageWithFilesCarriesThemAndImagesTheirSize() {
    AttachedFile image = new AttachedFile("id-1", "shot.png", 2048, "image/png", 640, 480);
    AttachedFile log = new AttachedFile("id-2", "build.log", 99, "text/x-log", null, null);
    StoredMessage stored =
        new StoredMessage(
            7,
            3,
            12,
            "sub-1",
            "c-1",
            EntryKind.MESSAGE,
            "",
            "",
            TIME,
            null,
            null,
            null,
            List.of(),
            false,
            null,
            List.of(image, log));
    JsonObject message = parse(ServerFrame.entry(stored));
    JsonArray files = message.getJsonArray("files");
    assertEquals(2, files.size());
    JsonObject first = files.getJsonObject(0);
    assertEquals("id-1", first.getString("id"));
    assertEquals("shot.png", first.getString("name"));
    assertEquals(2048, first.getInt("size"));
    assertEquals("image/png", first.getString("type"));
    assertEquals(640, first.getInt("width"));
    assertEquals(480, first.getInt("height"));
    assertEquals(
        Set.of("id", "name", "size", "type"), files.getJsonObject(1).keySet(), "no size: no image");
    assertEquals("", message.getString("body"), "a message of files only has an empty body");
  }

  @Test
  void aReplyNamesItsParentAndAMentionItsPeople() {
    JsonObject reply =
        parse(
            ServerFrame.entry(
                new StoredMessage(
                    8,
                    3,
                    13,
                    "sub-1",
                    "c-2",
                    EntryKind.MESSAGE,
                    "@bob @room",
                    "<p>…</p>",
                    TIME,
                    null,
                    7L,
                    null,
                    List.of("sub-2"),
                    true,
                    null)));
    assertEquals(7, reply.getInt("parent"));
    assertEquals(List.of("sub-2"), strings(reply.getJsonArray("mentions")));
    assertTrue(reply.getBoolean("mentions_room"));
  }

  @Test
  void aReplayedMessageCarriesWhatBecameOfIt() {
    MessageState state =
        new MessageState(
            Instant.ofEpochMilli(5000),
            false,
            List.of(new MessageState.Reaction("👍", List.of("sub-2", "sub-3"))),
            2,
            List.of("sub-3", "sub-2"));
    JsonObject message = parse(ServerFrame.entry(withState("edited", "<p>edited</p>", state), 30));
    assertEquals(30, message.getInt("state_seq"), "the state is as of seq 30 of the room");
    assertEquals(5000, message.getJsonNumber("edited_at").longValue());
    assertFalse(message.containsKey("deleted"));
    JsonObject reaction = message.getJsonArray("reactions").getJsonObject(0);
    assertEquals("👍", reaction.getString("emoji"));
    assertEquals(List.of("sub-2", "sub-3"), strings(reaction.getJsonArray("users")));
    assertEquals(2, message.getInt("reply_count"));
    assertEquals(List.of("sub-3", "sub-2"), strings(message.getJsonArray("repliers")));

    JsonObject untouched =
        parse(
            ServerFrame.entry(
                withState(
                    "x", "<p>x</p>", new MessageState(null, false, List.of(), 0, List.of()))));
    for (String field : List.of("edited_at", "deleted", "reactions", "reply_count", "repliers")) {
      assertFalse(untouched.containsKey(field), field + " says nothing here");
    }
  }

  @Test
  void aDeletedMessageIsATombstoneWithoutText() {
    JsonObject tombstone =
        parse(
            ServerFrame.entry(
                withState(null, null, new MessageState(null, true, List.of(), 1, List.of("s")))));
    assertEquals("message", tombstone.getString("type"));
    assertTrue(tombstone.getBoolean("deleted"));
    assertFalse(tombstone.containsKey("body"));
    assertFalse(tombstone.containsKey("html"));
    assertEquals(12, tombstone.getInt("seq"), "it keeps its place in the room");
    assertEquals(1, tombstone.getInt("reply_count"), "and its thread");
  }

  @Test
  void eachKindOfChangeHasItsFrame() {
    JsonObject edited =
        parse(ServerFrame.entry(change(EntryKind.EDIT, "new", "<p>new</p>", null, List.of("s-9"))));
    assertEquals("edited", edited.getString("type"));
    assertEquals(9001, edited.getInt("target"));
    assertEquals("new", edited.getString("body"));
    assertEquals("<p>new</p>", edited.getString("html"));
    assertEquals(List.of("s-9"), strings(edited.getJsonArray("mentions")));
    assertEquals(20, edited.getInt("seq"));
    assertEquals("c-20", edited.getString("client_msg_id"));

    JsonObject editOfDeleted =
        parse(ServerFrame.entry(change(EntryKind.EDIT, null, null, null, List.of())));
    assertFalse(editOfDeleted.containsKey("body"), "deleted text is never served again");
    assertFalse(editOfDeleted.containsKey("html"));
    assertFalse(editOfDeleted.containsKey("mentions"));

    JsonObject deleted =
        parse(ServerFrame.entry(change(EntryKind.DELETE, null, null, null, List.of())));
    assertEquals("deleted", deleted.getString("type"));
    assertEquals(9001, deleted.getInt("target"));

    JsonObject added =
        parse(ServerFrame.entry(change(EntryKind.REACT, null, null, "👍", List.of())));
    assertEquals("reaction", added.getString("type"));
    assertEquals("👍", added.getString("emoji"));
    assertTrue(added.getBoolean("on"));
    JsonObject removed =
        parse(ServerFrame.entry(change(EntryKind.UNREACT, null, null, ":tada:", List.of())));
    assertEquals("reaction", removed.getString("type"));
    assertFalse(removed.getBoolean("on"));

    for (JsonObject frame : List.of(edited, deleted, added, removed)) {
      for (String field : List.of("room", "seq", "id", "sender", "client_msg_id", "time")) {
        assertTrue(frame.containsKey(field), frame.getString("type") + " carries " + field);
      }
    }
  }

  /** Clients ignore types they do not know and still count the seq (docs/protocol.md). */
  @Test
  void anEntryOfAKindThisServerDoesNotKnowStillTakesItsSeq() {
    JsonObject other = parse(ServerFrame.entry(change("pin", null, null, null, List.of())));
    assertEquals("entry", other.getString("type"));
    assertEquals("pin", other.getString("kind"));
    assertEquals(20, other.getInt("seq"));
  }

  private static StoredMessage withState(String body, String html, MessageState state) {
    return new StoredMessage(
        7,
        3,
        12,
        "sub-1",
        "c-1",
        EntryKind.MESSAGE,
        body,
        html,
        TIME,
        null,
        null,
        null,
        List.of(),
        false,
        state);
  }

  private static StoredMessage change(
      String kind, String body, String html, String emoji, List<String> mentions) {
    return new StoredMessage(
        40, 3, 20, "sub-1", "c-20", kind, body, html, TIME, 9001L, null, emoji, mentions, false,
        null);
  }

  private static List<String> strings(JsonArray array) {
    return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }

  @Test
  void errorsSayWhetherToRetry() {
    JsonObject error = parse(ServerFrame.Error.of("not_stored", "later", true, "c-9", 4L));
    assertTrue(error.getBoolean("retry"));
    assertEquals("c-9", error.getString("client_msg_id"));
    assertEquals(4, error.getInt("room"));
    assertFalse(error.containsKey("retry_after_ms"));
  }

  /** One error shape: a rate limit is an error with retry and a wait, nothing else differs. */
  @Test
  void aRateLimitIsAnErrorThatSaysHowLongToWait() {
    JsonObject error = parse(ServerFrame.Error.rateLimited("c-1", 4, 250));
    assertEquals("error", error.getString("type"));
    assertEquals("rate_limited", error.getString("code"));
    assertTrue(error.getBoolean("retry"));
    assertEquals(250, error.getInt("retry_after_ms"));
    assertEquals("c-1", error.getString("client_msg_id"));
  }

  @Test
  void anErrorNamesNoRoomOrIdItWasNotGiven() {
    JsonObject error = parse(ServerFrame.Error.of("unknown_type", "Unknown.", false, null, null));
    assertFalse(error.containsKey("room"));
    assertFalse(error.containsKey("client_msg_id"));
    assertFalse(error.getBoolean("retry"));
  }

  @Test
  void theFirstAcceptedTokenIsWelcomedAndALaterOneReauthenticated() {
    ServerFrame.User ada = new ServerFrame.User("sub-1", "ada");
    assertEquals("welcome", parse(new ServerFrame.SignedIn(true, ada, 5)).getString("type"));
    JsonObject later = parse(new ServerFrame.SignedIn(false, ada, 6));
    assertEquals("reauthenticated", later.getString("type"));
    assertEquals("ada", later.getJsonObject("user").getString("name"));
    assertEquals(6, later.getInt("expires"));
  }

  @Test
  void helloNamesTheProtocolVersionAndTheSignInDeadline() {
    JsonObject hello = parse(new ServerFrame.Hello(1000, 5000));
    assertEquals(ServerFrame.PROTOCOL_VERSION, hello.getInt("protocol"));
    assertEquals(5000, hello.getInt("auth_timeout_ms"));
  }

  /**
   * Issue 18: the frame a message goes out in, made once for all its recipients, is what RFC 6455
   * says a server sends: FIN and opcode 1, no mask, the length of the UTF-8 bytes in 7, 7+16 or
   * 7+64 bits (network order), then those bytes.
   */
  @Test
  void theWireFrameIsOneWholeUnmaskedTextFrameOfTheUtf8Bytes() {
    assertFrame("", new byte[] {(byte) 0x81, 0});
    assertFrame("a".repeat(125), new byte[] {(byte) 0x81, 125});
    assertFrame("a".repeat(126), new byte[] {(byte) 0x81, 126, 0, 126});
    assertFrame("a".repeat(65_535), new byte[] {(byte) 0x81, 126, (byte) 0xFF, (byte) 0xFF});
    assertFrame("a".repeat(65_536), new byte[] {(byte) 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0});
    // 42 characters, 126 bytes: the length is the bytes'.
    assertFrame("\u20ac".repeat(42), new byte[] {(byte) 0x81, 126, 0, 126});
    assertFrame("\ud83d\ude00", new byte[] {(byte) 0x81, 4});
  }

  @Test
  void encodedFramesAreEqualByTheirTextAndShareOneWireFrame() {
    ServerFrame.Encoded frame = new ServerFrame.Encoded("{\"type\":\"ack\"}");
    assertEquals(new ServerFrame.Encoded("{\"type\":\"ack\"}"), frame);
    assertEquals(frame.wireFrame(), frame.wireFrame());
    assertTrue(frame.wireFrame().array() == frame.wireFrame().array(), "made once");
  }

  private static void assertFrame(String text, byte[] header) {
    ByteBuffer frame = new ServerFrame.Encoded(text).wireFrame();
    byte[] bytes = new byte[frame.remaining()];
    frame.get(bytes);
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    assertEquals(header.length + payload.length, bytes.length, "length of " + text.length());
    assertArrayEquals(header, Arrays.copyOfRange(bytes, 0, header.length));
    assertArrayEquals(payload, Arrays.copyOfRange(bytes, header.length, bytes.length));
  }

  private static JsonObject parse(ServerFrame frame) {
    return Json.createReader(new StringReader(frame.encode().text())).readObject();
  }
}
