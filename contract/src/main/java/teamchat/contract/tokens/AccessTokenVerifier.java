package teamchat.contract.tokens;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import teamchat.contract.revocation.RevokedSessions;

/**
 * Verifies an access token completely, the same way wherever one arrives:
 *
 * <ul>
 *   <li>exact compact syntax (three base64url segments, nothing before or after: a trailing NUL or
 *       space is a different token) and at most {@value #MAX_TOKEN_LENGTH} characters;
 *   <li>header {@code alg: RS256} only and {@code typ: JWT} required; the key comes only from
 *       auth's JWKS, never from the token ({@code jku}, {@code x5u}, {@code jwk} are ignored);
 *   <li>claims {@code iss} and {@code aud} as configured; {@code sub}, {@code upn}, {@code jti},
 *       {@code iat} and {@code exp} present; {@code exp} not past and {@code nbf} not ahead; {@code
 *       iat} not in the future; {@code exp - iat} at most {@code token.max-lifetime}; one clock
 *       skew, {@code token.clock-skew}, for every time comparison;
 *   <li>the token's session ({@code sid}) not revoked.
 * </ul>
 *
 * <p>What a token may do (its {@code groups}) is the caller's question: {@link Verified#groups()}.
 *
 * <p>Auth stays out of the path of every verification: the keys are fetched again in the background
 * {@link #REFRESH_AHEAD} before their {@link #KEYS_CACHE_TIME} ends, so no caller waits for auth;
 * when auth cannot be reached (or hangs: each fetch gives up after Nimbus' 0.5 s connect and read
 * timeouts, once retried) the last known keys stay in force however long the outage lasts. A token
 * that names an unknown key id makes the verifier fetch at once (rotation), at most every 30 s.
 */
@ApplicationScoped
public class AccessTokenVerifier {

  /** Far above any token auth issues; bounds the work spent on what a stranger sends. */
  public static final int MAX_TOKEN_LENGTH = 8 * 1024;

  private static final Pattern COMPACT_JWS =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  /**
   * The group of a service calling another, such as chatserv calling chatfront's API. Only {@link
   * ServiceAssertionVerifier} grants it, to a service's own signed assertion: a token of auth's
   * that claims it is refused here, so auth (or its key) cannot hand out a service's power.
   */
  public static final String SERVICE_GROUP = "chat-service";

  private static final Set<String> REQUIRED_CLAIMS = Set.of("sub", "upn", "jti", "iat", "exp");

  /** How long fetched keys count as current; auth publishes a new key 10 minutes ahead of use. */
  static final Duration KEYS_CACHE_TIME = Duration.ofMinutes(5);

  /** How long before the end of the cache time the background fetch starts. */
  static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);

  /**
   * How long a verification waits for a fetch in progress: only when there are no keys at all (auth
   * unreachable since this service started). A hung fetch gives up sooner: 0.5 s to connect plus
   * 0.5 s to read, tried twice.
   */
  static final Duration LONGEST_WAIT_FOR_KEYS = Duration.ofSeconds(3);

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.publickey.location")
  String jwksLocation;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.issuer")
  String issuer;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.audiences")
  String audience;

  @Inject
  @ConfigProperty(name = "token.clock-skew")
  Duration clockSkew;

  @Inject
  @ConfigProperty(name = "token.max-lifetime")
  Duration maxLifetime;

  @Inject RevokedSessions revokedSessions;

  /** Runs the background fetches of the keys (Jakarta Concurrency: container threads). */
  @Resource ManagedScheduledExecutorService scheduler;

  Clock clock = Clock.systemUTC();
  private Predicate<String> revoked;
  private ConfigurableJWTProcessor<SecurityContext> processor;

  /**
   * A verified token: who, which session (null for a service), what it may do, since when ({@code
   * iat}) and until when.
   */
  public record Verified(
      String subject,
      String username,
      String name,
      String session,
      String id,
      List<String> groups,
      Instant issued,
      Instant expires) {

    public boolean inGroup(String group) {
      return groups.contains(group);
    }
  }

  /** The token was refused; {@code code} says why, in the words clients are told. */
  public static class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    public final String code;

    Refused(String code) {
      super(code);
      this.code = code;
    }
  }

  @PostConstruct
  void build() {
    configure(
        keysAt(jwksLocation, KEYS_CACHE_TIME, REFRESH_AHEAD, scheduler),
        issuer,
        audience,
        clockSkew,
        maxLifetime,
        revokedSessions::isRevoked);
  }

  /**
   * A verifier without CDI, for unit tests and tools: the keys from the JWKS at {@code jwksUrl},
   * sessions revoked when {@code revoked} says so.
   */
  public static AccessTokenVerifier of(
      String jwksUrl,
      String issuer,
      String audience,
      Duration clockSkew,
      Duration maxLifetime,
      Predicate<String> revoked) {
    return of(
        keysAt(
            jwksUrl,
            KEYS_CACHE_TIME,
            REFRESH_AHEAD,
            Executors.newSingleThreadScheduledExecutor(DAEMONS)),
        issuer,
        audience,
        clockSkew,
        maxLifetime,
        revoked,
        Clock.systemUTC());
  }

  /** Background fetches of a verifier made without CDI: they never keep a tool's JVM alive. */
  private static final ThreadFactory DAEMONS =
      runnable -> {
        Thread thread = new Thread(runnable, "jwks-refresh");
        thread.setDaemon(true);
        return thread;
      };

  static AccessTokenVerifier of(
      JWKSource<SecurityContext> keys,
      String issuer,
      String audience,
      Duration clockSkew,
      Duration maxLifetime,
      Predicate<String> revoked,
      Clock clock) {
    AccessTokenVerifier verifier = new AccessTokenVerifier();
    verifier.clock = clock;
    verifier.configure(keys, issuer, audience, clockSkew, maxLifetime, revoked);
    return verifier;
  }

  /** Auth's keys as the class comment says; {@code scheduler} runs the background fetches. */
  static JWKSource<SecurityContext> keysAt(
      String jwksUrl,
      Duration cacheTime,
      Duration refreshAhead,
      ScheduledExecutorService scheduler) {
    URL url;
    try {
      url = URI.create(jwksUrl).toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "mp.jwt.verify.publickey.location is not a URL: " + jwksUrl, e);
    }
    return new LastKnownKeys(
        JWKSourceBuilder.<SecurityContext>create(url)
            .cache(cacheTime.toMillis(), LONGEST_WAIT_FOR_KEYS.toMillis())
            // Scheduled: the keys are fetched again before they expire even when no token arrives,
            // so a verification never finds them expired and never waits on auth.
            .refreshAheadCache(refreshAhead.toMillis(), null, scheduler, false, scheduler, false)
            // Fetches for unknown key ids: 30 s apart at the 5-minute cache time (Nimbus' default).
            .rateLimited(cacheTime.toMillis() / 10)
            .retrying(true)
            // Inside the cache: a fetch that fails yields the last keys, which the cache then keeps
            // for another cache time, so an outage of any length costs no caller a wait.
            .outageTolerantForever()
            .build());
  }

  private void configure(
      JWKSource<SecurityContext> keys,
      String issuer,
      String audience,
      Duration clockSkew,
      Duration maxLifetime,
      Predicate<String> revoked) {
    this.revoked = revoked;
    processor = new DefaultJWTProcessor<>();
    // typ is required and must be JWT: a token of another kind (an ID token, a JWE) is not ours.
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    processor.setJWTClaimsSetVerifier(
        new ClaimsPolicy(
            audience,
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            REQUIRED_CLAIMS,
            clockSkew,
            maxLifetime,
            clock));
  }

  /** Verifies {@code token} as it arrived, byte for byte. */
  public Verified verify(String token) throws Refused {
    if (token == null || token.isEmpty()) {
      throw new Refused("token_missing");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new Refused("token_too_long");
    }
    if (!COMPACT_JWS.matcher(token).matches()) {
      throw new Refused("token_invalid");
    }
    JWTClaimsSet claims;
    List<String> groups;
    try {
      claims = processor.process(token, null);
      groups = claims.getStringListClaim("groups");
      if (groups != null && groups.contains(SERVICE_GROUP)) {
        throw new BadJWTException("a service's group in one of auth's tokens");
      }
    } catch (Exception e) {
      // ParseException, BadJOSEException, JOSEException, a claim of the wrong type: all mean the
      // same to the client, and none is the server's fault.
      throw new Refused("token_invalid");
    }
    String session;
    String username;
    String name;
    try {
      session = claims.getStringClaim("sid");
      username = claims.getStringClaim("upn");
      name = claims.getStringClaim("name");
    } catch (java.text.ParseException e) {
      throw new Refused("token_invalid");
    }
    if (session != null && revoked.test(session)) {
      throw new Refused("session_revoked");
    }
    return new Verified(
        claims.getSubject(),
        username,
        name == null ? username : name,
        session,
        claims.getJWTID(),
        groups == null ? List.of() : List.copyOf(groups),
        claims.getIssueTime().toInstant(),
        claims.getExpirationTime().toInstant());
  }

  /** Whether a token verified earlier still holds now: not expired, session not revoked. */
  public boolean stillValid(Instant expires, String session) {
    return expires.isAfter(clock.instant()) && (session == null || !revoked.test(session));
  }
}
