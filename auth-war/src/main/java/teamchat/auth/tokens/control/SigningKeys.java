package teamchat.auth.tokens.control;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The RSA keys that sign access tokens, kept in the database (never in git, shared by every auth
 * instance). The first start generates one while the application starts, so the JWKS holds a key
 * from the first request on. When the newest key is older than {@code auth.keys.rotate-after}, a
 * new one is made; it is published in the JWKS for {@code auth.keys.publish-ahead} before it signs,
 * so that verifiers that cache the JWKS know it in time, and the key it replaces stays published
 * until every token it signed has expired.
 *
 * <p>No lock is held across a database call that signing waits for: the keys are read again in the
 * background while the last ones read go on signing (also while the database is away), and while
 * one request stores the next key the others sign with the current one, which signs until the new
 * one's publish-ahead has passed anyway.
 */
@ApplicationScoped
public class SigningKeys {

  private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());
  private static final int KEY_BITS = 2048;

  /** Tolerated clock difference between auth and the verifiers. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  @Inject Jdbi jdbi;
  @Inject SigningKeyCipher cipher;

  /** Where the keys are read again when {@link #RELOAD_EVERY} has passed. */
  @Resource ManagedExecutorService executor;

  @Inject
  @ConfigProperty(name = "auth.keys.rotate-after")
  Duration rotateAfter;

  @Inject
  @ConfigProperty(name = "auth.keys.publish-ahead")
  Duration publishAhead;

  @Inject
  @ConfigProperty(name = "auth.access-token.lifetime")
  Duration accessTokenLifetime;

  /**
   * Keys are read again after this long: every token and JWKS request would otherwise read and
   * parse them all. Keys made by another instance are seen this late (plus one read) at worst, well
   * within publish-ahead.
   */
  static final Duration RELOAD_EVERY = Duration.ofSeconds(10);

  record StoredKey(RSAKey jwk, Instant createdAt) {}

  /** A row of {@code signing_key} as stored: the private key possibly sealed. */
  private record KeyRow(String kid, byte[] privateKey, byte[] publicKey, Instant createdAt) {}

  /** The one entry of {@link #loaded}: all keys, oldest first. */
  private static final String ALL = "all";

  LoadingCache<String, List<StoredKey>> loaded; // built by buildCache, or by a test

  /** Held while a key is made and stored, so that two requests do not make two. */
  private final ReentrantLock making = new ReentrantLock();

  @PostConstruct
  void buildCache() {
    loaded = cache(executor, Ticker.systemTicker());
  }

  /**
   * The keys as last read: the first read waits for the database (there is nothing to sign with
   * before it), every later one happens on {@code background} while callers get the keys they had;
   * a later read that fails keeps them (one line in the log each time).
   */
  LoadingCache<String, List<StoredKey>> cache(Executor background, Ticker ticker) {
    return Caffeine.newBuilder()
        .refreshAfterWrite(RELOAD_EVERY)
        .executor(background)
        .ticker(ticker)
        .build(
            new CacheLoader<>() {
              @Override
              public List<StoredKey> load(String all) {
                return keysOldestFirst();
              }

              @Override
              public List<StoredKey> reload(String all, List<StoredKey> lastRead) {
                try {
                  return keysOldestFirst();
                } catch (RuntimeException e) {
                  LOG.warning(
                      () ->
                          "Signing keys not read again (" + e + "); the last ones read still sign");
                  return lastRead;
                }
              }
            });
  }

  /**
   * After the schema migration (which observes the same event at the default priority): reads the
   * keys, or makes the first one on a fresh system, before any request. Verifiers cache the JWKS,
   * so one fetched empty would refuse the first tokens. A database that cannot be reached now must
   * not fail the deployment: then the first JWKS or token request makes or reads the key, as {@link
   * #publicKeys} and {@link #signingKey} do anyway.
   */
  void readyAtStart(
      @Observes
          @Priority(Interceptor.Priority.APPLICATION + 600)
          @Initialized(ApplicationScoped.class)
          Object applicationStarted) {
    try {
      publicKeys();
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      String why = cause == e ? e.toString() : e + ", caused by " + cause;
      LOG.warning(
          () ->
              "No signing key at start ("
                  + why
                  + "); the first request for the keys or a token makes or reads it");
    }
  }

  /**
   * The key to sign with now; makes the next key first when rotation is due, unless another request
   * is making it (then the current key signs: the next one would not sign before its
   * publish-ahead).
   */
  public RSAKey signingKey() {
    Instant now = Instant.now();
    List<StoredKey> keys = keys();
    if (!keys.isEmpty() && !rotationDue(keys, now)) {
      return signerAt(keys, now).jwk;
    }
    if (keys.isEmpty()) {
      making.lock(); // nothing to sign with until the first key is stored
    } else if (!making.tryLock()) {
      return signerAt(keys, now).jwk;
    }
    try {
      keys = keys(); // another request may have made it meanwhile
      if (keys.isEmpty()) {
        return store(generate()).jwk; // first start: nobody can have cached an older JWKS
      }
      if (rotationDue(keys, now)) {
        keys.add(store(generate()));
      }
      return signerAt(keys, now).jwk;
    } finally {
      making.unlock();
    }
  }

  private boolean rotationDue(List<StoredKey> keys, Instant now) {
    return keys.get(keys.size() - 1).createdAt.plus(rotateAfter).isBefore(now);
  }

  /** The public keys verifiers may meet: the signer, the next one, and recently replaced ones. */
  public JWKSet publicKeys() {
    List<StoredKey> keys = keys();
    if (keys.isEmpty()) {
      // A fresh system whose key could not be made at start: make it now, so that verifiers never
      // cache an empty set and then refuse the first tokens signed a moment later.
      signingKey();
      keys = keys();
    }
    Instant now = Instant.now();
    List<JWK> published = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      boolean replaced = i + 1 < keys.size() && !startsSigningAt(keys.get(i + 1)).isAfter(now);
      Instant lastTokenExpires =
          replaced
              ? startsSigningAt(keys.get(i + 1)).plus(accessTokenLifetime).plus(CLOCK_SKEW)
              : now;
      if (!lastTokenExpires.isBefore(now)) {
        published.add(keys.get(i).jwk.toPublicJWK());
      }
    }
    return new JWKSet(published);
  }

  /** The keys, oldest first, from memory when read recently (a copy the caller may extend). */
  private List<StoredKey> keys() {
    return new ArrayList<>(loaded.get(ALL));
  }

  private StoredKey signerAt(List<StoredKey> keys, Instant now) {
    for (int i = keys.size() - 1; i > 0; i--) {
      if (!startsSigningAt(keys.get(i)).isAfter(now)) {
        return keys.get(i);
      }
    }
    return keys.get(0);
  }

  private Instant startsSigningAt(StoredKey key) {
    return key.createdAt.plus(publishAhead);
  }

  private StoredKey store(RSAKey fresh) {
    byte[] sealed;
    byte[] publicKey;
    try {
      sealed = cipher.seal(fresh.toRSAPrivateKey().getEncoded(), fresh.getKeyID());
      publicKey = fresh.toRSAPublicKey().getEncoded();
    } catch (JOSEException e) {
      throw new IllegalStateException("could not encode a new signing key", e);
    }
    Instant createdAt = insert(fresh.getKeyID(), sealed, publicKey);
    LOG.info(() -> "New signing key " + fresh.getKeyID());
    loaded.invalidateAll(); // read again, with the new key, on next use
    return new StoredKey(fresh, createdAt);
  }

  /** Stores a new key's row; when it was stored. */
  Instant insert(String kid, byte[] sealedPrivateKey, byte[] publicKey) {
    return jdbi.withHandle(
        db ->
            db.createQuery(
                    "INSERT INTO accounts.signing_key (kid, private_key, public_key)"
                        + " VALUES (:kid, :privateKey, :publicKey) RETURNING created_at")
                .bind("kid", kid)
                .bind("privateKey", sealedPrivateKey)
                .bind("publicKey", publicKey)
                .mapTo(Instant.class)
                .one());
  }

  static RSAKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(KEY_BITS);
      KeyPair pair = generator.generateKeyPair();
      return jwk((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate(), null);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA key generation is unavailable", e);
    }
  }

  private static RSAKey jwk(RSAPublicKey publicKey, RSAPrivateKey privateKey, String kid) {
    RSAKey.Builder builder =
        new RSAKey.Builder(publicKey)
            .privateKey(privateKey)
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.RS256);
    try {
      return (kid == null ? builder.keyIDFromThumbprint() : builder.keyID(kid)).build();
    } catch (JOSEException e) {
      throw new IllegalStateException("could not compute a key id", e);
    }
  }

  private void seal(Handle db, String kid, byte[] pkcs8) {
    db.createUpdate("UPDATE accounts.signing_key SET private_key = :privateKey WHERE kid = :kid")
        .bind("privateKey", cipher.seal(pkcs8, kid))
        .bind("kid", kid)
        .execute();
    LOG.info(() -> "Signing key " + kid + " is encrypted now");
  }

  /** Every stored key, oldest first, read from the database now. */
  List<StoredKey> keysOldestFirst() {
    return jdbi.withHandle(
        db -> {
          List<KeyRow> rows =
              db.createQuery(
                      "SELECT kid, private_key, public_key, created_at FROM accounts.signing_key"
                          + " ORDER BY created_at, kid")
                  .map(
                      (row, context) ->
                          new KeyRow(
                              row.getString("kid"),
                              row.getBytes("private_key"),
                              row.getBytes("public_key"),
                              row.getTimestamp("created_at").toInstant()))
                  .list();
          List<StoredKey> keys = new ArrayList<>();
          for (KeyRow row : rows) {
            byte[] pkcs8 = cipher.open(row.privateKey(), row.kid());
            if (cipher.seals() && !SigningKeyCipher.isSealed(row.privateKey())) {
              seal(
                  db, row.kid(), pkcs8); // stored before keys were encrypted: encrypted from now on
            }
            keys.add(new StoredKey(jwk(row, pkcs8), row.createdAt()));
          }
          return keys;
        });
  }

  private static RSAKey jwk(KeyRow row, byte[] pkcs8) {
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      return jwk(
          (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(row.publicKey())),
          (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)),
          row.kid());
    } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
      throw new IllegalStateException("could not read signing key " + row.kid(), e);
    }
  }
}
