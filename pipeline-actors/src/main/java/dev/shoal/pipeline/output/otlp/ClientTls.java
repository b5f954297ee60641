package dev.shoal.pipeline.output.otlp;

import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import io.grpc.ChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextChannelCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS an OTLP exporter connects with, built from the pipeline's PEM material: an {@link
 * SSLContext} for HTTP, {@link ChannelCredentials} for gRPC.
 *
 * <ul>
 *   <li>{@code tls.ca} given: only that CA (or those CAs) is trusted; otherwise the JVM's CAs.
 *   <li>{@code tls.cert} and {@code tls.key} given: they are presented to a server that asks for a
 *       client certificate (mutual TLS).
 *   <li>{@code insecureSkipVerify}: any server certificate and host name is accepted.
 * </ul>
 *
 * Host names are checked by the trust manager, on {@code SSLEngine}s that ask for HTTPS endpoint
 * identification: the HTTP exporter asks for it, grpc-java always does ({@link
 * TrustAllCertificates} skips that check too). Bad material fails with an {@link
 * IllegalArgumentException} that names the field, so that the pipeline's status can say what to
 * fix.
 */
public final class ClientTls {
  static final String CA = "tls.ca";
  static final String CERT = "tls.cert";
  static final String KEY = "tls.key";

  /** Protects the in-memory key store only; it is never written anywhere. */
  private static final char[] IN_MEMORY = "shoal".toCharArray();

  private ClientTls() {}

  public static SSLContext sslContext(Tls tls) {
    TrustManager[] trust = trustManagers(tls);
    KeyManager[] keys = keyManagers(tls.certPem(), tls.keyPem());
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM cannot create a TLS context", e);
    }
  }

  /**
   * The same trust and key managers as {@link #sslContext}'s, for grpc-java, on the JDK's TLS as
   * well: the OpenSSL that grpc-java bundles would be its default, but it cannot present an Ed25519
   * client certificate.
   */
  public static ChannelCredentials channelCredentials(Tls tls) {
    TrustManager[] trust = trustManagers(tls);
    KeyManager[] keys = keyManagers(tls.certPem(), tls.keyPem());
    SslContextBuilder context =
        GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK);
    // The factories above make one manager each.
    if (trust != null) context.trustManager(trust[0]);
    if (keys != null) context.keyManager(keys[0]);
    try {
      return NettySslContextChannelCredentials.create(context.build());
    } catch (SSLException e) {
      throw new IllegalStateException("the JVM cannot create a TLS context", e);
    }
  }

  private static TrustManager[] trustManagers(Tls tls) {
    // Read the CA even when it is not used, so that a broken one is reported either way.
    Optional<List<X509Certificate>> ca = tls.caPem().map(pem -> Pem.certificates(CA, pem));
    if (tls.insecureSkipVerify()) return new TrustManager[] {TrustAllCertificates.INSTANCE};
    if (ca.isEmpty()) return null; // the JVM's default trust store
    try {
      KeyStore store = emptyStore();
      int i = 0;
      for (X509Certificate certificate : ca.get()) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          CA + " cannot be used as trusted CA: " + e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(Optional<String> certPem, Optional<String> keyPem) {
    if (certPem.isEmpty() && keyPem.isEmpty()) return null;
    if (certPem.isEmpty()) throw new IllegalArgumentException(KEY + " is given without " + CERT);
    if (keyPem.isEmpty()) throw new IllegalArgumentException(CERT + " is given without " + KEY);
    List<X509Certificate> chain = Pem.certificates(CERT, certPem.get());
    PrivateKey key = Pem.privateKey(KEY, keyPem.get());
    checkPair(chain.get(0), key);
    try {
      KeyStore store = emptyStore();
      store.setKeyEntry("client", key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, IN_MEMORY);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          CERT + " and " + KEY + " cannot be used as client certificate: " + e.getMessage(), e);
    }
  }

  /** A key that does not belong to the certificate would fail only in the handshake, obscurely. */
  private static void checkPair(X509Certificate certificate, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
          default -> null;
        };
    if (algorithm == null) return;
    byte[] probe = "shoal".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new IllegalArgumentException(
          KEY + " is not the private key of the first certificate in " + CERT);
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create an in-memory key store", e);
    }
  }
}
