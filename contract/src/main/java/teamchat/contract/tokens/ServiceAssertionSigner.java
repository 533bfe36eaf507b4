package teamchat.contract.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Signs a service's own assertions (the private_key_jwt idea of RFC 7523): a JWT with {@code iss} =
 * {@code sub} = the service, {@code aud} = the service it calls, {@code jti}, {@code iat}, {@code
 * exp}, signed ES256 with a private key only this service holds, and checked by {@link
 * ServiceAssertionVerifier}. No other service takes part: chatserv makes its own credentials, so an
 * auth outage of any length cannot stop it from calling chatfront.
 *
 * <p>One assertion serves every call until half its lifetime is gone, then the next call signs a
 * new one (a local signature, well under a millisecond: no lock, no waiting; two callers that meet
 * at that moment each sign one, both valid). The key file is read again for each new assertion, so
 * a key replaced on disk is used within half a lifetime, without a restart (docs/tokens.md).
 */
public final class ServiceAssertionSigner {

  /** The key cannot be read: nothing can be signed, so the call cannot be made. */
  public static class Unavailable extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Signed(String token, Instant renewAt) {}

  private final Path keyFile;
  private final String issuer;
  private final String audience;
  private final Duration lifetime;
  private final Clock clock;
  private volatile Signed current;

  public ServiceAssertionSigner(
      Path keyFile, String issuer, String audience, Duration lifetime, Clock clock) {
    this.keyFile = keyFile;
    this.issuer = issuer;
    this.audience = audience;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /**
   * An assertion valid for at least half its lifetime.
   *
   * @throws Unavailable when the key file cannot be read
   */
  public String current() {
    Signed held = current;
    Instant now = clock.instant();
    if (held != null && now.isBefore(held.renewAt)) {
      return held.token;
    }
    Signed signed = sign(now);
    current = signed;
    return signed.token;
  }

  /** The callee refused the assertion in hand: the next call signs a new one. */
  public void discard() {
    current = null;
  }

  private Signed sign(Instant now) {
    try {
      // Whole seconds, as JWT times are: the lifetime the verifier computes is exactly lifetime.
      Instant issued = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).type(ServiceAssertionVerifier.TYPE).build(),
              new JWTClaimsSet.Builder()
                  .issuer(issuer)
                  .subject(issuer)
                  .audience(audience)
                  .jwtID(UUID.randomUUID().toString())
                  .issueTime(Date.from(issued))
                  .expirationTime(Date.from(issued.plus(lifetime)))
                  .build());
      jwt.sign(new ECDSASigner(PemKeys.privateKey(keyFile)));
      return new Signed(jwt.serialize(), now.plus(lifetime.dividedBy(2)));
    } catch (IOException | JOSEException e) {
      throw new Unavailable("cannot sign a service assertion with " + keyFile + ": " + e, e);
    }
  }
}
