package teamchat.chatfront.commands.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a call to a command's target, as docs/api.md tells receivers to check it: {@code
 * X-Chat-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>}. The
 * time is inside the signed text, so a receiver that refuses an old {@code t} refuses replays.
 */
public final class CallSigner {

  /** The header a call's signature travels in. */
  public static final String HEADER = "X-Chat-Signature";

  private static final SecureRandom RANDOM = new SecureRandom();

  private CallSigner() {}

  /** A new signing secret: 32 random bytes, URL-safe base64 after a recognisable prefix. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "cmdsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The header's value for {@code body} sent at {@code epochSeconds}. */
  public static String signature(String secret, long epochSeconds, byte[] body) {
    return "t=" + epochSeconds + ",v1=" + hmac(secret, epochSeconds, body);
  }

  static String hmac(String secret, long epochSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
