package teamchat.tokentestkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokens that every verifier must refuse, each named for what is wrong with it. Together with one
 * valid token (the positive control) they make the forged-token matrix of the security tests.
 */
public final class ForgedTokens {

  private ForgedTokens() {}

  /** Name of the attack → the token. */
  public static Map<String, String> against(TestAuthority authority) {
    Map<String, String> forged = new LinkedHashMap<>();
    String kid = authority.key().getKeyID();
    Instant now = Instant.now();

    forged.put("alg none", unsigned(authority));
    forged.put("HS256 signed with the RSA public key as secret", hs256WithPublicKey(authority));
    forged.put(
        "foreign key, known kid",
        TestAuthority.sign(
            authority.foreignKey(),
            TestAuthority.header(kid).build(),
            TestAuthority.claims(c -> {})));
    forged.put(
        "foreign key, unknown kid",
        TestAuthority.sign(
            authority.foreignKey(),
            TestAuthority.header("unknown-kid").build(),
            TestAuthority.claims(c -> {})));
    forged.put(
        "jku header to a foreign key set",
        TestAuthority.sign(
            authority.foreignKey(),
            TestAuthority.header("foreign-key")
                .jwkURL(URI.create(authority.foreignJwksUrl()))
                .build(),
            TestAuthority.claims(c -> {})));
    forged.put(
        "x5u header to a foreign key",
        TestAuthority.sign(
            authority.foreignKey(),
            TestAuthority.header("foreign-key")
                .x509CertURL(URI.create(authority.foreignJwksUrl()))
                .build(),
            TestAuthority.claims(c -> {})));
    forged.put(
        "jwk header with a foreign key",
        TestAuthority.sign(
            authority.foreignKey(),
            TestAuthority.header("foreign-key").jwk(authority.foreignKey().toPublicJWK()).build(),
            TestAuthority.claims(c -> {})));
    forged.put(
        "expired",
        authority.token(
            c ->
                c.issueTime(Date.from(now.minus(Duration.ofMinutes(30))))
                    .expirationTime(Date.from(now.minus(Duration.ofMinutes(10))))));
    forged.put(
        "not yet valid (nbf ten minutes ahead)",
        authority.token(c -> c.notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10))))));
    forged.put(
        "issued in the future (iat ten minutes ahead)",
        authority.token(
            c ->
                c.issueTime(Date.from(now.plus(Duration.ofMinutes(10))))
                    .expirationTime(Date.from(now.plus(Duration.ofMinutes(15))))));
    forged.put(
        "lifetime of ten years",
        authority.token(c -> c.expirationTime(Date.from(now.plus(Duration.ofDays(3650))))));
    forged.put("missing iat", authority.token(c -> c.issueTime(null)));
    forged.put(
        "missing typ header",
        TestAuthority.sign(
            authority.key(),
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
            TestAuthority.claims(c -> {})));
    forged.put(
        "typ header not JWT",
        TestAuthority.sign(
            authority.key(),
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(kid)
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            TestAuthority.claims(c -> {})));
    forged.put("wrong issuer", authority.token(c -> c.issuer("https://evil.example/auth")));
    forged.put("wrong audience", authority.token(c -> c.audience("someone-else")));
    forged.put("missing audience", authority.token(c -> c.audience((String) null)));
    forged.put("missing sub", authority.token(c -> c.subject(null)));
    forged.put("missing exp", authority.token(c -> c.expirationTime(null)));
    forged.put("missing jti", authority.token(c -> c.jwtID(null)));
    forged.put("altered signature", alterSignature(authority.userToken("someone", "someone")));
    forged.put("altered claims", alterClaims(authority.userToken("someone", "someone")));
    forged.put("garbage segments", "abc.def.ghi");
    forged.put("not a JWT at all", "Bearer-of-nothing");
    forged.put(
        "64 KB header",
        TestAuthority.sign(
            authority.key(),
            TestAuthority.header(kid).customParam("pad", "x".repeat(64 * 1024)).build(),
            TestAuthority.claims(c -> {})));
    forged.values().forEach(authority::remember);
    return forged;
  }

  /**
   * Valid tokens with a character after them: a different token, which every verifier must refuse
   * (exact syntax). Only for channels that carry the token byte for byte (the socket's auth frame,
   * a verifier called directly): HTTP strips trailing blanks from headers and forbids NUL.
   */
  public static Map<String, String> withTrailingCharacters(TestAuthority authority) {
    Map<String, String> forged = new LinkedHashMap<>();
    forged.put("trailing NUL", authority.userToken("someone", "someone") + "\u0000");
    forged.put("trailing space", authority.userToken("someone", "someone") + " ");
    forged.put("trailing newline", authority.userToken("someone", "someone") + "\n");
    forged.put("leading space", " " + authority.userToken("someone", "someone"));
    forged.values().forEach(authority::remember);
    return forged;
  }

  private static String unsigned(TestAuthority authority) {
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String claims = b64(TestAuthority.claims(c -> {}).toString());
    return header + "." + claims + ".";
  }

  private static String hs256WithPublicKey(TestAuthority authority) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256)
                  .keyID(authority.key().getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              TestAuthority.claims(c -> {}));
      jwt.sign(new MACSigner(authority.key().toRSAPublicKey().getEncoded()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String alterSignature(String token) {
    int dot = token.lastIndexOf('.');
    char[] chars = token.toCharArray();
    int middle = dot + (chars.length - dot) / 2;
    chars[middle] = chars[middle] == 'A' ? 'B' : 'A';
    return new String(chars);
  }

  private static String alterClaims(String token) {
    String[] parts = token.split("\\.");
    try {
      JWTClaimsSet original = JWTClaimsSet.parse(Base64URL.from(parts[1]).decodeToString());
      JWTClaimsSet escalated =
          new JWTClaimsSet.Builder(original)
              .subject("admin")
              .claim("groups", List.of("user", "admin"))
              .build();
      return parts[0] + "." + b64(escalated.toString()) + "." + parts[2];
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
