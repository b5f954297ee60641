package dev.shoal.pipeline.output.otlp;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificate authorities and certificates made on the fly, in PEM as pipelines carry them. */
public final class TestCertificates {
  private static final AtomicLong serials = new AtomicLong(System.currentTimeMillis());
  private static final char[] PASSWORD = "test".toCharArray();
  private static KeyPair rsa;

  private TestCertificates() {}

  /** A certificate with its key pair, and who issued it (itself for a CA). */
  public record Issued(X509Certificate certificate, KeyPair keys, Optional<Issued> issuer) {
    public String certificatePem() {
      return pem("CERTIFICATE", encoded(certificate));
    }

    /** The private key as PKCS#8 ({@code PRIVATE KEY}). */
    String pkcs8KeyPem() {
      return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    /**
     * The private key in OpenSSL's traditional form: PKCS#1 ({@code RSA PRIVATE KEY}) for RSA, SEC1
     * ({@code EC PRIVATE KEY}) for EC.
     */
    String traditionalKeyPem() {
      if (keys.getPrivate() instanceof ECPrivateKey ec) {
        // As OpenSSL writes it: SEC1 naming its curve (the JDK's own encoding leaves it out).
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
            new org.bouncycastle.asn1.sec.ECPrivateKey(
                ec.getParams().getOrder().bitLength(),
                ec.getS(),
                info.getPrivateKeyAlgorithm().getParameters());
        try {
          return pem("EC PRIVATE KEY", sec1.getEncoded());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(keys.getPrivate());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }
  }

  public static Issued ca(String name) {
    KeyPair keys = ec();
    X509v3CertificateBuilder builder = builder(name, name, keys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Issued(sign(builder, keys), keys, Optional.empty());
  }

  /** A server certificate for 127.0.0.1 and localhost, or for the given DNS name only. */
  static Issued server(Issued ca, Optional<String> onlyForName) {
    GeneralNames names =
        onlyForName
            .map(n -> new GeneralNames(new GeneralName(GeneralName.dNSName, n)))
            .orElseGet(
                () ->
                    new GeneralNames(
                        new GeneralName[] {
                          new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                          new GeneralName(GeneralName.dNSName, "localhost")
                        }));
    return leaf(ca, "test server", ec(), names, KeyPurposeId.id_kp_serverAuth);
  }

  public static Issued server(Issued ca) {
    return server(ca, Optional.empty());
  }

  static Issued client(Issued ca, KeyPair keys) {
    return leaf(ca, "test client", keys, null, KeyPurposeId.id_kp_clientAuth);
  }

  /** An RSA key pair; one per JVM, since making one takes a second. */
  static synchronized KeyPair rsa() {
    if (rsa == null) {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return rsa;
  }

  /** A fresh EC (P-256) key pair: quick to make. */
  static KeyPair ec() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh Ed25519 key pair. */
  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a test server presents: its certificate, and when {@code requireClientsOf} is given it
   * demands a client certificate issued by that CA.
   */
  public static HttpsConnectionContext serverContext(
      Issued server, Optional<Issued> requireClientsOf) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "server",
          server.keys().getPrivate(),
          PASSWORD,
          new X509Certificate[] {
            server.certificate(), server.issuer().orElseThrow().certificate()
          });
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASSWORD);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      if (requireClientsOf.isPresent()) {
        trusted.setCertificateEntry("client-ca", requireClientsOf.get().certificate());
      }
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      if (requireClientsOf.isEmpty()) return ConnectionContext.httpsServer(context);
      return ConnectionContext.httpsServer(
          () -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            engine.setNeedClientAuth(true);
            return engine;
          });
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Issued leaf(
      Issued ca, String name, KeyPair keys, GeneralNames names, KeyPurposeId purpose) {
    X509v3CertificateBuilder builder =
        builder(name, ca.certificate().getSubjectX500Principal().getName(), keys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (names != null) builder.addExtension(Extension.subjectAlternativeName, false, names);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Issued(sign(builder, ca.keys()), keys, Optional.of(ca));
  }

  private static X509v3CertificateBuilder builder(String subject, String issuer, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer.contains("=") ? new X500Name(issuer) : new X500Name("CN=" + issuer),
        BigInteger.valueOf(serials.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        new X500Name("CN=" + subject),
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder(
                          issuerKeys.getPrivate().getAlgorithm().equals("EC")
                              ? "SHA256withECDSA"
                              : "SHA256withRSA")
                      .build(issuerKeys.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
