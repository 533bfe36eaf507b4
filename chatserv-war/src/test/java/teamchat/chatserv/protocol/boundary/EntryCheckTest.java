package teamchat.chatserv.protocol.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.json.JsonObject;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import teamchat.chatserv.protocol.entity.ClientFrame;
import teamchat.contract.messages.EntryKind;
import teamchat.contract.messages.NewMessage;

/**
 * The frames that add an entry to a room, from the text a client sends to what the door makes of it
 * ({@link ClientFrameDecoder}, then {@link EntryCheck}): the entry chatfront is asked to store, or
 * the documented error code. Nothing the client leaves out or malforms is guessed.
 */
class EntryCheckTest {

  private static final Validator RULES = Validation.buildDefaultValidatorFactory().getValidator();

  @Test
  void aSendWithoutParentIsAPlainMessageAndWithParentAReply() {
    NewMessage plain =
        admitted("{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"c1\",\"body\":\"hi\"}");
    assertEquals(NewMessage.message("ada", 4L, "c1", "hi"), plain);
    NewMessage reply =
        admitted(
            "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"c2\",\"body\":\"re\",\"parent\":9001}");
    assertEquals(EntryKind.MESSAGE, reply.kind());
    assertEquals(9001L, reply.parent());
    assertNull(reply.target());
  }

  @Test
  void editDeleteAndReactBecomeEntriesOfTheirKind() {
    NewMessage edit =
        admitted(
            "{\"type\":\"edit\",\"room\":4,\"client_msg_id\":\"e1\",\"target\":9001,\"body\":\"new\"}");
    assertEquals(new NewMessage("ada", 4L, "e1", EntryKind.EDIT, "new", 9001L, null, null), edit);
    NewMessage delete =
        admitted("{\"type\":\"delete\",\"room\":4,\"client_msg_id\":\"d1\",\"target\":9001}");
    assertEquals(
        new NewMessage("ada", 4L, "d1", EntryKind.DELETE, null, 9001L, null, null), delete);
    NewMessage react =
        admitted(
            "{\"type\":\"react\",\"room\":4,\"client_msg_id\":\"r1\",\"target\":9001,"
                + "\"emoji\":\"👍\",\"on\":true}");
    assertEquals(new NewMessage("ada", 4L, "r1", EntryKind.REACT, null, 9001L, null, "👍"), react);
    NewMessage unreact =
        admitted(
            "{\"type\":\"react\",\"room\":4,\"client_msg_id\":\"r2\",\"target\":9001,"
                + "\"emoji\":\":tada:\",\"on\":false}");
    assertEquals(EntryKind.UNREACT, unreact.kind());
    assertEquals(":tada:", unreact.emoji());
  }

  @Test
  void fieldsAFrameDoesNotHaveAreNotTakenFromTheClient() {
    // A delete carries no body, a send no target, an edit no parent, whatever the client adds.
    NewMessage delete =
        admitted(
            "{\"type\":\"delete\",\"room\":4,\"client_msg_id\":\"d1\",\"target\":7,"
                + "\"body\":\"x\",\"emoji\":\"👍\",\"parent\":3}");
    assertNull(delete.body());
    assertNull(delete.emoji());
    assertNull(delete.parent());
    NewMessage send =
        admitted(
            "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"s1\",\"body\":\"b\",\"target\":7}");
    assertNull(send.target());
    NewMessage edit =
        admitted(
            "{\"type\":\"edit\",\"room\":4,\"client_msg_id\":\"e1\",\"target\":7,\"body\":\"b\","
                + "\"parent\":3}");
    assertNull(edit.parent());
  }

  @Test
  void whatNamesTheEntryMissingOrMalformedIsAnInvalidFrame() {
    String[] frames = {
      "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"c\",\"body\":\"b\",\"parent\":\"9\"}",
      "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"c\",\"body\":\"b\",\"parent\":1.5}",
      "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"c\",\"body\":\"b\",\"parent\":0}",
      "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"c\",\"body\":\"b\",\"parent\":-3}",
      "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"c\",\"body\":\"b\",\"parent\":[1]}",
      "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"c\",\"body\":\"b\","
          + "\"parent\":99999999999999999999}",
      "{\"type\":\"edit\",\"room\":4,\"client_msg_id\":\"c\",\"body\":\"b\"}",
      "{\"type\":\"edit\",\"room\":4,\"client_msg_id\":\"c\",\"target\":\"7\",\"body\":\"b\"}",
      "{\"type\":\"edit\",\"room\":\"4\",\"client_msg_id\":\"c\",\"target\":7,\"body\":\"b\"}",
      "{\"type\":\"delete\",\"room\":4,\"client_msg_id\":\"c\"}",
      "{\"type\":\"delete\",\"room\":4,\"client_msg_id\":\"c\",\"target\":0}",
      "{\"type\":\"delete\",\"room\":4,\"target\":7}",
      "{\"type\":\"react\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7,\"emoji\":\"👍\"}",
      "{\"type\":\"react\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7,\"emoji\":\"👍\","
          + "\"on\":\"true\"}",
      "{\"type\":\"react\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7,\"emoji\":\"👍\","
          + "\"on\":1}",
      "{\"type\":\"react\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7,\"emoji\":\"👍\","
          + "\"on\":null}",
      "{\"type\":\"react\",\"room\":4,\"client_msg_id\":\"c\",\"emoji\":\"👍\",\"on\":true}",
    };
    for (String frame : frames) {
      assertEquals("invalid_frame", refused(frame).getString("code"), frame);
    }
  }

  @Test
  void aMalformedClientIdIsNeverEchoedButAWellFormedOneIs() {
    JsonObject bad =
        refused("{\"type\":\"delete\",\"room\":4,\"client_msg_id\":\"bad id!\",\"target\":7}");
    assertEquals("invalid_frame", bad.getString("code"));
    assertFalse(bad.containsKey("client_msg_id"));
    JsonObject good = refused("{\"type\":\"delete\",\"room\":4,\"client_msg_id\":\"ok-1\"}");
    assertEquals("ok-1", good.getString("client_msg_id"));
    assertEquals(4, good.getInt("room"));
    assertFalse(good.getBoolean("retry"));
  }

  @Test
  void aReactionIsOneEmojiOrAShortcode() {
    for (String emoji :
        new String[] {
          "\"\"", "\"a\"", "\"👍 \"", "\"👍x\"", "\":no spaces:\"", "\"👍\\u0000\"", "7"
        }) {
      String frame =
          "{\"type\":\"react\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7,\"emoji\":"
              + emoji
              + ",\"on\":true}";
      assertEquals("invalid_emoji", refused(frame).getString("code"), frame);
    }
    assertEquals(
        "invalid_emoji",
        refused("{\"type\":\"react\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7,\"on\":false}")
            .getString("code"),
        "no emoji at all");
    assertEquals(
        "👨‍👩‍👧‍👦",
        admitted(
                "{\"type\":\"react\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7,"
                    + "\"emoji\":\"👨‍👩‍👧‍👦\",\"on\":true}")
            .emoji());
  }

  @Test
  void anEditsBodyFollowsTheRulesOfAMessagesBody() {
    for (String body :
        new String[] {
          "\"\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"" + "x".repeat(4001) + "\"", "3"
        }) {
      String frame =
          "{\"type\":\"edit\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7,\"body\":"
              + body
              + "}";
      assertEquals("invalid_body", refused(frame).getString("code"), frame);
    }
    assertEquals(
        "invalid_body",
        refused("{\"type\":\"edit\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7}")
            .getString("code"),
        "no body at all");
    assertEquals(
        "😀".repeat(4000),
        admitted(
                "{\"type\":\"edit\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7,\"body\":\""
                    + "😀".repeat(4000)
                    + "\"}")
            .body());
  }

  @Test
  void aBodyIsStoredInNfc() {
    String decomposed = "Cafe\u0301";
    NewMessage edit =
        admitted(
            "{\"type\":\"edit\",\"room\":4,\"client_msg_id\":\"c\",\"target\":7,\"body\":\""
                + decomposed
                + "\"}");
    assertEquals("Caf\u00e9", edit.body());
  }

  private static final String FILE_A = "0b9e8a57-3f0c-4c3e-9a53-6f0b1c2d3e4f";
  private static final String FILE_B = "7d1c2b3a-4e5f-4061-8a7b-9c0d1e2f3a4b";

  @Test
  void aSendCarriesItsFilesAndWithFilesTheBodyMayBeEmpty() {
    NewMessage withText =
        admitted(
            "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"f1\",\"body\":\"see\","
                + "\"files\":[\""
                + FILE_A
                + "\",\""
                + FILE_B
                + "\"]}");
    assertEquals(java.util.List.of(FILE_A, FILE_B), withText.files());
    assertEquals("see", withText.body());
    NewMessage filesOnly =
        admitted(
            "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"f2\",\"body\":\"\","
                + "\"files\":[\""
                + FILE_A
                + "\"]}");
    assertNull(filesOnly.body(), "no body to check: chatfront stores it empty");
    assertEquals(java.util.List.of(FILE_A), filesOnly.files());
    // Without files an empty body is still refused.
    assertEquals(
        "invalid_body",
        refused("{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"f3\",\"body\":\"\"}")
            .getString("code"));
  }

  @Test
  void filesThatAreNotAShortListOfDistinctFileIdsAreRefused() {
    String eleven = String.join(",", java.util.Collections.nCopies(11, "\"" + FILE_A + "\""));
    for (String files :
        new String[] {
          "\"" + FILE_A + "\"", // not an array
          "[1]",
          "[null]",
          "[\"../../etc/passwd\"]",
          "[\"" + FILE_A.toUpperCase(java.util.Locale.ROOT) + "\"]",
          "[\"" + FILE_A + "\",\"" + FILE_A + "\"]", // twice
          "[" + eleven + "]",
          "{}"
        }) {
      JsonObject error =
          refused(
              "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"f4\",\"body\":\"x\","
                  + "\"files\":"
                  + files
                  + "}");
      assertEquals("invalid_frame", error.getString("code"), files);
      assertEquals("f4", error.getString("client_msg_id"), files);
    }
    // An empty list or null is no files.
    assertNull(
        admitted(
                "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"f5\",\"body\":\"x\","
                    + "\"files\":null}")
            .files());
    assertEquals(
        java.util.List.of(),
        admitted(
                "{\"type\":\"send\",\"room\":4,\"client_msg_id\":\"f6\",\"body\":\"x\","
                    + "\"files\":[]}")
            .files());
  }

  private static NewMessage admitted(String text) {
    EntryCheck.Verdict verdict = check(text);
    return assertInstanceOf(EntryCheck.Admitted.class, verdict, text).entry();
  }

  private static JsonObject refused(String text) {
    EntryCheck.Verdict verdict = check(text);
    return assertInstanceOf(EntryCheck.Refused.class, verdict, text).error().toJson();
  }

  private static EntryCheck.Verdict check(String text) {
    ClientFrame frame = ClientFrameDecoder.read(text);
    return EntryCheck.check(
        assertInstanceOf(ClientFrame.EntryRequest.class, frame, text), "ada", RULES);
  }
}
