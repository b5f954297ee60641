package dev.shoal.manager.reconcile;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates with chosen validity, as PEM, made with BouncyCastle. */
final class TestCertificates {
  private TestCertificates() {}

  private static final AtomicLong SERIAL = new AtomicLong(1);

  /** A certificate and its private key, both PEM. */
  record Issued(String certPem, String keyPem, KeyPair keys) {}

  static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair rsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed EC certificate valid until {@code notAfter}; key as PKCS#8. */
  static Issued validUntil(String commonName, Instant notAfter) {
    return issue(commonName, ecKeys(), notAfter.minusSeconds(3 * 365 * 24 * 3600L), notAfter);
  }

  static Issued issue(String commonName, KeyPair keys, Instant notBefore, Instant notAfter) {
    try {
      X500Name name = new X500Name("CN=" + commonName);
      var builder =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(SERIAL.getAndIncrement()),
              Date.from(notBefore),
              Date.from(notAfter),
              name,
              keys.getPublic());
      String algorithm =
          keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      var holder = builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()));
      return new Issued(pem(holder), pkcs8(keys), keys);
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pkcs8(KeyPair keys) throws IOException {
    return pem(new JcaPKCS8Generator(keys.getPrivate(), null));
  }

  /** The key the way OpenSSL writes it traditionally: PKCS#1 for RSA, SEC1 for EC. */
  static String traditional(KeyPair keys) throws IOException {
    return pem(keys.getPrivate());
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString().trim();
  }
}
