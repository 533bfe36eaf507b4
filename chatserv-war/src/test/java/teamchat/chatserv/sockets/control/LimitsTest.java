package teamchat.chatserv.sockets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LimitsTest {

  private final Limits cut = new Limits();

  {
    cut.sendsPerSecond = 5;
    cut.connectionsPerUser = 2;
    cut.maxConnections = 3;
  }

  @Test
  void aBurstOfOneSecondsWorthPassesAndTheNextSendWaitsForItsShare() {
    for (int i = 0; i < 5; i++) {
      assertEquals(0, cut.sendDelayMillis("ada"), "send " + (i + 1) + " of the burst");
    }
    long wait = cut.sendDelayMillis("ada");
    assertTrue(wait > 0 && wait <= 200, "one token comes back every 200 ms, not " + wait);
    assertEquals(0, cut.sendDelayMillis("bob"), "each person has their own bucket");
  }

  @Test
  void aRefusedSendCostsNothing() throws Exception {
    for (int i = 0; i < 5; i++) {
      cut.sendDelayMillis("ada");
    }
    for (int i = 0; i < 100; i++) {
      assertTrue(cut.sendDelayMillis("ada") > 0);
    }
    Thread.sleep(250);
    assertEquals(0, cut.sendDelayMillis("ada"), "the refusals did not dig the bucket deeper");
  }

  @Test
  void socketsAreBoundedInAllAndPerPersonAndGivenBack() {
    assertTrue(cut.openSocket());
    assertTrue(cut.openSocket());
    assertTrue(cut.openSocket());
    assertFalse(cut.openSocket(), "the server is full");
    cut.closeSocket();
    assertTrue(cut.openSocket(), "a closed socket made room");

    assertTrue(cut.signIn("ada"));
    assertTrue(cut.signIn("ada"));
    assertFalse(cut.signIn("ada"), "two sockets per person");
    assertTrue(cut.signIn("bob"));
    cut.signOut("ada");
    assertTrue(cut.signIn("ada"));
  }
}
