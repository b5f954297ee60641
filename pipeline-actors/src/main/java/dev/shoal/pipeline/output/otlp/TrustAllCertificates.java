package dev.shoal.pipeline.output.otlp;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts any server certificate, for {@code insecureSkipVerify}. It is an {@link
 * X509ExtendedTrustManager} on purpose: the JDK wraps a plain {@code X509TrustManager} in one that
 * still checks the host name, and skipping verification means skipping that too.
 */
final class TrustAllCertificates extends X509ExtendedTrustManager {
  static final TrustAllCertificates INSTANCE = new TrustAllCertificates();

  private TrustAllCertificates() {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
