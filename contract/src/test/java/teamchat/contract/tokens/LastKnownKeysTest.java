package teamchat.contract.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

class LastKnownKeysTest {

  private boolean failing;

  @Test
  void whenTheCacheFailsTheKeysItGaveBeforeStillServeAndNoOthers() throws Exception {
    RSAKey k1 = new RSAKeyGenerator(2048).keyID("k1").generate().toPublicJWK();
    RSAKey k2 = new RSAKeyGenerator(2048).keyID("k2").generate().toPublicJWK();
    JWKSet published = new JWKSet(List.of(k1, k2));
    LastKnownKeys cut =
        new LastKnownKeys(
            (selector, context) -> {
              if (failing) {
                throw new KeySourceException("refresh timed out");
              }
              return selector.select(published);
            });
    assertEquals(List.of(k1), cut.get(kid("k1"), null));

    failing = true;
    assertEquals(List.of(k1), cut.get(kid("k1"), null), "a key in use serves on");
    assertThrows(
        KeySourceException.class,
        () -> cut.get(kid("k2"), null),
        "a key never handed out is not known: the failure stands");
  }

  private static JWKSelector kid(String keyId) {
    return new JWKSelector(new JWKMatcher.Builder().keyID(keyId).build());
  }
}
