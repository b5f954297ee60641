package dev.shoal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.folder.FolderContents;
import dev.shoal.manager.folder.FolderScan;
import dev.shoal.manager.folder.FolderSource;
import dev.shoal.manager.folder.FolderSourceSettings;
import dev.shoal.manager.reconcile.PipelineReconciler;
import dev.shoal.manager.reconcile.PipelineReconciler.Result;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Retry;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.Overflow;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example pipelines of {@code docs/examples/pipelines} and the mutual-TLS example of {@code
 * docs/pipelines.md} are valid and mean what the documentation says: read through the real folder
 * source and reconciler, with the node's default configuration.
 */
class ExamplePipelinesTest {

  /** The examples, relative to this module's folder (where Maven runs the tests). */
  static final Path EXAMPLES = Path.of("..", "docs", "examples", "pipelines");

  static final Path DOCS = Path.of("..", "docs", "pipelines.md");

  static final Config CONFIG = ConfigFactory.load();
  static final PipelineDefaults DEFAULTS = PipelineDefaults.fromConfig(CONFIG);
  static final FolderSourceSettings SETTINGS = FolderSourceSettings.fromConfig(CONFIG);

  static final ResourceRef TRACES = new ResourceRef(PipelineKind.TRACE_PIPELINE, "traces-grpc");
  static final ResourceRef METRICS = new ResourceRef(PipelineKind.METRIC_PIPELINE, "metrics-http");
  static final ResourceRef LOGS = new ResourceRef(PipelineKind.LOG_PIPELINE, "logs-grpc");

  static FolderScan scan;
  static FolderContents contents;
  static Result result;

  @BeforeAll
  static void readTheExamples() {
    assertTrue(Files.isDirectory(EXAMPLES), EXAMPLES.toAbsolutePath() + " is missing");
    scan = new FolderSource(EXAMPLES, SETTINGS.maxFileBytes()).scan();
    contents = FolderSource.parse(scan, FolderContents.EMPTY);
    result =
        new PipelineReconciler(DEFAULTS, SETTINGS.reconciler())
            .reconcile(contents.snapshot(), Instant.now());
  }

  private static PipelineSettings running(ResourceRef ref) {
    return result.pipelines().stream()
        .filter(p -> p.name().equals(ref.pipelineName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(ref + " does not run: " + result.conditions()));
  }

  @Test
  void everyExampleIsReadWithoutWarningsAndIsApplied() {
    assertFalse(scan.missing());
    assertEquals(
        Set.of(
            "otlp-backends-secret.yaml", "traces-grpc.yaml", "metrics-http.yaml", "logs-grpc.yaml"),
        scan.files().keySet());
    assertEquals(List.of(), scan.problems());
    assertEquals(List.of(), contents.warnings());
    assertEquals(Map.of(), contents.snapshot().schemaProblems());
    assertEquals(1, contents.snapshot().secrets().size());

    assertEquals(Set.of(TRACES, METRICS, LOGS), result.conditions().keySet());
    result
        .conditions()
        .forEach(
            (ref, condition) -> {
              assertEquals(Condition.CONFIGURATION_GENERATED, condition.getType());
              assertEquals("ConfigurationApplied", condition.getReason(), ref + ": " + condition);
              assertEquals(Condition.TRUE, condition.getStatus());
            });
    assertEquals(
        Set.of("tracepipeline/traces-grpc", "metricpipeline/metrics-http", "logpipeline/logs-grpc"),
        result.pipelines().stream().map(PipelineSettings::name).collect(Collectors.toSet()));
  }

  @Test
  void theTracePipelineSendsOverGrpcToTheEndpointFromTheSecret() {
    PipelineSettings traces = running(TRACES);
    assertEquals(Signal.TRACES, traces.signal());
    assertEquals(InputSelector.ALL, traces.input());
    assertEquals(DEFAULTS.queueBytes(), traces.queueBytes());
    assertEquals(Overflow.DROP, traces.overflow());
    assertEquals(
        new OtlpOutputSettings(
            Protocol.GRPC,
            URI.create("https://traces.example.com:4317"),
            "",
            Map.of("X-Tenant", "shop"),
            Tls.DEFAULT,
            Compression.GZIP,
            Duration.ofSeconds(15),
            new Retry(true, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10))),
        traces.output());
  }

  @Test
  void theMetricPipelineSendsOverHttpWithBasicAuthAndAnApiKeyFromNamespacesItIncludes() {
    PipelineSettings metrics = running(METRICS);
    assertEquals(Signal.METRICS, metrics.signal());
    assertEquals(new InputSelector(true, Set.of("shop", "payments"), Set.of()), metrics.input());
    assertEquals(DEFAULTS.queueBytes(), metrics.queueBytes());
    assertEquals(
        new OtlpOutputSettings(
            Protocol.HTTP,
            URI.create("https://metrics.example.com"),
            "/v1/metrics",
            // "shoal:change-me": the user from stringData, the password from base64 data
            Map.of("X-Api-Key", "6f1c2a9e0b7d4e35", "Authorization", "Basic c2hvYWw6Y2hhbmdlLW1l"),
            Tls.DEFAULT,
            Compression.GZIP,
            SETTINGS.reconciler().otlpRequestTimeout(),
            Retry.DEFAULT),
        metrics.output());
  }

  @Test
  void theLogPipelineSendsABearerTokenAndLeavesSystemNamespacesOut() {
    PipelineSettings logs = running(LOGS);
    assertEquals(Signal.LOGS, logs.signal());
    assertEquals(
        new InputSelector(true, Set.of(), Set.of("kube-system", "istio-system")), logs.input());
    assertEquals(128L * 1024 * 1024, logs.queueBytes());
    assertEquals(Overflow.DROP, logs.overflow());
    assertEquals(
        new OtlpOutputSettings(
            Protocol.GRPC,
            URI.create("https://logs.example.com:4317"),
            "",
            Map.of("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.example"),
            Tls.DEFAULT,
            Compression.GZIP,
            SETTINGS.reconciler().otlpRequestTimeout(),
            Retry.DEFAULT),
        logs.output());
  }

  // ---- the mutual-TLS example of docs/pipelines.md, with certificates made here

  /** The first yaml block after this marker in docs/pipelines.md is checked by this test. */
  static final String MTLS_MARKER = "<!-- checked by ExamplePipelinesTest: mtls -->";

  @Test
  void theMutualTlsExampleOfTheDocumentationIsAppliedWithItsSecret() throws Exception {
    String docs = Files.readString(DOCS);
    int marker = docs.indexOf(MTLS_MARKER);
    assertTrue(marker >= 0, DOCS + " lacks " + MTLS_MARKER);
    Matcher block =
        Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(docs.substring(marker));
    assertTrue(block.find(), "no yaml block after " + MTLS_MARKER);
    String pipeline = block.group(1);

    Instant now = Instant.now();
    KeyPair caKeys = ecKeys();
    KeyPair clientKeys = ecKeys();
    String caPem =
        certificate("backend-ca", caKeys, "backend-ca", caKeys, now.plus(730, ChronoUnit.DAYS));
    String clientPem =
        certificate("shoal", clientKeys, "backend-ca", caKeys, now.plus(365, ChronoUnit.DAYS));
    String keyPem = pem(new JcaPKCS8Generator(clientKeys.getPrivate(), null));
    String yaml =
        pipeline
            + Manifests.secret(
                "telemetry",
                "logs-backend-tls",
                "ca.crt",
                caPem,
                "tls.crt",
                clientPem,
                "tls.key",
                keyPem);

    FolderContents parsed = Manifests.parse(yaml);
    assertEquals(List.of(), parsed.warnings());
    Result mtls =
        new PipelineReconciler(DEFAULTS, SETTINGS.reconciler()).reconcile(parsed.snapshot(), now);
    ResourceRef ref = new ResourceRef(PipelineKind.LOG_PIPELINE, "logs-mtls");
    Condition condition = mtls.conditions().get(ref);
    assertEquals("ConfigurationApplied", condition.getReason(), condition.getMessage());
    OtlpOutputSettings output = (OtlpOutputSettings) mtls.pipelines().get(0).output();
    assertEquals(
        new Tls(false, false, Optional.of(caPem), Optional.of(clientPem), Optional.of(keyPem)),
        output.tls());
    assertEquals("https", output.endpoint().getScheme());
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** A certificate for {@code subject}'s key, signed with {@code issuer}'s key. */
  private static String certificate(
      String subjectName, KeyPair subject, String issuerName, KeyPair issuer, Instant notAfter)
      throws Exception {
    var holder =
        new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + issuerName),
                BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minus(1, ChronoUnit.DAYS)),
                Date.from(notAfter),
                new X500Name("CN=" + subjectName),
                subject.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate()));
    return pem(holder);
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString().trim();
  }
}
