package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chatserv's assertion key pair, made by {@code ./chat up} on the first start and kept. */
class LocalSecretsTest {

  @TempDir Path data;

  @Test
  void theKeyPairIsMadeOnceAsPemOwnerOnlyAndItsHalvesBelongTogether() throws Exception {
    LocalSecrets secrets = new LocalSecrets(data.resolve("secrets"));
    LocalSecrets.KeyPairFiles first = secrets.keyPair("chatserv-assertion");
    String privatePem = Files.readString(first.privateKey());
    String publicPem = Files.readString(first.publicKey());
    assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----\n"), privatePem);
    assertTrue(publicPem.startsWith("-----BEGIN PUBLIC KEY-----\n"), publicPem);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(first.privateKey())));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secrets"))));

    PrivateKey privateKey =
        KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(privatePem)));
    PublicKey publicKey =
        KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der(publicPem)));
    assertEquals(256, ((ECPublicKey) publicKey).getParams().getCurve().getField().getFieldSize());
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(privateKey);
    signer.update("chatserv".getBytes(StandardCharsets.UTF_8));
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(publicKey);
    verifier.update("chatserv".getBytes(StandardCharsets.UTF_8));
    assertTrue(verifier.verify(signature), "the public key is the private key's");

    // Kept between starts: chatfront's copy of the public key stays right.
    LocalSecrets.KeyPairFiles again = secrets.keyPair("chatserv-assertion");
    assertEquals(privatePem, Files.readString(again.privateKey()));
    assertEquals(publicPem, Files.readString(again.publicKey()));

    // A pair missing a half is made anew, both halves together.
    Files.delete(again.publicKey());
    LocalSecrets.KeyPairFiles remade = secrets.keyPair("chatserv-assertion");
    assertNotEquals(privatePem, Files.readString(remade.privateKey()));
    assertTrue(Files.exists(remade.publicKey()));
  }

  private static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }
}
