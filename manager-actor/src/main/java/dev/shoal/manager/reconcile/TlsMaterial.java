package dev.shoal.manager.reconcile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys the way the OTLP output will, so that a bad one is
 * reported in the pipeline's status instead of failing each export.
 */
final class TlsMaterial {
  private TlsMaterial() {}

  /** The PEM text cannot be used; the message says why and how to fix it. */
  static final class InvalidTls extends Exception {
    InvalidTls(String message) {
      super(message);
    }
  }

  private static final Pattern CERTIFICATE =
      Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);
  private static final Pattern PRIVATE_KEY =
      Pattern.compile(
          "-----BEGIN ([A-Z ]*)PRIVATE KEY-----(.*?)-----END \\1PRIVATE KEY-----", Pattern.DOTALL);

  /** Every certificate of a PEM text, in order; at least one. */
  static List<X509Certificate> certificates(String pem) throws InvalidTls {
    Matcher m = CERTIFICATE.matcher(pem);
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      while (m.find()) {
        byte[] der = base64(m.group(1), "certificate");
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException e) {
      throw new InvalidTls("is not a valid X.509 certificate (" + e.getMessage() + ")");
    }
    if (certificates.isEmpty()) {
      throw new InvalidTls("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /** The one private key of a PEM text: PKCS#8 ({@code PRIVATE KEY}) or PKCS#1 RSA. */
  static PrivateKey privateKey(String pem) throws InvalidTls {
    Matcher m = PRIVATE_KEY.matcher(pem);
    if (!m.find()) {
      throw new InvalidTls("holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }
    String type = m.group(1).trim();
    byte[] der = base64(m.group(2), "private key");
    if (m.find()) throw new InvalidTls("holds more than one private key; give exactly one");
    return switch (type) {
      case "" -> pkcs8(der);
      case "RSA" -> rsa(pkcs1ToPkcs8(der));
      case "ENCRYPTED" ->
          throw new InvalidTls("is an encrypted private key; give it unencrypted (PKCS#8)");
      default ->
          throw new InvalidTls(
              "is a "
                  + type
                  + " PRIVATE KEY, which is not supported; convert it to PKCS#8 with"
                  + " `openssl pkcs8 -topk8 -nocrypt`");
    };
  }

  /** Whether the key is the private half of the certificate's public key. */
  static boolean belongTogether(X509Certificate certificate, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
          default -> null;
        };
    if (algorithm == null) return true; // cannot tell; the TLS handshake will
    try {
      byte[] probe = "shoal tls key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] base64(String body, String what) throws InvalidTls {
    try {
      return Base64.getDecoder().decode(body.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new InvalidTls("holds a PEM " + what + " that is not valid base64");
    }
  }

  private static PrivateKey pkcs8(byte[] der) throws InvalidTls {
    for (String algorithm : List.of("RSA", "EC", "EdDSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | IllegalArgumentException tryNext) {
        // not this algorithm
      }
    }
    throw new InvalidTls("is not a readable PKCS#8 RSA, EC or EdDSA private key");
  }

  private static PrivateKey rsa(byte[] pkcs8) throws InvalidTls {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidTls("is not a readable PKCS#1 RSA private key");
    }
  }

  // PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption, OCTET STRING key }
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(derLength(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(derLength(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] derLength(int length) {
    if (length < 0x80) return new byte[] {(byte) length};
    if (length < 0x100) return new byte[] {(byte) 0x81, (byte) length};
    if (length < 0x10000) return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
    return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
  }
}
