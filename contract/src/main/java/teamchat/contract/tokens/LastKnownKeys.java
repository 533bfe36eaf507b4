package teamchat.contract.tokens;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Auth's keys from Nimbus' cache, and when that fails, the keys it gave before. Nimbus keeps the
 * last keys through an outage, but its cache may still answer with an error under load (a refresh
 * that outlasts the wait for it, a fetch refused by the rate limit): the fault test saw chatfront
 * answer a valid service token with 401 five minutes (one cache time) after chatfront started,
 * while auth was frozen. A key auth once published verifies its tokens until they expire, so using
 * it again is safe. Only keys Nimbus returned are kept (a handful: one per rotation), and a key
 * auth stops publishing is dropped as soon as auth answers, since the fallback serves only on
 * failure.
 *
 * <p>Not yet replaced by a Nimbus setting, because the fault test's error was not reproduced at
 * this depth: with the verifier's configuration, Nimbus 10.10 alone keeps verifying valid tokens
 * through a hung auth, a dead auth, and unknown key ids asked for while auth hangs
 * (KeysThroughAnAuthOutageTest passes without this class). Its cache does have two ways to answer a
 * caller with an error while it holds keys, both once the cached set has expired: a refresh that
 * outlasts {@code LONGEST_WAIT_FOR_KEYS} for those waiting on it, and a fetch refused by the rate
 * limiter, which JWKSourceBuilder places above the outage cache (and whose exception is not one the
 * outage cache catches), so that no order of its options covers it.
 */
final class LastKnownKeys implements JWKSource<SecurityContext> {

  private static final Logger LOG = Logger.getLogger(LastKnownKeys.class.getName());

  private final JWKSource<SecurityContext> keys;
  private final Map<String, JWK> known = new ConcurrentHashMap<>();

  LastKnownKeys(JWKSource<SecurityContext> keys) {
    this.keys = keys;
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
    try {
      List<JWK> found = keys.get(selector, context);
      for (JWK key : found) {
        known.put(key.getKeyID() == null ? "" : key.getKeyID(), key);
      }
      return found;
    } catch (KeySourceException e) {
      List<JWK> fallback = selector.select(new JWKSet(List.copyOf(known.values())));
      if (fallback.isEmpty()) {
        throw e;
      }
      LOG.log(Level.FINE, "auth's keys could not be read; using those known: {0}", e.toString());
      return fallback;
    }
  }
}
