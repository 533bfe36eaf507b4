package teamchat.contract.tokens;

import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the service-assertion keys from the PEM files {@code openssl} and {@code ./chat up} write:
 * a private key as PKCS#8 ({@code BEGIN PRIVATE KEY}), public keys as X.509 SubjectPublicKeyInfo
 * ({@code BEGIN PUBLIC KEY}), EC on the P-256 curve only (ES256). Text outside the blocks (comments
 * an operator adds) is ignored. Only the JDK reads the DER: no key format of our own.
 */
public final class PemKeys {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private PemKeys() {}

  /** The one private key in {@code file}. */
  public static ECPrivateKey privateKey(Path file) throws IOException {
    List<byte[]> blocks = blocks(file, "PRIVATE KEY");
    if (blocks.size() != 1) {
      throw new IOException(file + " holds " + blocks.size() + " private keys, not one");
    }
    try {
      return p256(
          file,
          (ECPrivateKey)
              KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0))));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException(file + " holds no EC private key (PKCS#8)", e);
    }
  }

  /** Every public key in {@code file}, in order: one, or two during a rotation. */
  public static List<ECPublicKey> publicKeys(Path file) throws IOException {
    List<ECPublicKey> keys = new ArrayList<>();
    for (byte[] block : blocks(file, "PUBLIC KEY")) {
      try {
        keys.add(
            p256(
                file,
                (ECPublicKey)
                    KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(block))));
      } catch (GeneralSecurityException | ClassCastException e) {
        throw new IOException(file + " holds a public key that is not EC", e);
      }
    }
    if (keys.isEmpty()) {
      throw new IOException(file + " holds no public key (BEGIN PUBLIC KEY)");
    }
    return List.copyOf(keys);
  }

  private static <K extends ECKey> K p256(Path file, K key) throws IOException {
    if (!Curve.P_256.equals(Curve.forECParameterSpec(key.getParams()))) {
      throw new IOException(file + " holds an EC key on another curve than P-256");
    }
    return key;
  }

  private static List<byte[]> blocks(Path file, String label) throws IOException {
    String text = Files.readString(file, StandardCharsets.ISO_8859_1);
    List<byte[]> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      if (matcher.group(1).equals(label)) {
        try {
          blocks.add(Base64.getMimeDecoder().decode(matcher.group(2)));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + " holds a " + label + " block that is not base64", e);
        }
      }
    }
    return blocks;
  }
}
