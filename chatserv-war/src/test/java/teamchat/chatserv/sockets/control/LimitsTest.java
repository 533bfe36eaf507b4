package teamchat.chatserv.sockets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LimitsTest {

  private final Limits cut = new Limits();

  /** The test's clock, in nanoseconds: time moves only when a test moves it. */
  private long now = 1_000_000_000L;

  {
    cut.clock = () -> now;
    cut.grid = new HazelcastSocketCounts(); // no Data Grid: this instance alone
    cut.sendsPerSecond = 5;
    cut.connectionsPerUser = 2;
    cut.maxConnections = 3;
  }

  @Test
  void aBurstOfOneSecondsWorthPassesAndTheNextSendWaitsForItsShare() {
    for (int i = 0; i < 5; i++) {
      assertEquals(0, cut.sendDelayMillis("ada"), "send " + (i + 1) + " of the burst");
    }
    assertEquals(200, cut.sendDelayMillis("ada"), "one token comes back every 200 ms");
    now += 150_000_000L;
    assertEquals(50, cut.sendDelayMillis("ada"), "and the wait shrinks as time passes");
    now += 50_000_000L;
    assertEquals(0, cut.sendDelayMillis("ada"), "the token is back");
    assertEquals(0, cut.sendDelayMillis("bob"), "each person has their own bucket");
  }

  @Test
  void aRefusedSendCostsNothing() {
    for (int i = 0; i < 5; i++) {
      cut.sendDelayMillis("ada");
    }
    for (int i = 0; i < 100; i++) {
      assertTrue(cut.sendDelayMillis("ada") > 0);
    }
    now += 200_000_000L;
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
