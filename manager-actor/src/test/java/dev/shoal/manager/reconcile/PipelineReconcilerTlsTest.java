package dev.shoal.manager.reconcile;

import static dev.shoal.manager.Manifests.secret;
import static dev.shoal.manager.Manifests.tracePipeline;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.NOW;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.assertRejected;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.condition;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.otlp;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.reconcile;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.running;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.tlsPipeline;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.reconcile.PipelineReconciler.Result;
import dev.shoal.manager.reconcile.TestCertificates.Issued;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How TLS settings and certificates are checked and applied. */
class PipelineReconcilerTlsTest {

  @Test
  void validMutualTlsIsAppliedWithThePemValues() {
    Issued client = TestCertificates.validUntil("client", NOW.plus(365, ChronoUnit.DAYS));
    Issued ca = TestCertificates.validUntil("ca", NOW.plus(730, ChronoUnit.DAYS));
    Result result = reconcile(tlsPipeline("mtls", client, Optional.of(ca.certPem())));
    Tls tls = otlp(running(result, trace("mtls"))).tls();
    assertEquals(Optional.of(ca.certPem()), tls.caPem());
    assertEquals(Optional.of(client.certPem()), tls.certPem());
    assertEquals(Optional.of(client.keyPem()), tls.keyPem());
    assertEquals("ConfigurationApplied", condition(result, trace("mtls")).getReason());
  }

  @Test
  void aPkcs1RsaKeyIsAcceptedAndASec1EcKeyIsNot() throws IOException {
    var rsa = TestCertificates.rsaKeys();
    Issued rsaCert =
        TestCertificates.issue(
            "rsa", rsa, NOW.minus(1, ChronoUnit.DAYS), NOW.plus(90, ChronoUnit.DAYS));
    String pkcs1 = TestCertificates.traditional(rsa);
    assertTrue(pkcs1.startsWith("-----BEGIN RSA PRIVATE KEY-----"));
    Result rsaResult =
        reconcile(tlsPipeline("rsa", new Issued(rsaCert.certPem(), pkcs1, rsa), Optional.empty()));
    assertEquals("ConfigurationApplied", condition(rsaResult, trace("rsa")).getReason());

    Issued ec = TestCertificates.validUntil("ec", NOW.plus(90, ChronoUnit.DAYS));
    String sec1 = TestCertificates.traditional(ec.keys());
    assertTrue(sec1.startsWith("-----BEGIN EC PRIVATE KEY-----"));
    assertRejected(
        reconcile(tlsPipeline("ec", new Issued(ec.certPem(), sec1, ec.keys()), Optional.empty())),
        trace("ec"),
        "TLSConfigurationInvalid",
        "spec.output.otlp.tls.key",
        "openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void certWithoutKeyOrKeyWithoutCertIsTlsConfigurationInvalid() {
    Issued client = TestCertificates.validUntil("client", NOW.plus(365, ChronoUnit.DAYS));
    String certOnly =
        tracePipeline(
                "p",
                "https://c:4317",
                "tls:",
                "  cert: {valueFrom: {secretKeyRef: {name: t, key: c}}}")
            + secret("default", "t", "c", client.certPem());
    assertRejected(
        reconcile(certOnly), trace("p"), "TLSConfigurationInvalid", "cert is given without key");
    String keyOnly =
        tracePipeline(
                "p",
                "https://c:4317",
                "tls:",
                "  key: {valueFrom: {secretKeyRef: {name: t, key: k}}}")
            + secret("default", "t", "k", client.keyPem());
    assertRejected(
        reconcile(keyOnly), trace("p"), "TLSConfigurationInvalid", "key is given without cert");
  }

  @Test
  void badPemOrAKeyOfAnotherCertificateIsTlsConfigurationInvalid() {
    Issued client = TestCertificates.validUntil("client", NOW.plus(365, ChronoUnit.DAYS));
    Issued other = TestCertificates.validUntil("other", NOW.plus(365, ChronoUnit.DAYS));
    assertRejected(
        reconcile(
            tlsPipeline(
                "p", new Issued("not a certificate", client.keyPem(), null), Optional.empty())),
        trace("p"),
        "TLSConfigurationInvalid",
        "spec.output.otlp.tls.cert: holds no PEM certificate");
    String garbled =
        client
            .certPem()
            .replace(
                client.certPem().substring(40, 80), "!!!!" + client.certPem().substring(44, 80));
    assertRejected(
        reconcile(tlsPipeline("p", new Issued(garbled, client.keyPem(), null), Optional.empty())),
        trace("p"),
        "TLSConfigurationInvalid",
        "spec.output.otlp.tls.cert");
    assertRejected(
        reconcile(
            tlsPipeline("p", new Issued(client.certPem(), other.keyPem(), null), Optional.empty())),
        trace("p"),
        "TLSConfigurationInvalid",
        "does not belong to the certificate");
    assertRejected(
        reconcile(
            tlsPipeline(
                "p",
                client,
                Optional.of("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))),
        trace("p"),
        "TLSConfigurationInvalid",
        "spec.output.otlp.tls.ca: is not a valid X.509 certificate");
  }

  @Test
  void anExpiredCertificateStopsThePipeline() {
    Issued expired = TestCertificates.validUntil("old", NOW.minus(1, ChronoUnit.DAYS));
    assertRejected(
        reconcile(tlsPipeline("p", expired, Optional.empty())),
        trace("p"),
        "TLSCertificateExpired",
        "spec.output.otlp.tls.cert: the certificate CN=old expired on 2026-11-22T12:00:00Z",
        "renew it");
    Issued client = TestCertificates.validUntil("client", NOW.plus(365, ChronoUnit.DAYS));
    Issued expiredCa = TestCertificates.validUntil("ca", NOW.minus(1, ChronoUnit.HOURS));
    assertRejected(
        reconcile(tlsPipeline("p", client, Optional.of(expiredCa.certPem()))),
        trace("p"),
        "TLSCertificateExpired",
        "spec.output.otlp.tls.ca: the certificate CN=ca expired");
  }

  @Test
  void aCertificateAboutToExpireRunsWithAWarning() {
    Issued soon = TestCertificates.validUntil("soon", NOW.plus(7, ChronoUnit.DAYS));
    Result result = reconcile(tlsPipeline("p", soon, Optional.empty()));
    Condition condition = condition(result, trace("p"));
    assertEquals("TLSCertificateAboutToExpire", condition.getReason());
    assertEquals(Condition.TRUE, condition.getStatus());
    assertTrue(
        condition.getMessage().contains("expires on 2026-11-30T12:00:00Z (in 7 days)"),
        condition.getMessage());
    running(result, trace("p"));

    Issued later = TestCertificates.validUntil("later", NOW.plus(15, ChronoUnit.DAYS));
    assertEquals(
        "ConfigurationApplied",
        condition(reconcile(tlsPipeline("p", later, Optional.empty())), trace("p")).getReason());
  }

  @Test
  void insecureTlsIgnoresCertificates() {
    Result result =
        reconcile(
            tracePipeline(
                "p",
                "http://c:4317",
                "tls:",
                "  insecure: true",
                "  insecureSkipVerify: true",
                "  ca: {value: garbage}"));
    assertEquals(
        new Tls(true, true, Optional.empty(), Optional.empty(), Optional.empty()),
        otlp(running(result, trace("p"))).tls());
    assertNull(result.conditions().get(trace("absent")));
  }
}
