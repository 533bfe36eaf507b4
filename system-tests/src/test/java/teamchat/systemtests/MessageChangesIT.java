package teamchat.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teamchat.systemtestkit.ChatClient.type;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import teamchat.systemtestkit.Accounts.Person;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.Frame;

/**
 * Issue 15 through the whole system as {@code ./chat up} runs it: edits, deletes, reactions and
 * replies in threads sent over chatserv's socket, stored by chatfront in PostgreSQL as entries of
 * the room's seq stream, fanned out live, refused with their codes, idempotent on resend, and
 * replayed exactly once and in order to a client that resumes after seq N (docs/protocol.md, "The
 * room's stream"). Rooms and memberships are made in the database directly, as in DeliveryIT.
 */
@ExtendWith(SharedSystem.class)
class MessageChangesIT {

  private static RunningSystem system;

  @BeforeAll
  static void start(RunningSystem shared) {
    system = shared;
  }

  @Test
  void editsReactionsRepliesAndDeletesArriveLiveAtEveryFollowerInSeqOrder() throws Exception {
    Person ada = system.person();
    Person bob = system.person();
    Person carol = system.person();
    long room = room(ada, bob, carol);
    try (ChatClient a = ChatClient.connect(system.webSocket(), ada.token());
        ChatClient b = ChatClient.connect(system.webSocket(), bob.token());
        ChatClient c = ChatClient.connect(system.webSocket(), carol.token())) {
      for (ChatClient follower : List.of(a, b, c)) {
        follower.subscribe(room, 0);
        follower.await(type("subscribed"));
      }
      awaitKnownByUsername(bob);

      a.sendMessage(room, "m-1", "**first** for @" + bob.username());
      long first = ack(a, "m-1", 1).number("id");
      Frame message = b.await(type("message"));
      assertEquals(first, message.number("id"));
      assertTrue(
          message.string("html").contains("<strong>first</strong>"),
          "rendered by chatfront: " + message);
      assertEquals(List.of(bob.subject()), message.get("mentions"));
      assertNull(message.get("parent"), "not a reply");

      a.edit(room, "e-1", first, "first, edited");
      ack(a, "e-1", 2);
      Frame edited = b.await(type("edited"));
      assertEquals(first, edited.number("target"));
      assertEquals("first, edited", edited.string("body"));
      assertTrue(edited.string("html").contains("first, edited"), edited.toString());
      assertEquals(ada.subject(), edited.string("sender"));

      b.react(room, "r-1", first, "👍", true);
      ack(b, "r-1", 3);
      Frame reaction = a.await(type("reaction"));
      assertEquals(first, reaction.number("target"));
      assertEquals("👍", reaction.string("emoji"));
      assertEquals(Boolean.TRUE, reaction.get("on"));
      assertEquals(bob.subject(), reaction.string("sender"));

      b.sendReply(room, "t-1", first, "a reply");
      long reply = ack(b, "t-1", 4).number("id");
      Frame replied = a.await(type("message"));
      assertEquals(reply, replied.number("id"));
      assertEquals(first, replied.number("parent"));

      b.react(room, "r-2", first, "👍", false);
      ack(b, "r-2", 5);
      assertEquals(Boolean.FALSE, a.await(type("reaction")).get("on"));

      b.delete(room, "d-1", reply);
      ack(b, "d-1", 6);
      Frame deleted = a.await(type("deleted"));
      assertEquals(reply, deleted.number("target"));
      assertEquals(6, deleted.number("seq"));

      // Carol only listened: she saw the whole stream, each entry once, in seq order.
      List<String> atCarol = new ArrayList<>();
      for (long seq = 1; seq <= 6; seq++) {
        Frame frame = c.await(entry());
        assertEquals(seq, frame.number("seq"), frame.toString());
        atCarol.add(frame.type());
      }
      assertEquals(
          List.of("message", "edited", "reaction", "message", "reaction", "deleted"), atCarol);
    }
    assertEquals(6L, count("SELECT count(*) FROM chat.message WHERE room_id = " + room));
  }

  @Test
  void changesNobodyMayMakeAreRefusedWithTheirCodesAndStoreNothing() throws Exception {
    Person ada = system.person();
    Person bob = system.person();
    Person eve = system.person();
    long room = room(ada, bob);
    long otherRoom = room(ada);
    try (ChatClient a = ChatClient.connect(system.webSocket(), ada.token());
        ChatClient b = ChatClient.connect(system.webSocket(), bob.token());
        ChatClient e = ChatClient.connect(system.webSocket(), eve.token())) {
      a.sendMessage(room, "m-1", "ada's");
      long adas = ack(a, "m-1", 1).number("id");
      b.sendReply(room, "m-2", adas, "bob's reply");
      long bobsReply = ack(b, "m-2", 2).number("id");
      a.sendMessage(otherRoom, "m-3", "elsewhere");
      long elsewhere = ack(a, "m-3", 1).number("id");

      b.edit(room, "x-1", adas, "bob was here");
      assertRefused(b, "x-1", "not_the_author");
      b.delete(room, "x-2", adas);
      assertRefused(b, "x-2", "not_allowed");
      e.react(room, "x-3", adas, "👍", true);
      assertRefused(e, "x-3", "not_a_member");
      e.edit(room, "x-4", adas, "eve was here");
      assertRefused(e, "x-4", "not_a_member");
      a.sendReply(room, "x-5", bobsReply, "a reply to a reply");
      assertRefused(a, "x-5", "not_a_thread_root");
      a.edit(room, "x-6", elsewhere, "a message of another room");
      assertRefused(a, "x-6", "no_such_message");
      a.edit(room, "x-7", 999_999_999L, "no such message at all");
      assertRefused(a, "x-7", "no_such_message");

      // An owner of the room may delete anyone's message; then it is gone for every change.
      makeOwner(room, ada);
      a.delete(room, "d-1", bobsReply);
      ack(a, "d-1", 3);
      b.edit(room, "x-8", bobsReply, "too late");
      assertRefused(b, "x-8", "message_deleted");
      b.react(room, "x-9", bobsReply, "👍", true);
      assertRefused(b, "x-9", "message_deleted");
      a.delete(room, "x-10", bobsReply);
      assertRefused(a, "x-10", "message_deleted");
    }
    assertEquals(3L, count("SELECT count(*) FROM chat.message WHERE room_id = " + room));
  }

  @Test
  void aResentChangeIsAnsweredWithTheFirstAckAndStoredOnce() throws Exception {
    Person ada = system.person();
    long room = room(ada);
    try (ChatClient a = ChatClient.connect(system.webSocket(), ada.token())) {
      a.sendMessage(room, "m-1", "typo");
      long message = ack(a, "m-1", 1).number("id");

      a.edit(room, "e-1", message, "no typo");
      Frame first = ack(a, "e-1", 2);
      a.edit(room, "e-1", message, "no typo");
      Frame again = ack(a, "e-1", 2);
      assertEquals(first.number("id"), again.number("id"));
      assertEquals(first.number("time"), again.number("time"));

      a.react(room, "r-1", message, "🎉", true);
      Frame reacted = ack(a, "r-1", 3);
      a.react(room, "r-1", message, "🎉", true);
      assertEquals(reacted.number("id"), ack(a, "r-1", 3).number("id"));

      a.edit(room, "e-1", message, "other text under the same id");
      assertRefused(a, "e-1", "client_msg_id_reused");
    }
    assertEquals(3L, count("SELECT count(*) FROM chat.message WHERE room_id = " + room));
  }

  @Test
  void aClientResumingAfterSeqNGetsEveryChangeSinceNOnceInOrderThenLive() throws Exception {
    Person ada = system.person();
    Person bob = system.person();
    Person carol = system.person();
    long room = room(ada, bob, carol);
    try (ChatClient a = ChatClient.connect(system.webSocket(), ada.token());
        ChatClient b = ChatClient.connect(system.webSocket(), bob.token())) {
      a.sendMessage(room, "m-1", "one");
      long one = ack(a, "m-1", 1).number("id");
      a.sendMessage(room, "m-2", "two");
      long two = ack(a, "m-2", 2).number("id");
      long seenByCarol = 2;

      a.edit(room, "e-1", one, "one, edited");
      ack(a, "e-1", 3);
      b.react(room, "r-1", two, "👍", true);
      ack(b, "r-1", 4);
      b.sendReply(room, "t-1", one, "re: one");
      long reply = ack(b, "t-1", 5).number("id");
      b.react(room, "r-2", two, "👍", false);
      ack(b, "r-2", 6);
      b.react(room, "r-3", one, ":tada:", true);
      ack(b, "r-3", 7);
      a.delete(room, "d-1", two);
      ack(a, "d-1", 8);
      a.edit(room, "e-2", one, "one, edited twice");
      ack(a, "e-2", 9);

      try (ChatClient c = ChatClient.connect(system.webSocket(), carol.token())) {
        c.subscribe(room, seenByCarol);
        List<Frame> replayed = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
          replayed.add(c.await(entry()));
        }
        assertEquals(
            List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L),
            replayed.stream().map(f -> f.number("seq")).toList(),
            "every change since N, once, in order");
        assertEquals(
            List.of("edited", "reaction", "message", "reaction", "reaction", "deleted", "edited"),
            replayed.stream().map(Frame::type).toList());
        assertEquals("one, edited", replayed.get(0).string("body"), "each edit as it was made");
        assertEquals(reply, replayed.get(2).number("id"));
        assertEquals(one, replayed.get(2).number("parent"));
        assertEquals(Boolean.FALSE, replayed.get(3).get("on"));
        assertEquals(two, replayed.get(5).number("target"));
        assertEquals(9L, c.await(type("subscribed")).number("last_seq"));

        a.react(room, "r-4", one, "👍", true);
        ack(a, "r-4", 10);
        Frame live = c.await(entry());
        assertEquals(10L, live.number("seq"), "then live, with nothing in between");
        Thread.sleep(500);
        assertTrue(
            c.frames().stream().noneMatch(entry()), "nothing twice: " + List.copyOf(c.frames()));
      }

      // From seq 0, messages come in their current state (what a reload shows).
      try (ChatClient c = ChatClient.connect(system.webSocket(), carol.token())) {
        c.subscribe(room, 0);
        Frame first = c.await(entry());
        assertEquals(one, first.number("id"));
        assertEquals("one, edited twice", first.string("body"));
        assertEquals(10L, first.number("state_seq"), "its state is that of every entry so far");
        assertTrue(first.get("edited_at") instanceof Long, "edited: " + first);
        assertEquals(1L, first.number("reply_count"));
        assertEquals(List.of(bob.subject()), first.get("repliers"));
        assertEquals(
            List.of(
                Map.of("emoji", ":tada:", "users", List.of(bob.subject())),
                Map.of("emoji", "👍", "users", List.of(ada.subject()))),
            first.get("reactions"));
        Frame second = c.await(entry());
        assertEquals(two, second.number("id"));
        assertEquals(Boolean.TRUE, second.get("deleted"));
        assertFalse(second.json().containsKey("body"), "deleted text is never served again");
        assertFalse(second.json().containsKey("html"));
        assertNull(second.get("reactions"), "its reaction was taken away");
        List<Long> rest = new ArrayList<>();
        for (long seq = 3; seq <= 10; seq++) {
          rest.add(c.await(entry()).number("seq"));
        }
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), rest);
        assertEquals(10L, c.await(type("subscribed")).number("last_seq"));
      }
    }
  }

  // ---- helpers

  /** Frames of the room's stream: those that carry a seq (any type, known or not). */
  private static Predicate<Frame> entry() {
    return frame -> frame.json().containsKey("seq") && !frame.type().equals("ack");
  }

  /** The ack of {@code clientMsgId}, which must hold seq {@code seq}. */
  private static Frame ack(ChatClient client, String clientMsgId, long seq) throws Exception {
    Frame ack =
        client.await(
            frame ->
                (frame.type().equals("ack") || frame.type().equals("error"))
                    && clientMsgId.equals(frame.get("client_msg_id")));
    assertEquals("ack", ack.type(), clientMsgId + ": " + ack);
    assertEquals(seq, ack.number("seq"), clientMsgId + ": " + ack);
    return ack;
  }

  private static void assertRefused(ChatClient client, String clientMsgId, String code)
      throws Exception {
    Frame answer =
        client.await(
            frame ->
                (frame.type().equals("ack") || frame.type().equals("error"))
                    && clientMsgId.equals(frame.get("client_msg_id")));
    assertEquals("error", answer.type(), clientMsgId + " was stored: " + answer);
    assertEquals(code, answer.get("code"), clientMsgId + ": " + answer);
    assertEquals(Boolean.FALSE, answer.get("retry"), answer.toString());
  }

  private static long room(Person... members) throws Exception {
    return system.privateRoom(
        "changes", java.util.Arrays.stream(members).map(Person::subject).toList());
  }

  private static void makeOwner(long room, Person person) throws Exception {
    try (Connection db = system.chatDatabase();
        PreparedStatement owner =
            db.prepareStatement(
                "UPDATE chat.membership SET role = 'owner' WHERE room_id = ? AND user_id ="
                    + " (SELECT id FROM chat.chat_user WHERE subject = ?)")) {
      owner.setLong(1, room);
      owner.setString(2, person.subject());
      assertEquals(1, owner.executeUpdate());
    }
  }

  /**
   * Mentions name members by username, which chatfront learns when a person signs in (chatserv
   * tells it, without holding up the socket): waits until it has.
   */
  private static void awaitKnownByUsername(Person person) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Connection db = system.chatDatabase();
          PreparedStatement query =
              db.prepareStatement("SELECT username FROM chat.chat_user WHERE subject = ?")) {
        query.setString(1, person.subject());
        try (ResultSet row = query.executeQuery()) {
          if (row.next() && person.username().equals(row.getString(1))) {
            return;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("chatfront never learnt " + person.username());
  }

  private static long count(String sql) throws Exception {
    try (Connection db = system.chatDatabase();
        ResultSet rows = db.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
