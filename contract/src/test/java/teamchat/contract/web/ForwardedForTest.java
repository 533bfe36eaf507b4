package teamchat.contract.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedForTest {

  private final ForwardedFor nginxAndChatfront =
      new ForwardedFor(List.of("127.0.0.1", " 10.0.0.2 ", ""));

  @Test
  void aPeerThatIsNoProxyOfOursIsTheClientWhateverItsHeaderSays() {
    assertEquals("203.0.113.9", nginxAndChatfront.clientOf("203.0.113.9", "198.51.100.1"));
    assertEquals("203.0.113.9", nginxAndChatfront.clientOf("203.0.113.9", null));
  }

  @Test
  void behindOurProxiesTheNearestHopThatIsNotOursIsTheClient() {
    assertEquals("198.51.100.7", nginxAndChatfront.clientOf("127.0.0.1", "198.51.100.7"));
    // A forged first hop is written by the client; the one our proxy added is believed.
    assertEquals(
        "198.51.100.7", nginxAndChatfront.clientOf("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2"));
  }

  @Test
  void aHeaderOfOnlyOurProxiesOrNothingLeavesThePeer() {
    assertEquals("127.0.0.1", nginxAndChatfront.clientOf("127.0.0.1", "10.0.0.2, 127.0.0.1"));
    assertEquals("127.0.0.1", nginxAndChatfront.clientOf("127.0.0.1", " , "));
  }

  @Test
  void aHopLongerThanAnAddressIsCut() {
    String client = nginxAndChatfront.clientOf("127.0.0.1", "x".repeat(10_000));
    assertEquals(ForwardedFor.MAX_LENGTH, client.length());
  }
}
