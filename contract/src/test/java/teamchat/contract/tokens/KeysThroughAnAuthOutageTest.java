package teamchat.contract.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Auth out of the path of verification: with the keys' cache time shortened to 6 s, a JWKS endpoint
 * that hangs (auth frozen) or is gone (auth killed) for several cache times never makes a
 * verification wait, and every valid token keeps being accepted with the last known keys.
 */
class KeysThroughAnAuthOutageTest {

  private static final Duration CACHE_TIME = Duration.ofSeconds(6);
  private static final Duration REFRESH_AHEAD = Duration.ofSeconds(3);

  /** Far below a hung fetch (2 × 0.5 s read timeout), far above a verification (~1 ms). */
  private static final long LONGEST_VERIFICATION_MS = 400;

  private RSAKey key;
  private HttpServer jwks;
  private final CountDownLatch thaw = new CountDownLatch(1);
  private volatile boolean frozen;
  private final AtomicInteger fetches = new AtomicInteger();
  private ScheduledExecutorService scheduler;
  private AccessTokenVerifier cut;

  @BeforeEach
  void serveKeys() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    jwks.setExecutor(Executors.newCachedThreadPool());
    jwks.createContext(
        "/jwks.json",
        exchange -> {
          fetches.incrementAndGet();
          if (frozen) {
            try {
              thaw.await(30, TimeUnit.SECONDS); // a SIGSTOPped auth: connected, never answers
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    jwks.start();
    scheduler = Executors.newSingleThreadScheduledExecutor();
    String url = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
    cut =
        AccessTokenVerifier.of(
            AccessTokenVerifier.keysAt(url, CACHE_TIME, REFRESH_AHEAD, scheduler),
            "teamchat-auth",
            "teamchat",
            Duration.ofSeconds(30),
            Duration.ofMinutes(15),
            sid -> false,
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    thaw.countDown();
    jwks.stop(0);
    scheduler.shutdownNow();
  }

  @Test
  void aHungAuthNeverMakesAVerificationWait() throws Exception {
    cut.verify(token()); // keys fetched while auth answers
    frozen = true;
    long slowest = verifyForSeconds(2 * CACHE_TIME.toSeconds());
    assertTrue(fetches.get() >= 2, "the keys were fetched again in the background: " + fetches);
    assertTrue(
        slowest < LONGEST_VERIFICATION_MS,
        "the slowest verification while auth hung took " + slowest + " ms");
  }

  @Test
  void aDeadAuthLeavesTheLastKeysInForce() throws Exception {
    cut.verify(token());
    jwks.stop(0); // connections refused from now on
    long slowest = verifyForSeconds(2 * CACHE_TIME.toSeconds());
    assertTrue(
        slowest < LONGEST_VERIFICATION_MS,
        "the slowest verification while auth was away took " + slowest + " ms");
  }

  /**
   * Tokens naming a key auth never published (forged, or signed with a key not fetched yet) make
   * the verifier ask auth for its keys, as often as the rate limit allows: while auth hangs, those
   * asks fail and use up the rate limit, and the rate limiter sits above Nimbus' outage cache.
   * Valid tokens must still verify with the last keys, and the unknown ones be refused.
   */
  @Test
  void tokensWithUnknownKeysDuringAHungAuthNeverStopValidOnes() throws Exception {
    cut.verify(token());
    frozen = true;
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("unknown").generate();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2 * CACHE_TIME.toSeconds());
    int verified = 0;
    while (System.nanoTime() < end) {
      try {
        cut.verify(token(stranger));
      } catch (AccessTokenVerifier.Refused expected) {
        // never known: refused, as it must be
      }
      assertEquals("subject-1", cut.verify(token()).subject());
      verified++;
      Thread.sleep(50);
    }
    // Each unknown key id waits up to a hung fetch (about 1 s) while the rate limit lets it ask.
    assertTrue(verified > 5, "verified " + verified);
  }

  /** Verifies a fresh valid token every 50 ms for {@code seconds}; the slowest one's time. */
  private long verifyForSeconds(long seconds) throws Exception {
    long slowest = 0;
    int verified = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      String token = token();
      long start = System.nanoTime();
      assertEquals("subject-1", cut.verify(token).subject());
      slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      verified++;
      Thread.sleep(50);
    }
    assertTrue(verified > 20, "verified " + verified);
    return slowest;
  }

  private String token() throws Exception {
    return token(key);
  }

  private String token(RSAKey signer) throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(signer.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            new JWTClaimsSet.Builder()
                .issuer("teamchat-auth")
                .audience("teamchat")
                .subject("subject-1")
                .claim("upn", "ada")
                .claim("groups", List.of("user"))
                .jwtID("j-" + now.toEpochMilli())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .build());
    jwt.sign(new RSASSASigner(signer));
    return jwt.serialize();
  }
}
