package dev.shoal.pipeline.output.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.output.ExportFailedException;
import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.Exporter;
import dev.shoal.pipeline.output.Exporters;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Retry;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import dev.shoal.pipeline.output.otlp.TestCertificates.Issued;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both exporters against TLS backends on loopback: certificates are made by the test, with a CA of
 * its own, a second CA nobody trusts, and client certificates for mutual TLS.
 */
class OtlpTlsTest {
  /** A failed handshake is retried like any connection failure; this keeps the drop quick. */
  private static final Retry SHORT_RETRY =
      new Retry(true, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(400));

  static ActorTestKit testKit;
  static Issued ca;
  static Issued otherCa;
  static Issued server;
  static Issued serverForAnotherName;
  static Issued client;

  private final List<AutoCloseable> started = new ArrayList<>();

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
    ca = TestCertificates.ca("test CA");
    otherCa = TestCertificates.ca("unknown CA");
    server = TestCertificates.server(ca);
    serverForAnotherName = TestCertificates.server(ca, Optional.of("backend.example"));
    client = TestCertificates.client(ca, TestCertificates.rsa());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : started) c.close();
  }

  private OtlpBackend backend(Protocol protocol, HttpsConnectionContext https) {
    OtlpBackend b =
        protocol == Protocol.HTTP
            ? OtlpBackend.http(testKit.system(), https)
            : OtlpBackend.grpc(testKit.system(), https);
    started.add(b);
    return b;
  }

  private OtlpBackend backend(Protocol protocol, Issued serverCertificate) {
    return backend(protocol, TestCertificates.serverContext(serverCertificate, Optional.empty()));
  }

  private Exporter exporter(Protocol protocol, String endpoint, Tls tls) {
    Exporter e =
        Exporters.create(
            TestOutputs.settings(
                protocol,
                endpoint,
                tls,
                Compression.NONE,
                TestOutputs.REQUEST_TIMEOUT,
                SHORT_RETRY),
            testKit.system());
    started.add(e::close);
    return e;
  }

  private static Tls trusting(Issued authority) {
    return new Tls(
        false, false, Optional.of(authority.certificatePem()), Optional.empty(), Optional.empty());
  }

  private static void delivered(Exporter exporter) throws Exception {
    assertEquals(
        ExportResult.DELIVERED,
        exporter.export(TestOutputs.traces()).toCompletableFuture().get(15, TimeUnit.SECONDS));
  }

  /** The batch is dropped, in bounded time, because no attempt got through. */
  private static ExportFailedException droppedAfterRetries(Exporter exporter, OtlpBackend backend) {
    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () ->
                exporter
                    .export(TestOutputs.traces())
                    .toCompletableFuture()
                    .get(15, TimeUnit.SECONDS));
    Throwable cause = failed.getCause();
    while (cause instanceof CompletionException) cause = cause.getCause();
    ExportFailedException e = assertInstanceOf(ExportFailedException.class, cause);
    assertEquals(DropReason.RETRIES_EXHAUSTED, e.reason());
    assertEquals(0, backend.received().size());
    return e;
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aServerCertifiedByTheGivenCaIsTrusted(Protocol protocol) throws Exception {
    OtlpBackend backend = backend(protocol, server);

    delivered(exporter(protocol, backend.endpoint(), trusting(ca)));

    assertEquals(1, backend.received().size());
    assertTrue(backend.endpoint().startsWith("https://"));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aServerCertifiedByAnotherCaIsRefused(Protocol protocol) {
    OtlpBackend backend = backend(protocol, server);

    ExportFailedException e =
        droppedAfterRetries(exporter(protocol, backend.endpoint(), trusting(otherCa)), backend);

    assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void withoutACaOnlyTheJvmsCasAreTrusted(Protocol protocol) {
    OtlpBackend backend = backend(protocol, server);

    droppedAfterRetries(exporter(protocol, backend.endpoint(), Tls.DEFAULT), backend);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aCertificateForAnotherHostNameIsRefused(Protocol protocol) {
    OtlpBackend backend = backend(protocol, serverForAnotherName);

    ExportFailedException e =
        droppedAfterRetries(exporter(protocol, backend.endpoint(), trusting(ca)), backend);

    assertTrue(e.getMessage().contains("No subject alternative names"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void insecureSkipVerifyAcceptsAnUnknownCaAndAnotherHostName(Protocol protocol) throws Exception {
    OtlpBackend backend = backend(protocol, serverForAnotherName);
    Tls skip =
        new Tls(
            false, true, Optional.of(otherCa.certificatePem()), Optional.empty(), Optional.empty());

    delivered(exporter(protocol, backend.endpoint(), skip));

    assertEquals(1, backend.received().size());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void insecureMeansPlaintextEvenForAnHttpsEndpoint(Protocol protocol) throws Exception {
    OtlpBackend plaintext =
        protocol == Protocol.HTTP
            ? OtlpBackend.http(testKit.system())
            : OtlpBackend.grpc(testKit.system());
    started.add(plaintext);
    Tls insecure = new Tls(true, false, Optional.empty(), Optional.empty(), Optional.empty());

    delivered(exporter(protocol, plaintext.endpoint().replace("http://", "https://"), insecure));

    assertEquals(1, plaintext.received().size());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void mutualTlsWithAPkcs8Key(Protocol protocol) throws Exception {
    OtlpBackend backend =
        backend(protocol, TestCertificates.serverContext(server, Optional.of(ca)));
    Tls mtls =
        new Tls(
            false,
            false,
            Optional.of(ca.certificatePem()),
            Optional.of(client.certificatePem()),
            Optional.of(client.pkcs8KeyPem()));

    delivered(exporter(protocol, backend.endpoint(), mtls));

    assertEquals(1, backend.received().size());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void mutualTlsWithAPkcs1Key(Protocol protocol) throws Exception {
    OtlpBackend backend =
        backend(protocol, TestCertificates.serverContext(server, Optional.of(ca)));
    assertTrue(client.traditionalKeyPem().contains("BEGIN RSA PRIVATE KEY"));
    Tls mtls =
        new Tls(
            false,
            false,
            Optional.of(ca.certificatePem()),
            Optional.of(client.certificatePem()),
            Optional.of(client.traditionalKeyPem()));

    delivered(exporter(protocol, backend.endpoint(), mtls));

    assertEquals(1, backend.received().size());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void mutualTlsWithAnEd25519Key(Protocol protocol) throws Exception {
    OtlpBackend backend =
        backend(protocol, TestCertificates.serverContext(server, Optional.of(ca)));
    Issued ed25519Client = TestCertificates.client(ca, TestCertificates.ed25519());
    Tls mtls =
        new Tls(
            false,
            false,
            Optional.of(ca.certificatePem()),
            Optional.of(ed25519Client.certificatePem()),
            Optional.of(ed25519Client.pkcs8KeyPem()));

    delivered(exporter(protocol, backend.endpoint(), mtls));

    assertEquals(1, backend.received().size());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aServerThatDemandsAClientCertificateRefusesOneWithout(Protocol protocol) {
    OtlpBackend backend =
        backend(protocol, TestCertificates.serverContext(server, Optional.of(ca)));

    droppedAfterRetries(exporter(protocol, backend.endpoint(), trusting(ca)), backend);
  }
}
