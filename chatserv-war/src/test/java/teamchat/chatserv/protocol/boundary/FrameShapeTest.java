package teamchat.chatserv.protocol.boundary;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameShapeTest {

  @Test
  void everyFrameOfTheProtocolIsWithinBounds() {
    assertTrue(FrameShape.withinBounds("{\"type\":\"auth\",\"token\":\"a.b.c\"}"));
    assertTrue(
        FrameShape.withinBounds(
            "{\"type\":\"send\",\"room\":9223372036854775807,\"client_msg_id\":\"x\","
                + "\"body\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ 123456789012345678901234567890123\"}"));
    assertTrue(FrameShape.withinBounds("{\"type\":\"subscribe\",\"room\":1,\"after\":-1.5e10}"));
    assertTrue(FrameShape.withinBounds("{\"body\":\"a\\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}"));
  }

  @Test
  void deepNestingAndHugeNumbersAreNot() {
    assertFalse(FrameShape.withinBounds("[".repeat(30_000) + "]".repeat(30_000)));
    assertFalse(FrameShape.withinBounds("{\"a\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41)));
    assertFalse(FrameShape.withinBounds("{\"room\":" + "9".repeat(20_000) + "}"));
    assertFalse(FrameShape.withinBounds("{\"room\":1" + "0".repeat(40) + "}"));
  }
}
