package teamchat.edge;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed TLS server certificate made at test time (EC P-256, valid for two days), written as
 * PEM files for nginx, with what clients need to trust it: an {@link SSLContext} for Java and the
 * SPKI hash for Chromium's {@code --ignore-certificate-errors-spki-list}.
 */
public final class TestCertificate {

  private final X509Certificate certificate;
  private final Path certificateFile;
  private final Path keyFile;

  private TestCertificate(X509Certificate certificate, Path certificateFile, Path keyFile) {
    this.certificate = certificate;
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
  }

  /**
   * Makes a certificate for {@code localhost} and {@code 127.0.0.1} (plus any other DNS names
   * given) and writes {@code cert.pem} and {@code key.pem} (owner-only) into {@code directory}.
   */
  public static TestCertificate create(Path directory, String... extraDnsNames) throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      List<GeneralName> names = new ArrayList<>();
      names.add(new GeneralName(GeneralName.dNSName, "localhost"));
      for (String name : extraDnsNames) {
        names.add(new GeneralName(GeneralName.dNSName, name));
      }
      names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      X500Name subject = new X500Name("CN=localhost, O=teamchat tests");
      Instant now = Instant.now();
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  new JcaX509v3CertificateBuilder(
                          subject,
                          new BigInteger(64, new SecureRandom()),
                          Date.from(now.minus(Duration.ofHours(1))),
                          Date.from(now.plus(Duration.ofDays(2))),
                          subject,
                          keys.getPublic())
                      .addExtension(
                          Extension.subjectAlternativeName,
                          false,
                          new GeneralNames(names.toArray(GeneralName[]::new)))
                      .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                      .addExtension(
                          Extension.extendedKeyUsage,
                          false,
                          new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                      .build(
                          new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      Files.createDirectories(directory);
      Path certificateFile = directory.resolve("cert.pem");
      Path keyFile = directory.resolve("key.pem");
      writePem(certificateFile, "CERTIFICATE", certificate.getEncoded());
      Files.deleteIfExists(keyFile);
      Files.createFile(
          keyFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      // PKCS#8, "PRIVATE KEY": what OpenSSL 3 reads for any key type.
      writePem(keyFile, "PRIVATE KEY", keys.getPrivate().getEncoded());
      return new TestCertificate(certificate, certificateFile, keyFile);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("could not make a test certificate", e);
    }
  }

  private static void writePem(Path file, String type, byte[] der) throws IOException {
    Files.writeString(
        file,
        "-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n",
        StandardCharsets.US_ASCII);
  }

  public Path certificateFile() {
    return certificateFile;
  }

  public Path keyFile() {
    return keyFile;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A TLS context that trusts this certificate and nothing else. */
  public SSLContext sslContext() {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("teamchat-test", certificate);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Base64 of the SHA-256 of the public key: Chromium trusts the certificate with {@code
   * --ignore-certificate-errors-spki-list=<this>}, without trusting anything else.
   */
  public String spkiSha256Base64() {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
