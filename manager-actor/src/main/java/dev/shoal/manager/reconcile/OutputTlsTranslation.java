package dev.shoal.manager.reconcile;

import static dev.shoal.manager.reconcile.OtlpOutputTranslation.OTLP;

import dev.shoal.manager.crd.OutputTls;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code spec.output.otlp.tls}: the PEM material parses, cert and key come together and
 * belong together, and no certificate has expired or expires soon.
 */
final class OutputTlsTranslation {

  private final Findings findings;
  private final SecretValues values;
  private final CertificateExpiry expiry;

  OutputTlsTranslation(Findings findings, SecretValues values, CertificateExpiry expiry) {
    this.findings = findings;
    this.values = values;
    this.expiry = expiry;
  }

  Tls tls(OutputTls tls) {
    if (tls == null) return Tls.DEFAULT;
    boolean insecure = Boolean.TRUE.equals(tls.getInsecure());
    boolean skipVerify = Boolean.TRUE.equals(tls.getInsecureSkipVerify());
    if (insecure) {
      // Plaintext: certificates are not used, so they are neither read nor checked.
      return new Tls(true, skipVerify, Optional.empty(), Optional.empty(), Optional.empty());
    }
    String base = OTLP + ".tls";
    String ca = values.resolve(tls.getCa(), base + ".ca", false);
    String cert = values.resolve(tls.getCert(), base + ".cert", false);
    String key = values.resolve(tls.getKey(), base + ".key", false);
    if (tls.getCert() != null && tls.getKey() == null) {
      findings.problem(
          Reason.TLS_CONFIGURATION_INVALID,
          base + ": cert is given without key; mutual TLS needs both, or remove cert");
    } else if (tls.getKey() != null && tls.getCert() == null) {
      findings.problem(
          Reason.TLS_CONFIGURATION_INVALID,
          base + ": key is given without cert; mutual TLS needs both, or remove key");
    }
    List<X509Certificate> caCerts = ca == null ? List.of() : certificates(ca, base + ".ca");
    List<X509Certificate> clientCerts =
        cert == null ? List.of() : certificates(cert, base + ".cert");
    PrivateKey privateKey = key == null ? null : privateKey(key, base + ".key");
    if (!clientCerts.isEmpty()
        && privateKey != null
        && !TlsMaterial.belongTogether(clientCerts.get(0), privateKey)) {
      findings.problem(
          Reason.TLS_CONFIGURATION_INVALID,
          base
              + ".key: does not belong to the certificate in "
              + base
              + ".cert; give the key the certificate was issued for");
    }
    expiry.check(caCerts, base + ".ca");
    expiry.check(clientCerts, base + ".cert");
    return new Tls(
        false,
        skipVerify,
        Optional.ofNullable(ca),
        Optional.ofNullable(cert),
        Optional.ofNullable(key));
  }

  private List<X509Certificate> certificates(String pem, String path) {
    try {
      return TlsMaterial.certificates(pem);
    } catch (TlsMaterial.InvalidTls e) {
      findings.problem(
          Reason.TLS_CONFIGURATION_INVALID,
          path + ": " + e.getMessage() + "; give the certificate in PEM format");
      return List.of();
    }
  }

  private PrivateKey privateKey(String pem, String path) {
    try {
      return TlsMaterial.privateKey(pem);
    } catch (TlsMaterial.InvalidTls e) {
      findings.problem(Reason.TLS_CONFIGURATION_INVALID, path + ": " + e.getMessage());
      return null;
    }
  }
}
