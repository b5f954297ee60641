package dev.shoal.manager.reconcile;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reports certificates that have expired, and those that expire within the warning period: the
 * pipeline still runs then, but its status says when it will stop.
 */
final class CertificateExpiry {

  private final Findings findings;
  private final Instant now;
  private final Duration warning;

  CertificateExpiry(Findings findings, Instant now, Duration warning) {
    this.findings = findings;
    this.now = now;
    this.warning = warning;
  }

  void check(List<X509Certificate> certificates, String path) {
    for (X509Certificate certificate : certificates) {
      Instant notAfter = certificate.getNotAfter().toInstant();
      String subject = certificate.getSubjectX500Principal().getName();
      if (!now.isBefore(notAfter)) {
        findings.problem(
            Reason.TLS_CERTIFICATE_EXPIRED,
            path
                + ": the certificate "
                + subject
                + " expired on "
                + notAfter
                + "; renew it and update the pipeline or its Secret");
      } else if (notAfter.isBefore(now.plus(warning))) {
        long days = Duration.between(now, notAfter).toDays();
        findings.problem(
            Reason.TLS_CERTIFICATE_ABOUT_TO_EXPIRE,
            path
                + ": the certificate "
                + subject
                + " expires on "
                + notAfter
                + " (in "
                + days
                + (days == 1 ? " day" : " days")
                + "), and the pipeline stops then; renew it and update the pipeline or its"
                + " Secret");
      }
    }
  }
}
