package teamchat.contract.tokens;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

/**
 * The claim rules every token and assertion meets, whoever signed it: Nimbus' checks (audience,
 * exact claims such as {@code iss}, required claims, {@code exp}, {@code nbf}) plus {@code iat} not
 * ahead and a lifetime ({@code exp - iat}) no longer than {@code maxLifetime}; one clock skew for
 * every time comparison.
 */
final class ClaimsPolicy extends DefaultJWTClaimsVerifier<SecurityContext> {

  private final Duration maxLifetime;
  private final Clock clock;

  ClaimsPolicy(
      String audience,
      JWTClaimsSet exactMatch,
      Set<String> required,
      Duration clockSkew,
      Duration maxLifetime,
      Clock clock) {
    super(audience, exactMatch, required);
    setMaxClockSkew((int) clockSkew.toSeconds());
    this.maxLifetime = maxLifetime;
    this.clock = clock;
  }

  @Override
  protected Date currentTime() {
    return Date.from(clock.instant());
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    super.verify(claims, context);
    Instant now = clock.instant();
    Instant issued = claims.getIssueTime().toInstant();
    Instant expires = claims.getExpirationTime().toInstant();
    if (issued.isAfter(now.plusSeconds(getMaxClockSkew()))) {
      throw new BadJWTException("issued in the future");
    }
    if (Duration.between(issued, expires).compareTo(maxLifetime) > 0) {
      throw new BadJWTException("lifetime above the maximum");
    }
  }
}
