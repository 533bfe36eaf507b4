package teamchat.auth.tokens.control;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import jakarta.annotation.Priority;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The RSA keys that sign access tokens, kept in the database (never in git, shared by every auth
 * instance). The first start generates one while the application starts, so the JWKS holds a key
 * from the first request on. When the newest key is older than {@code auth.keys.rotate-after}, a
 * new one is made; it is published in the JWKS for {@code auth.keys.publish-ahead} before it signs,
 * so that verifiers that cache the JWKS know it in time, and the key it replaces stays published
 * until every token it signed has expired.
 */
@ApplicationScoped
public class SigningKeys {

  private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());
  private static final int KEY_BITS = 2048;

  /** Tolerated clock difference between auth and the verifiers. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  @Inject DataSource dataSource;
  @Inject SigningKeyCipher cipher;

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
   * parse them all. Keys made by another instance are seen this late at worst, well within
   * publish-ahead.
   */
  static final Duration RELOAD_EVERY = Duration.ofSeconds(10);

  private record StoredKey(RSAKey jwk, Instant createdAt) {}

  private List<StoredKey> loaded;
  private Instant loadedAt = Instant.EPOCH;

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
      LOG.warning(
          () ->
              "No signing key at start ("
                  + e.getMessage()
                  + "); the first request for the keys or a token makes or reads it");
    }
  }

  /** The key to sign with now; makes the next key first when rotation is due. */
  public synchronized RSAKey signingKey() {
    List<StoredKey> keys = keys();
    Instant now = Instant.now();
    if (keys.isEmpty()) {
      return store(generate()).jwk; // first start: nobody can have cached an older JWKS
    }
    if (keys.get(keys.size() - 1).createdAt.plus(rotateAfter).isBefore(now)) {
      keys.add(store(generate()));
    }
    return signerAt(keys, now).jwk;
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
  private synchronized List<StoredKey> keys() {
    Instant now = Instant.now();
    if (loaded == null || loadedAt.plus(RELOAD_EVERY).isBefore(now)) {
      loaded = keysOldestFirst();
      loadedAt = now;
    }
    return new ArrayList<>(loaded);
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
    try (Connection db = dataSource.getConnection();
        PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO accounts.signing_key (kid, private_key, public_key) VALUES (?, ?, ?) RETURNING created_at")) {
      insert.setString(1, fresh.getKeyID());
      insert.setBytes(2, cipher.seal(fresh.toRSAPrivateKey().getEncoded(), fresh.getKeyID()));
      insert.setBytes(3, fresh.toRSAPublicKey().getEncoded());
      try (ResultSet created = insert.executeQuery()) {
        created.next();
        LOG.info(() -> "New signing key " + fresh.getKeyID());
        loaded = null; // read again, with the new key, on next use
        return new StoredKey(fresh, created.getTimestamp(1).toInstant());
      }
    } catch (SQLException | JOSEException e) {
      throw new IllegalStateException("could not store a new signing key", e);
    }
  }

  private static RSAKey generate() {
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

  private void seal(Connection db, String kid, byte[] pkcs8) throws SQLException {
    try (PreparedStatement update =
        db.prepareStatement("UPDATE accounts.signing_key SET private_key = ? WHERE kid = ?")) {
      update.setBytes(1, cipher.seal(pkcs8, kid));
      update.setString(2, kid);
      update.executeUpdate();
      LOG.info(() -> "Signing key " + kid + " is encrypted now");
    }
  }

  private List<StoredKey> keysOldestFirst() {
    List<StoredKey> keys = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT kid, private_key, public_key, created_at FROM accounts.signing_key ORDER BY created_at, kid");
        ResultSet rows = query.executeQuery()) {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      while (rows.next()) {
        String kid = rows.getString("kid");
        byte[] stored = rows.getBytes("private_key");
        RSAPublicKey publicKey =
            (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(rows.getBytes("public_key")));
        byte[] pkcs8 = cipher.open(stored, kid);
        RSAPrivateKey privateKey =
            (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        if (cipher.seals() && !SigningKeyCipher.isSealed(stored)) {
          seal(db, kid, pkcs8); // stored before keys were encrypted: encrypted from now on
        }
        keys.add(
            new StoredKey(
                jwk(publicKey, privateKey, kid), rows.getTimestamp("created_at").toInstant()));
      }
    } catch (SQLException | NoSuchAlgorithmException | InvalidKeySpecException e) {
      throw new IllegalStateException("could not read the signing keys", e);
    }
    return keys;
  }
}
