package teamchat.chatfront.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The claims the web app shows, read from auth's access token; and what is not a token. */
class TokensTest {

  private static String token(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(new byte[32]));
    return jwt.serialize();
  }

  @Test
  void theClaimsOfAuthsTokenNameThePerson() throws Exception {
    String access =
        token(
            new JWTClaimsSet.Builder()
                .subject("u-1")
                .claim("upn", "ada")
                .claim("name", "Ada Lovelace")
                .build());
    Instant before = Instant.now();
    Tokens tokens = Tokens.of(access, 600, "refresh");
    assertEquals("u-1", tokens.subject());
    assertEquals("ada", tokens.username());
    assertEquals("Ada Lovelace", tokens.displayName());
    assertEquals(access, tokens.accessToken());
    assertEquals("refresh", tokens.refreshToken());
    assertFalse(tokens.accessExpires().isBefore(before.plus(Duration.ofSeconds(600))));
    assertFalse(tokens.toString().contains(access), "no token in toString");
    assertFalse(tokens.toString().contains("refresh"), "no refresh token in toString");
  }

  @Test
  void withoutANameTheUsernameIsShown() throws Exception {
    String access = token(new JWTClaimsSet.Builder().subject("u-2").claim("upn", "bob").build());
    assertEquals("bob", Tokens.of(access, 600, "r").displayName());
  }

  @Test
  void whatIsNotATokenOfAPersonIsRefused() throws Exception {
    for (String notOne :
        new String[] {
          "not a jwt",
          "a.b.c",
          token(new JWTClaimsSet.Builder().subject("u-3").build()),
          token(new JWTClaimsSet.Builder().claim("upn", "nobody").build())
        }) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> Tokens.of(notOne, 600, "r"), notOne);
      assertTrue(refused.getMessage().startsWith("auth sent an access token"));
    }
  }
}
