package teamchat.contract.tokens;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Verifies a service's own assertion ({@link ServiceAssertionSigner}): the service calls with
 * credentials it signs itself, so no third service (auth) stands in the path of the call. It is a
 * path apart from {@link AccessTokenVerifier} on purpose: the two trust different signers for
 * different powers. People's tokens are auth's, keys from auth's JWKS, sessions that can be
 * revoked; a service's assertion is trusted only under the public keys configured for that one
 * service, never fetched from anywhere. Keeping them apart means neither key can mint the other's
 * power: {@link AccessTokenVerifier} refuses auth's tokens claiming the service's group, and this
 * verifier grants nothing but that group, to nothing but the configured issuer.
 *
 * <p>The checks: compact syntax and at most {@link AccessTokenVerifier#MAX_TOKEN_LENGTH}
 * characters; header {@code alg: ES256} only and {@code typ} {@value #TYPE_NAME} (explicit typing,
 * RFC 8725: an access token is never taken for an assertion, nor the other way round); {@code iss}
 * and {@code sub} the service's id, {@code aud} the callee's; {@code jti}, {@code iat}, {@code exp}
 * present; {@code exp} not past, {@code iat} not ahead, {@code exp - iat} at most the assertion
 * lifetime; the same clock skew as every token ({@code token.clock-skew}).
 *
 * <p>The public keys are read from a PEM file, one or two ({@link PemKeys#publicKeys}): two while a
 * key is rotated, so that the old and the new one both verify. The file is read again when it
 * changes (its modification time or size), so a rotation needs no restart; a file that cannot be
 * read keeps the keys read before in force, and says so in the log once.
 *
 * <p>A service signs one assertion for many calls (half its lifetime, {@link
 * ServiceAssertionSigner}), and an ES256 signature check with the claims' parsing costs a store
 * call far more than the store's own SQL per message, so an assertion verified once is remembered
 * by its SHA-256 until it expires ({@link #MAX_REMEMBERED} at most). What can change after the full
 * check is checked again at every use: the time ({@code exp} and {@code iat} against the clock,
 * with the skew) and the keys (an assertion verified under keys that the file no longer holds is
 * verified in full again, so a key withdrawn from the file is withdrawn at once). Everything else
 * the full check looked at is in the bytes the digest covers.
 */
public final class ServiceAssertionVerifier {

  static final String TYPE_NAME = "service-assertion+jwt";

  /** The {@code typ} of every service assertion. */
  public static final JOSEObjectType TYPE = new JOSEObjectType(TYPE_NAME);

  private static final Logger LOG = Logger.getLogger(ServiceAssertionVerifier.class.getName());

  private static final Pattern COMPACT_JWS =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private static final Set<String> REQUIRED_CLAIMS =
      Set.of("iss", "sub", "aud", "jti", "iat", "exp");

  /**
   * Assertions remembered at most: a service renews its assertion every half lifetime, so a few per
   * calling instance are live at a time; more than this means someone sends many different valid
   * ones, and each is then verified in full.
   */
  static final int MAX_REMEMBERED = 64;

  private final String issuer;
  private final Duration clockSkew;
  private final Clock clock;
  private final KeyFile keys;
  private final ConfigurableJWTProcessor<SecurityContext> processor;

  /** An assertion verified in full, under which keys, by the SHA-256 of its text. */
  private record Remembered(AccessTokenVerifier.Verified caller, JWKSet keys) {}

  private final Map<ByteBuffer, Remembered> remembered = new ConcurrentHashMap<>();

  /** How many assertions were verified in full (signature and claims), for tests. */
  private final LongAdder fullVerifications = new LongAdder();

  /**
   * @param keyFile the PEM file of the service's public keys
   * @param issuer the calling service's id, its assertions' {@code iss} and {@code sub}
   * @param audience this service's id, the assertions' {@code aud}
   * @param clockSkew allowed in every time comparison
   * @param maxLifetime the longest {@code exp - iat} an assertion may claim
   */
  public ServiceAssertionVerifier(
      Path keyFile,
      String issuer,
      String audience,
      Duration clockSkew,
      Duration maxLifetime,
      Clock clock) {
    this.issuer = issuer;
    this.clockSkew = clockSkew;
    this.clock = clock;
    keys = new KeyFile(keyFile);
    processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TYPE));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
    processor.setJWTClaimsSetVerifier(
        new ClaimsPolicy(
            audience,
            new JWTClaimsSet.Builder().issuer(issuer).subject(issuer).build(),
            REQUIRED_CLAIMS,
            clockSkew,
            maxLifetime,
            clock));
  }

  /**
   * Whether {@code token} says it is a service assertion (its header's {@code typ}): which verifier
   * is to judge it. Says nothing of its validity: the chosen verifier checks the signature over
   * that header too.
   */
  public static boolean claimsToBeAnAssertion(String token) {
    if (token == null || token.length() > AccessTokenVerifier.MAX_TOKEN_LENGTH) {
      return false;
    }
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    try {
      return TYPE.equals(JWSHeader.parse(new Base64URL(token.substring(0, dot))).getType());
    } catch (java.text.ParseException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Verifies {@code assertion} as it arrived; the caller is the configured service, with the
   * service's group and nothing else.
   */
  public AccessTokenVerifier.Verified verify(String assertion) throws AccessTokenVerifier.Refused {
    if (assertion == null || assertion.isEmpty()) {
      throw new AccessTokenVerifier.Refused("token_missing");
    }
    if (assertion.length() > AccessTokenVerifier.MAX_TOKEN_LENGTH) {
      throw new AccessTokenVerifier.Refused("token_too_long");
    }
    if (!COMPACT_JWS.matcher(assertion).matches()) {
      throw new AccessTokenVerifier.Refused("token_invalid");
    }
    ByteBuffer digest = sha256(assertion);
    JWKSet keysNow = keys.current();
    Remembered known = remembered.get(digest);
    if (known != null && known.keys == keysNow) {
      if (inTime(known.caller)) {
        return known.caller;
      }
      remembered.remove(digest);
      throw new AccessTokenVerifier.Refused("token_invalid");
    }
    AccessTokenVerifier.Verified caller = verifyInFull(assertion);
    remember(digest, new Remembered(caller, keysNow));
    return caller;
  }

  /** How many assertions were verified in full so far (not answered from memory), for tests. */
  long fullVerifications() {
    return fullVerifications.sum();
  }

  private AccessTokenVerifier.Verified verifyInFull(String assertion)
      throws AccessTokenVerifier.Refused {
    fullVerifications.increment();
    JWTClaimsSet claims;
    try {
      claims = processor.process(assertion, null);
    } catch (Exception e) {
      // Every problem alike, as for access tokens: a stranger learns nothing of which check failed.
      throw new AccessTokenVerifier.Refused("token_invalid");
    }
    return new AccessTokenVerifier.Verified(
        issuer,
        issuer,
        issuer,
        null,
        claims.getJWTID(),
        List.of(AccessTokenVerifier.SERVICE_GROUP),
        claims.getIssueTime().toInstant(),
        claims.getExpirationTime().toInstant());
  }

  /**
   * The time checks of {@link ClaimsPolicy} for a remembered assertion, with the same skew: not
   * expired ({@code exp} plus the skew after now), not issued ahead (a clock set back).
   */
  private boolean inTime(AccessTokenVerifier.Verified caller) {
    Instant now = clock.instant();
    return now.isBefore(caller.expires().plus(clockSkew))
        && !caller.issued().isAfter(now.plus(clockSkew));
  }

  /**
   * Remembers a verified assertion; when {@link #MAX_REMEMBERED} are held, the expired ones are
   * forgotten first, and all of them if none had expired (each is then verified in full once more).
   */
  private void remember(ByteBuffer digest, Remembered verified) {
    if (remembered.size() >= MAX_REMEMBERED) {
      remembered.values().removeIf(held -> !inTime(held.caller));
      if (remembered.size() >= MAX_REMEMBERED) {
        remembered.clear();
      }
    }
    remembered.put(digest, verified);
  }

  private static ByteBuffer sha256(String assertion) {
    try {
      return ByteBuffer.wrap(
          MessageDigest.getInstance("SHA-256")
              .digest(assertion.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The public keys in the file, read again when it changes. */
  private static final class KeyFile implements JWKSource<SecurityContext> {

    private record Read(FileTime modified, long size, JWKSet keys) {}

    private final Path file;
    private volatile Read read;
    private volatile boolean failing;

    KeyFile(Path file) {
      this.file = file;
    }

    @Override
    public List<JWK> get(com.nimbusds.jose.jwk.JWKSelector selector, SecurityContext context) {
      return selector.select(current());
    }

    private JWKSet current() {
      Read held = read;
      try {
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        if (held != null && held.modified.equals(modified) && held.size == size) {
          return held.keys;
        }
        List<JWK> keys =
            PemKeys.publicKeys(file).stream()
                .map(key -> (JWK) new ECKey.Builder(Curve.P_256, key).build())
                .toList();
        Read fresh = new Read(modified, size, new JWKSet(keys));
        read = fresh;
        if (failing) {
          failing = false;
          LOG.info("the service keys in " + file + " can be read again");
        }
        LOG.fine(() -> keys.size() + " service key(s) read from " + file);
        return fresh.keys;
      } catch (IOException | RuntimeException e) {
        if (!failing) {
          failing = true;
          LOG.log(
              Level.SEVERE,
              "cannot read the service keys in {0} ({1}); {2}",
              new Object[] {
                file,
                e.toString(),
                held == null
                    ? "every service call is refused"
                    : "the keys read before stay in force"
              });
        }
        return held == null ? new JWKSet() : held.keys;
      }
    }
  }
}
