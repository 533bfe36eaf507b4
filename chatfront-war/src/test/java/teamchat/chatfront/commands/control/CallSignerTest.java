package teamchat.chatfront.commands.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallSignerTest {

  private static final byte[] BODY =
      "{\"command\":\"/deploy\",\"text\":\"prod\"}".getBytes(StandardCharsets.UTF_8);

  /** The vector of docs/api.md, computed independently with openssl dgst -sha256 -hmac. */
  @Test
  void signsTimeDotBodyWithHmacSha256AsDocumented() {
    assertEquals(
        "t=1700000000,v1=8a644be2b8ba39bc49baefa64465bdd9ee45cff93919623c9efe22eb3478c66c",
        CallSigner.signature("cmdsec_test-secret", 1_700_000_000L, BODY));
  }

  @Test
  void anotherTimeOrSecretIsAnotherSignature() {
    String signed = CallSigner.signature("cmdsec_test-secret", 1_700_000_000L, BODY);
    assertNotEquals(signed, CallSigner.signature("cmdsec_test-secret", 1_700_000_001L, BODY));
    assertNotEquals(signed, CallSigner.signature("cmdsec_other", 1_700_000_000L, BODY));
  }

  @Test
  void secretsAreLongRandomAndDistinct() {
    String one = CallSigner.newSecret();
    assertTrue(one.matches("cmdsec_[A-Za-z0-9_-]{43}"), one);
    assertNotEquals(one, CallSigner.newSecret());
  }
}
