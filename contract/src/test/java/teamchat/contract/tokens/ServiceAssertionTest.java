package teamchat.contract.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chatserv's own assertions for chatfront: signed with its private key, verified under the public
 * keys configured at chatfront; anything else is refused. And the point of them: they are made
 * without asking anyone, so storage goes on through an auth outage of any length.
 */
class ServiceAssertionTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final Duration LIFETIME = Duration.ofMinutes(5);

  @TempDir Path folder;
  private Path privateKey;
  private Path publicKeys;
  private KeyPair pair;

  @BeforeEach
  void keys() throws Exception {
    pair = newPair();
    privateKey = write("chatserv-assertion.key", pem("PRIVATE KEY", pair.getPrivate()));
    publicKeys = write("chatserv-assertion.pub", pem("PUBLIC KEY", pair.getPublic()));
  }

  @Test
  void anAssertionSignedWithTheKeyIsTheServiceWithTheServiceGroupOnly() throws Exception {
    String assertion = signer(privateKey, "chatfront", fixed(NOW)).current();
    AccessTokenVerifier.Verified caller = verifier(fixed(NOW)).verify(assertion);
    assertEquals("chatserv", caller.subject());
    assertEquals(List.of(AccessTokenVerifier.SERVICE_GROUP), caller.groups());
    assertNull(caller.session(), "no session to revoke: the key is what is withdrawn");
    assertEquals(NOW.plus(LIFETIME), caller.expires());
    assertTrue(ServiceAssertionVerifier.claimsToBeAnAssertion(assertion));
    SignedJWT parsed = SignedJWT.parse(assertion);
    assertEquals(JWSAlgorithm.ES256, parsed.getHeader().getAlgorithm());
    assertEquals("chatserv", parsed.getJWTClaimsSet().getIssuer());
    assertEquals(List.of("chatfront"), parsed.getJWTClaimsSet().getAudience());
  }

  @Test
  void anAssertionSignedWithAnotherKeyIsRefused() throws Exception {
    Path stranger = write("stranger.key", pem("PRIVATE KEY", newPair().getPrivate()));
    refused(signer(stranger, "chatfront", fixed(NOW)).current(), fixed(NOW));
  }

  @Test
  void anAssertionForAnotherAudienceIsRefused() throws Exception {
    refused(signer(privateKey, "auth", fixed(NOW)).current(), fixed(NOW));
  }

  @Test
  void anotherIssuerIsRefusedEvenWithTheKey() throws Exception {
    refused(sign(c -> c.issuer("someone").subject("someone"), ServiceAssertionVerifier.TYPE));
    refused(sign(c -> c.subject("ada"), ServiceAssertionVerifier.TYPE));
  }

  @Test
  void anExpiredAssertionIsRefusedBeyondTheSkew() throws Exception {
    String assertion = signer(privateKey, "chatfront", fixed(NOW)).current();
    verifier(fixed(NOW.plus(LIFETIME).plusSeconds(25))).verify(assertion);
    refused(assertion, fixed(NOW.plus(LIFETIME).plusSeconds(35)));
    // Nor is one issued ahead of the clock beyond the skew.
    refused(assertion, fixed(NOW.minusSeconds(35)));
  }

  @Test
  void aRememberedAssertionIsRefusedOnceItExpires() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    ServiceAssertionVerifier verifier = verifier(clock);
    String assertion = signer(privateKey, "chatfront", fixed(NOW)).current();
    verifier.verify(assertion);
    clock.now = NOW.plus(LIFETIME).plusSeconds(25);
    assertEquals("chatserv", verifier.verify(assertion).subject(), "within the skew still");
    assertEquals(1, verifier.fullVerifications(), "the second use is answered from memory");
    clock.now = NOW.plus(LIFETIME).plusSeconds(35);
    refused(assertion, verifier);
    refused(assertion, verifier);
    // Nor is a remembered one taken once the clock stands before its iat beyond the skew.
    clock.now = NOW;
    String fresh = signer(privateKey, "chatfront", fixed(NOW)).current();
    verifier.verify(fresh);
    clock.now = NOW.minusSeconds(35);
    refused(fresh, verifier);
  }

  @Test
  void anotherAssertionIsVerifiedInFullEvenAfterAGoodOne() throws Exception {
    ServiceAssertionVerifier verifier = verifier(fixed(NOW));
    String assertion = signer(privateKey, "chatfront", fixed(NOW)).current();
    verifier.verify(assertion);
    verifier.verify(assertion);
    assertEquals(1, verifier.fullVerifications());
    String[] parts = assertion.split("\\.");
    char at = parts[2].charAt(5);
    String otherSignature =
        parts[2].substring(0, 5) + (at == 'A' ? 'B' : 'A') + parts[2].substring(6);
    refused(parts[0] + "." + parts[1] + "." + otherSignature, verifier);
    refused(
        sign(c -> c.issuer("someone").subject("someone"), ServiceAssertionVerifier.TYPE), verifier);
    String another = signer(privateKey, "chatfront", fixed(NOW.plusSeconds(1))).current();
    verifier.verify(another);
    assertEquals(4, verifier.fullVerifications(), "each different text is checked in full");
    verifier.verify(assertion);
    assertEquals(4, verifier.fullVerifications());
  }

  @Test
  void aRememberedAssertionIsVerifiedAgainWhenTheKeysChange() throws Exception {
    ServiceAssertionVerifier verifier = verifier(fixed(NOW));
    String assertion = signer(privateKey, "chatfront", fixed(NOW)).current();
    verifier.verify(assertion);
    // The same key written again is a changed file: verified in full once more, and accepted.
    write("chatserv-assertion.pub", "# rewritten\n" + pem("PUBLIC KEY", pair.getPublic()));
    verifier.verify(assertion);
    assertEquals(2, verifier.fullVerifications());
    write("chatserv-assertion.pub", pem("PUBLIC KEY", newPair().getPublic()));
    refused(assertion, verifier);
  }

  @Test
  void manyDifferentAssertionsAreEachStillVerified() throws Exception {
    ServiceAssertionVerifier verifier = verifier(fixed(NOW));
    for (int i = 0; i < ServiceAssertionVerifier.MAX_REMEMBERED * 2 + 1; i++) {
      int id = i;
      verifier.verify(sign(c -> c.jwtID("j" + id), ServiceAssertionVerifier.TYPE));
    }
    refused(sign(c -> c.jwtID("late").issuer("someone"), ServiceAssertionVerifier.TYPE), verifier);
    assertEquals(ServiceAssertionVerifier.MAX_REMEMBERED * 2 + 2, verifier.fullVerifications());
  }

  @Test
  void aTamperedAssertionIsRefused() throws Exception {
    String assertion = signer(privateKey, "chatfront", fixed(NOW)).current();
    String[] parts = assertion.split("\\.");
    String otherClaims =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("\"chatserv\"", "\"chatservx\"")
                    .getBytes(StandardCharsets.UTF_8));
    refused(parts[0] + "." + otherClaims + "." + parts[2], fixed(NOW));
    char last = parts[2].charAt(5);
    String otherSignature =
        parts[2].substring(0, 5) + (last == 'A' ? 'B' : 'A') + parts[2].substring(6);
    refused(parts[0] + "." + parts[1] + "." + otherSignature, fixed(NOW));
    refused(assertion + " ", fixed(NOW));
  }

  @Test
  void aTokenOfAnotherKindOrLifetimeIsRefusedEvenWithTheKey() throws Exception {
    // An access token's typ is not an assertion's (explicit typing), nor is a missing typ.
    refused(sign(c -> {}, JOSEObjectType.JWT));
    refused(sign(c -> {}, null));
    refused(sign(c -> c.expirationTime(Date.from(NOW.plus(LIFETIME).plusSeconds(1))), null));
    refused(
        sign(
            c -> c.expirationTime(Date.from(NOW.plus(LIFETIME).plusSeconds(1))),
            ServiceAssertionVerifier.TYPE));
    refused(sign(c -> c.jwtID(null), ServiceAssertionVerifier.TYPE));
    // The positive control of the three above.
    verifier(fixed(NOW)).verify(sign(c -> {}, ServiceAssertionVerifier.TYPE));
    assertFalse(ServiceAssertionVerifier.claimsToBeAnAssertion(sign(c -> {}, JOSEObjectType.JWT)));
    assertFalse(ServiceAssertionVerifier.claimsToBeAnAssertion("garbage"));
  }

  @Test
  void storageNeedsNobodyElseForAnyLength() throws Exception {
    // A day of calls with no auth anywhere: the signer makes every credential itself, a new one
    // after half a lifetime, and each verifies at the time it is used.
    MutableClock clock = new MutableClock(NOW);
    ServiceAssertionSigner signer = signer(privateKey, "chatfront", clock);
    Set<String> distinct = new HashSet<>();
    for (int minute = 0; minute <= 24 * 60; minute++) {
      clock.now = NOW.plus(Duration.ofMinutes(minute)).plusSeconds(17);
      String assertion = signer.current();
      verifier(fixed(clock.now)).verify(assertion);
      distinct.add(assertion);
    }
    assertTrue(distinct.size() >= 24 * 60 / 3, "renewed every half lifetime: " + distinct.size());
  }

  @Test
  void aRotationAcceptsTheCurrentAndTheNextKeyThenOnlyTheNext() throws Exception {
    ServiceAssertionVerifier verifier = verifier(fixed(NOW));
    KeyPair next = newPair();
    Path nextKey = write("next.key", pem("PRIVATE KEY", next.getPrivate()));
    String old = signer(privateKey, "chatfront", fixed(NOW)).current();
    String renewed = signer(nextKey, "chatfront", fixed(NOW)).current();
    verifier.verify(old);
    refused(renewed, verifier);
    write(
        "chatserv-assertion.pub",
        pem("PUBLIC KEY", pair.getPublic()) + pem("PUBLIC KEY", next.getPublic()));
    verifier.verify(old);
    verifier.verify(renewed);
    write("chatserv-assertion.pub", "# the next key only\n" + pem("PUBLIC KEY", next.getPublic()));
    verifier.verify(renewed);
    refused(old, verifier);
  }

  @Test
  void aKeyFileThatCannotBeReadSignsNothingAndVerifiesNothing() throws Exception {
    Path missing = folder.resolve("missing.key");
    assertThrows(
        ServiceAssertionSigner.Unavailable.class,
        () -> signer(missing, "chatfront", fixed(NOW)).current());
    String assertion = signer(privateKey, "chatfront", fixed(NOW)).current();
    refused(
        assertion,
        new ServiceAssertionVerifier(missing, "chatserv", "chatfront", SKEW, LIFETIME, fixed(NOW)));
    Path wrongCurve = folder.resolve("p384.key");
    KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
    p384.initialize(new ECGenParameterSpec("secp384r1"));
    Files.writeString(wrongCurve, pem("PRIVATE KEY", p384.generateKeyPair().getPrivate()));
    assertThrows(
        ServiceAssertionSigner.Unavailable.class,
        () -> signer(wrongCurve, "chatfront", fixed(NOW)).current());
  }

  private ServiceAssertionSigner signer(Path key, String audience, Clock clock) {
    return new ServiceAssertionSigner(key, "chatserv", audience, LIFETIME, clock);
  }

  private ServiceAssertionVerifier verifier(Clock clock) {
    return new ServiceAssertionVerifier(publicKeys, "chatserv", "chatfront", SKEW, LIFETIME, clock);
  }

  private void refused(String assertion, Clock clock) {
    refused(assertion, verifier(clock));
  }

  private void refused(String assertion) {
    refused(assertion, fixed(NOW));
  }

  private static void refused(String assertion, ServiceAssertionVerifier verifier) {
    AccessTokenVerifier.Refused refused =
        assertThrows(AccessTokenVerifier.Refused.class, () -> verifier.verify(assertion));
    assertEquals("token_invalid", refused.code);
  }

  /** An assertion made by hand with the right key: valid defaults, changed by {@code adjust}. */
  private String sign(java.util.function.Consumer<JWTClaimsSet.Builder> adjust, JOSEObjectType typ)
      throws Exception {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer("chatserv")
            .subject("chatserv")
            .audience("chatfront")
            .jwtID("j1")
            .issueTime(Date.from(NOW))
            .expirationTime(Date.from(NOW.plus(LIFETIME)));
    adjust.accept(claims);
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(typ).build(), claims.build());
    jwt.sign(new ECDSASigner((ECPrivateKey) pair.getPrivate()));
    return jwt.serialize();
  }

  private static KeyPair newPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** PEM as openssl writes it (PKCS#8, SubjectPublicKeyInfo), as ./chat up does too. */
  static String pem(String label, Key key) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END "
        + label
        + "-----\n";
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(folder.resolve(name), text);
  }

  private static Clock fixed(Instant at) {
    return Clock.fixed(at, ZoneOffset.UTC);
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
