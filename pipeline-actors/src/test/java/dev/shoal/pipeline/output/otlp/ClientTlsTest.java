package dev.shoal.pipeline.output.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.output.Exporters;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import dev.shoal.pipeline.output.otlp.TestCertificates.Issued;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading PEM material into an SSLContext, and the errors a pipeline's status would show. */
class ClientTlsTest {
  static Issued ca;
  static Issued rsaClient;
  static Issued ecClient;

  @BeforeAll
  static void certificates() {
    ca = TestCertificates.ca("test CA");
    rsaClient = TestCertificates.client(ca, TestCertificates.rsa());
    ecClient = TestCertificates.client(ca, TestCertificates.ec());
  }

  private static Tls tls(String ca, String cert, String key) {
    return new Tls(
        false, false, Optional.ofNullable(ca), Optional.ofNullable(cert), Optional.ofNullable(key));
  }

  private static void assertStartsWith(String prefix, String actual) {
    assertTrue(actual.startsWith(prefix), actual);
  }

  private static String error(Tls tls) {
    return assertThrows(IllegalArgumentException.class, () -> ClientTls.sslContext(tls))
        .getMessage();
  }

  @Test
  void readsPkcs8Pkcs1AndSec1Keys() {
    PrivateKey rsa = rsaClient.keys().getPrivate();
    assertArrayEquals(
        rsa.getEncoded(), Pem.privateKey("tls.key", rsaClient.pkcs8KeyPem()).getEncoded());
    assertTrue(rsaClient.traditionalKeyPem().contains("BEGIN RSA PRIVATE KEY"));
    assertArrayEquals(
        rsa.getEncoded(), Pem.privateKey("tls.key", rsaClient.traditionalKeyPem()).getEncoded());

    ECPrivateKey ec = (ECPrivateKey) ecClient.keys().getPrivate();
    assertTrue(ecClient.traditionalKeyPem().contains("BEGIN EC PRIVATE KEY"));
    ECPrivateKey fromSec1 = (ECPrivateKey) Pem.privateKey("tls.key", ecClient.traditionalKeyPem());
    assertEquals(ec.getS(), fromSec1.getS());
    ECPrivateKey fromPkcs8 = (ECPrivateKey) Pem.privateKey("tls.key", ecClient.pkcs8KeyPem());
    assertEquals(ec.getS(), fromPkcs8.getS());
  }

  @Test
  void buildsAContextForEveryCombination() {
    String caPem = ca.certificatePem();
    assertNotNull(ClientTls.sslContext(Tls.DEFAULT));
    assertNotNull(ClientTls.sslContext(tls(caPem, null, null)));
    assertNotNull(
        ClientTls.sslContext(
            tls(caPem, rsaClient.certificatePem(), rsaClient.traditionalKeyPem())));
    assertNotNull(
        ClientTls.sslContext(tls(null, ecClient.certificatePem(), ecClient.traditionalKeyPem())));
    assertNotNull(
        ClientTls.sslContext(
            new Tls(true, true, Optional.of(caPem), Optional.empty(), Optional.empty())));
  }

  @Test
  void aBadCaIsNamed() {
    assertStartsWith("tls.ca holds no PEM", error(tls("not a certificate", null, null)));
    String broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assertStartsWith("tls.ca holds a PEM certificate", error(tls(broken, null, null)));
    String notBase64 = "-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n";
    assertStartsWith("tls.ca holds a PEM certificate", error(tls(notBase64, null, null)));
  }

  @Test
  void aBadClientCertificateOrKeyIsNamed() {
    String cert = rsaClient.certificatePem();
    String key = rsaClient.pkcs8KeyPem();
    assertStartsWith("tls.cert is given without tls.key", error(tls(null, cert, null)));
    assertStartsWith("tls.key is given without tls.cert", error(tls(null, null, key)));
    assertStartsWith("tls.cert holds no PEM", error(tls(null, "garbage", key)));
    assertStartsWith("tls.key holds no PEM private key", error(tls(null, cert, cert)));
    String truncated = "-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----\n";
    assertStartsWith("tls.key", error(tls(null, cert, truncated)));
    String encrypted =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assertStartsWith("tls.key is an encrypted", error(tls(null, cert, encrypted)));
    assertEquals(
        "tls.key is not the private key of the first certificate in tls.cert",
        error(tls(null, cert, ecClient.pkcs8KeyPem())));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void theExporterFactoryRefusesBadMaterialWithTheFieldsName(Protocol protocol) {
    ActorTestKit testKit = ActorTestKit.create();
    try {
      var settings =
          TestOutputs.settings(
              protocol,
              "https://127.0.0.1:4318",
              tls("garbage", null, null),
              Compression.NONE,
              TestOutputs.REQUEST_TIMEOUT,
              TestOutputs.FAST_RETRY);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> Exporters.create(settings, testKit.system()));
      assertTrue(e.getMessage().startsWith("tls.ca"), e.getMessage());
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
