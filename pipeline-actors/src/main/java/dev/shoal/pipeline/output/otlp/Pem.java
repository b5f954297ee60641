package dev.shoal.pipeline.output.otlp;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys in PEM, as pipelines and Kubernetes Secrets carry them. Keys may be
 * PKCS#8 ({@code PRIVATE KEY}: RSA, EC, EdDSA), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC
 * PRIVATE KEY}), unencrypted. Every error names the pipeline field that holds the bad PEM.
 */
final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  private static final byte[] RSA_ALGORITHM =
      HexFormat.of().parseHex("300d06092a864886f70d0101010500");
  private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");
  private static final byte[] VERSION_0 = {Der.INTEGER, 1, 0};

  private Pem() {}

  /** A block between BEGIN and END lines: its type ({@code CERTIFICATE}, ...) and its bytes. */
  record Block(String type, byte[] der) {}

  static List<Block> blocks(String field, String pem) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      String body = m.group(2);
      if (body.contains("Proc-Type:")) {
        throw new IllegalArgumentException(
            field + " is an encrypted PEM block; give it unencrypted");
      }
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            field + " holds a PEM block (" + m.group(1) + ") that is not valid base64", e);
      }
    }
    return blocks;
  }

  /** Every {@code CERTIFICATE} block, in order; at least one. */
  static List<X509Certificate> certificates(String field, String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(field, pem)) {
        if (!block.type().equals("CERTIFICATE")) continue;
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          field + " holds a PEM certificate that cannot be read: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          field + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /** The first private key block. */
  static PrivateKey privateKey(String field, String pem) {
    for (Block block : blocks(field, pem)) {
      byte[] pkcs8;
      switch (block.type()) {
        case "PRIVATE KEY" -> pkcs8 = block.der();
        case "RSA PRIVATE KEY" -> pkcs8 = converted(field, block, Pem::rsaPkcs1ToPkcs8);
        case "EC PRIVATE KEY" -> pkcs8 = converted(field, block, Pem::ecSec1ToPkcs8);
        case "ENCRYPTED PRIVATE KEY" ->
            throw new IllegalArgumentException(
                field + " is an encrypted private key; give it unencrypted");
        default -> {
          continue;
        }
      }
      return pkcs8(field, pkcs8);
    }
    throw new IllegalArgumentException(
        field + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  private static byte[] converted(String field, Block block, UnaryOperator<byte[]> toPkcs8) {
    try {
      return toPkcs8.apply(block.der());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          field + " holds a " + block.type() + " block that cannot be read: " + e.getMessage(), e);
    }
  }

  private static PrivateKey pkcs8(String field, byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "EdDSA", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | IllegalArgumentException notThisOne) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(
        field + " is not an RSA, EC or EdDSA private key that can be read");
  }

  /** PKCS#1 RSAPrivateKey → PrivateKeyInfo with the rsaEncryption algorithm. */
  private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    Der.Element key = Der.read(pkcs1, 0);
    if (key.tag() != Der.SEQUENCE) throw new IllegalArgumentException("not a DER sequence");
    return Der.element(
        Der.SEQUENCE, VERSION_0, RSA_ALGORITHM, Der.element(Der.OCTET_STRING, key.encoded()));
  }

  /**
   * SEC1 ECPrivateKey → PrivateKeyInfo with the id-ecPublicKey algorithm and the curve the SEC1
   * structure names in its {@code parameters [0]}.
   */
  private static byte[] ecSec1ToPkcs8(byte[] sec1) {
    Der.Element key = Der.read(sec1, 0);
    if (key.tag() != Der.SEQUENCE) throw new IllegalArgumentException("not a DER sequence");
    Der.Element version = Der.read(sec1, key.contentStart());
    Der.Element privateKey = Der.read(sec1, version.end());
    byte[] curve = null;
    for (int pos = privateKey.end(); pos < key.end(); ) {
      Der.Element e = Der.read(sec1, pos);
      if (e.tag() == Der.CONTEXT_0) {
        Der.Element oid = Der.read(sec1, e.contentStart());
        if (oid.tag() == Der.OID) curve = oid.encoded();
      }
      pos = e.end();
    }
    if (curve == null) {
      throw new IllegalArgumentException("the EC key does not name its curve");
    }
    return Der.element(
        Der.SEQUENCE,
        VERSION_0,
        Der.element(Der.SEQUENCE, EC_PUBLIC_KEY_OID, curve),
        Der.element(Der.OCTET_STRING, key.encoded()));
  }
}
