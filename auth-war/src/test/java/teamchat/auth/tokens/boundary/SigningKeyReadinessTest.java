package teamchat.auth.tokens.boundary;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import teamchat.auth.tokens.control.SigningKeys;

/** Issue 13, finding 17: auth takes no traffic before its signing key exists. */
class SigningKeyReadinessTest {

  private static boolean readyWith(Supplier<JWKSet> published) {
    SigningKeyReadiness cut = new SigningKeyReadiness();
    cut.signingKeys =
        new SigningKeys() {
          @Override
          public JWKSet publicKeys() {
            return published.get();
          }
        };
    return cut.keyPublished();
  }

  @Test
  void readyOnlyOnceAKeyIsPublished() throws Exception {
    assertFalse(
        readyWith(
            () -> {
              throw new IllegalStateException("Connection to 127.0.0.1:5432 refused");
            }),
        "the database is away: no key");
    assertFalse(readyWith(JWKSet::new), "an empty set is never ready");

    JWKSet oneKey = new JWKSet(new RSAKeyGenerator(2048).generate().toPublicJWK());
    assertTrue(readyWith(() -> oneKey));
  }
}
