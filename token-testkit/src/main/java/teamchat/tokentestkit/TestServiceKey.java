package teamchat.tokentestkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Stands in for chatserv's assertion key in tests: a P-256 key pair made for the test run, written
 * as PEM where the services under test read it ({@value #FOLDER} of the module, which the module's
 * test settings name: {@code chatserv.assertion-key}, {@code chatfront.chatserv-keys}), and
 * assertions as chatserv makes them, for tests that call chatfront's API as chatserv. Minted here
 * with Nimbus directly, not with the contract's signer: the tests check chatfront against the
 * format (docs/tokens.md), not against our own code.
 */
public final class TestServiceKey {

  /** Where the keys go, relative to the module: read by the services only when first used. */
  public static final String FOLDER = "target/test-service-keys";

  public static final String PRIVATE_KEY_FILE = "chatserv-assertion.key";
  public static final String PUBLIC_KEY_FILE = "chatserv-assertion.pub";

  private static final JOSEObjectType TYPE = new JOSEObjectType("service-assertion+jwt");

  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final KeyPair pair;
  private final Path privateKeyFile;
  private final Path publicKeyFile;

  private TestServiceKey(KeyPair pair, Path privateKeyFile, Path publicKeyFile) {
    this.pair = pair;
    this.privateKeyFile = privateKeyFile;
    this.publicKeyFile = publicKeyFile;
  }

  /** A new key pair, written to {@value #FOLDER}: before the first service call of a test run. */
  public static TestServiceKey write() {
    return writeTo(Path.of(FOLDER));
  }

  /** A new key pair, written to {@code folder}. */
  public static TestServiceKey writeTo(Path folder) {
    return writeTo(folder.resolve(PRIVATE_KEY_FILE), folder.resolve(PUBLIC_KEY_FILE));
  }

  /**
   * A new key pair of another service (chatfront's for auth: {@code chatfront-assertion.key} and
   * {@code .pub}), written to {@code folder}; its assertions name their issuer and audience through
   * {@link #assertion(Consumer)}.
   */
  public static TestServiceKey writeTo(Path folder, String name) {
    return writeTo(folder.resolve(name + ".key"), folder.resolve(name + ".pub"));
  }

  private static TestServiceKey writeTo(Path privateKeyFile, Path publicKeyFile) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      TestServiceKey key =
          new TestServiceKey(generator.generateKeyPair(), privateKeyFile, publicKeyFile);
      Files.createDirectories(privateKeyFile.toAbsolutePath().getParent());
      Files.writeString(privateKeyFile, pem("PRIVATE KEY", key.pair.getPrivate()));
      Files.writeString(publicKeyFile, pem("PUBLIC KEY", key.pair.getPublic()));
      return key;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path privateKeyFile() {
    return privateKeyFile;
  }

  public Path publicKeyFile() {
    return publicKeyFile;
  }

  /** A valid assertion of chatserv for chatfront, for 5 minutes from now. */
  public String assertion() {
    return assertion(claims -> {});
  }

  /** An assertion with valid defaults, changed by {@code adjust}. */
  public String assertion(Consumer<JWTClaimsSet.Builder> adjust) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer("chatserv")
            .subject("chatserv")
            .audience("chatfront")
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    adjust.accept(claims);
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE).build(), claims.build());
    try {
      jwt.sign(new ECDSASigner((ECPrivateKey) pair.getPrivate()));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    String assertion = jwt.serialize();
    issued.add(assertion);
    return assertion;
  }

  /** Every assertion made here: what no server log may contain. */
  public Set<String> issued() {
    return Set.copyOf(issued);
  }

  private static String pem(String label, Key key) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END "
        + label
        + "-----\n";
  }
}
