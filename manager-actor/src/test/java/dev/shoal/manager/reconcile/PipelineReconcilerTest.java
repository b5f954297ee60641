package dev.shoal.manager.reconcile;

import static dev.shoal.manager.Manifests.secret;
import static dev.shoal.manager.Manifests.tracePipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.shoal.manager.Manifests;
import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.reconcile.PipelineReconciler.Result;
import dev.shoal.manager.reconcile.TestCertificates.Issued;
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
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineReconcilerTest {

  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final PipelineDefaults DEFAULTS = PipelineDefaults.fromConfig(ConfigFactory.load());
  static final ReconcilerSettings SETTINGS =
      new ReconcilerSettings(0, Duration.ofDays(14), Duration.ofSeconds(10));

  private static Result reconcile(String yaml) {
    return reconcile(yaml, SETTINGS);
  }

  private static Result reconcile(String yaml, ReconcilerSettings settings) {
    return new PipelineReconciler(DEFAULTS, settings)
        .reconcile(Manifests.parse(yaml).snapshot(), NOW);
  }

  private static ResourceRef trace(String name) {
    return new ResourceRef(PipelineKind.TRACE_PIPELINE, name);
  }

  private static Condition condition(Result result, ResourceRef ref) {
    Condition condition = result.conditions().get(ref);
    assertEquals(Condition.CONFIGURATION_GENERATED, condition.getType());
    return condition;
  }

  private static void assertRejected(
      Result result, ResourceRef ref, String reason, String... inMessage) {
    Condition condition = condition(result, ref);
    assertEquals(reason, condition.getReason(), condition.getMessage());
    assertEquals(Condition.FALSE, condition.getStatus());
    for (String part : inMessage) {
      assertTrue(condition.getMessage().contains(part), condition.getMessage());
    }
    assertTrue(
        result.pipelines().stream().noneMatch(p -> p.name().equals(ref.pipelineName())),
        ref + " must not run");
  }

  private static PipelineSettings running(Result result, ResourceRef ref) {
    return result.pipelines().stream()
        .filter(p -> p.name().equals(ref.pipelineName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(ref + " does not run: " + result.conditions()));
  }

  private static OtlpOutputSettings otlp(PipelineSettings settings) {
    return (OtlpOutputSettings) settings.output();
  }

  // ---- the valid case and its defaults

  @Test
  void aMinimalPipelineRunsWithTheDefaults() {
    Result result = reconcile(tracePipeline("backend", "http://collector:4317"));

    Condition condition = condition(result, trace("backend"));
    assertEquals(Condition.TRUE, condition.getStatus());
    assertEquals("ConfigurationApplied", condition.getReason());
    assertEquals("2026-11-23T12:00:00Z", condition.getLastTransitionTime());
    assertEquals(1L, condition.getObservedGeneration());
    PipelineSettings expected =
        new PipelineSettings(
            "tracepipeline/backend",
            Signal.TRACES,
            DEFAULTS.queueBytes(),
            DEFAULTS.batch(),
            DEFAULTS.exportConcurrency(),
            Overflow.DROP,
            InputSelector.ALL,
            new OtlpOutputSettings(
                Protocol.GRPC,
                URI.create("http://collector:4317"),
                "",
                Map.of(),
                Tls.DEFAULT,
                Compression.GZIP,
                Duration.ofSeconds(10),
                Retry.DEFAULT));
    assertEquals(List.of(expected), result.pipelines());
  }

  @Test
  void signalAndNameComeFromTheKindAndHttpGetsTheSignalsPath() {
    Result result =
        reconcile(
            """
            apiVersion: telemetry.shoal.dev/v1beta1
            kind: MetricPipeline
            metadata: {name: prom}
            spec:
              output:
                otlp:
                  protocol: http
                  endpoint: {value: "https://metrics.example.com"}
            ---
            apiVersion: telemetry.shoal.dev/v1beta1
            kind: LogPipeline
            metadata: {name: loki}
            spec:
              output:
                otlp:
                  protocol: http
                  endpoint: {value: "https://logs.example.com/otlp"}
                  path: /otlp/v1/logs
            """);
    PipelineSettings metrics =
        running(result, new ResourceRef(PipelineKind.METRIC_PIPELINE, "prom"));
    assertEquals("metricpipeline/prom", metrics.name());
    assertEquals(Signal.METRICS, metrics.signal());
    assertEquals(Protocol.HTTP, otlp(metrics).protocol());
    assertEquals("/v1/metrics", otlp(metrics).path());
    PipelineSettings logs = running(result, new ResourceRef(PipelineKind.LOG_PIPELINE, "loki"));
    assertEquals(Signal.LOGS, logs.signal());
    assertEquals("/otlp/v1/logs", otlp(logs).path());
  }

  @Test
  void queueTimeoutRetryAndCompressionAreMapped() {
    Result result =
        reconcile(
            tracePipeline(
                    "tuned",
                    "https://collector:4317",
                    "compression: none",
                    "timeout: 2500ms",
                    "retry: {enabled: false, initialInterval: 1s, maxInterval: 1m30s, maxElapsedTime: 10m}")
                + "  queue:\n    bytes: 32Mi\n    overflow: refuse\n");
    PipelineSettings settings = running(result, trace("tuned"));
    assertEquals(32L * 1024 * 1024, settings.queueBytes());
    assertEquals(Overflow.REFUSE, settings.overflow());
    assertEquals(Compression.NONE, otlp(settings).compression());
    assertEquals(Duration.ofMillis(2500), otlp(settings).requestTimeout());
    assertEquals(
        new Retry(false, Duration.ofSeconds(1), Duration.ofSeconds(90), Duration.ofMinutes(10)),
        otlp(settings).retry());
  }

  @Test
  void exportConcurrencyIsTheDefaultUnlessThePipelineSetsIt() {
    Result result =
        reconcile(
            tracePipeline("plain", "http://c:4317")
                + tracePipeline("wide", "http://c:4317", "concurrency: 8")
                + tracePipeline("silly", "http://c:4317", "concurrency: 0"));
    assertEquals(DEFAULTS.exportConcurrency(), running(result, trace("plain")).exportConcurrency());
    assertEquals(8, running(result, trace("wide")).exportConcurrency());
    assertRejected(
        result, trace("silly"), "ValidationFailed", "spec.output.otlp.concurrency", "1 to 64");
  }

  @Test
  void overflowDropIsTheDefaultAndCanBeSpelledOut() {
    Result result =
        reconcile(
            tracePipeline("a", "http://c:4317")
                + "  queue:\n    overflow: drop\n"
                + tracePipeline("b", "http://c:4317")
                + "  queue:\n    bytes: 1Gi\n");
    assertEquals(Overflow.DROP, running(result, trace("a")).overflow());
    assertEquals(DEFAULTS.queueBytes(), running(result, trace("a")).queueBytes());
    assertEquals(Overflow.DROP, running(result, trace("b")).overflow());
    assertEquals(1L << 30, running(result, trace("b")).queueBytes());
  }

  // ---- input

  @Test
  void namespacesIncludeAndExcludeBecomeTheInputSelector() {
    String base = tracePipeline("x", "http://c:4317");
    Result include =
        reconcile(
            base.replace(
                "spec:\n",
                "spec:\n  input:\n    otlp:\n      namespaces: {include: [shop, pay]}\n"));
    assertEquals(
        new InputSelector(true, Set.of("shop", "pay"), Set.of()),
        running(include, trace("x")).input());

    Result exclude =
        reconcile(
            base.replace(
                "spec:\n",
                "spec:\n  input:\n    otlp:\n      namespaces: {exclude: [kube-system]}\n"));
    assertEquals(
        new InputSelector(true, Set.of(), Set.of("kube-system")),
        running(exclude, trace("x")).input());

    Result disabled =
        reconcile(base.replace("spec:\n", "spec:\n  input:\n    otlp:\n      enabled: false\n"));
    assertEquals(
        new InputSelector(false, Set.of(), Set.of()), running(disabled, trace("x")).input());

    Result kymaDisabled =
        reconcile(base.replace("spec:\n", "spec:\n  input:\n    otlp:\n      disabled: true\n"));
    assertEquals(false, running(kymaDisabled, trace("x")).input().otlpEnabled());

    Result both =
        reconcile(
            base.replace(
                "spec:\n",
                "spec:\n  input:\n    otlp:\n      namespaces: {include: [a], exclude: [b]}\n"));
    assertRejected(
        both,
        trace("x"),
        "ValidationFailed",
        "spec.input.otlp.namespaces: give include or exclude");
  }

  // ---- secrets

  @Test
  void endpointHeadersAndBasicAuthAreResolvedFromSecrets() {
    String yaml =
        """
        apiVersion: telemetry.shoal.dev/v1beta1
        kind: TracePipeline
        metadata: {name: backend}
        spec:
          output:
            otlp:
              protocol: http
              endpoint:
                valueFrom: {secretKeyRef: {name: backend, namespace: telemetry, key: endpoint}}
              headers:
                - name: X-Tenant
                  value: shop
                - name: X-Api-Key
                  prefix: Bearer
                  valueFrom: {secretKeyRef: {name: backend, namespace: telemetry, key: token}}
              authentication:
                basic:
                  user: {valueFrom: {secretKeyRef: {name: backend, namespace: telemetry, key: user}}}
                  password: {valueFrom: {secretKeyRef: {name: backend, namespace: telemetry, key: password}}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: backend, namespace: telemetry}
        data:
          endpoint: aHR0cHM6Ly9vdGxwLmV4YW1wbGUuY29tOjQzMTgK
          user: dXNlcg==
        stringData:
          token: s3cr3t
          password: pass
        """;
    OtlpOutputSettings output = otlp(running(reconcile(yaml), trace("backend")));
    assertEquals(URI.create("https://otlp.example.com:4318"), output.endpoint());
    assertEquals(
        Map.of(
            "X-Tenant", "shop",
            "X-Api-Key", "Bearer s3cr3t",
            "Authorization", "Basic dXNlcjpwYXNz"),
        output.headers());
  }

  @Test
  void aMissingSecretOrKeyIsReferencedSecretMissing() {
    String pipeline =
        """
        apiVersion: telemetry.shoal.dev/v1beta1
        kind: TracePipeline
        metadata: {name: backend}
        spec:
          output:
            otlp:
              endpoint:
                valueFrom: {secretKeyRef: {name: backend, namespace: telemetry, key: endpoint}}
        """;
    assertRejected(
        reconcile(pipeline),
        trace("backend"),
        "ReferencedSecretMissing",
        "spec.output.otlp.endpoint.valueFrom.secretKeyRef",
        "Secret telemetry/backend does not exist; create it or correct the reference");
    assertRejected(
        reconcile(pipeline + secret("telemetry", "backend", "url", "http://x:4317")),
        trace("backend"),
        "ReferencedSecretMissing",
        "Secret telemetry/backend has no key 'endpoint' (it has url); add the key");
    assertRejected(
        reconcile(pipeline + secret("default", "backend", "endpoint", "http://x:4317")),
        trace("backend"),
        "ReferencedSecretMissing",
        "telemetry/backend does not exist");
    assertEquals(
        URI.create("http://x:4317"),
        otlp(running(
                reconcile(pipeline + secret("telemetry", "backend", "endpoint", "http://x:4317")),
                trace("backend")))
            .endpoint());
  }

  @Test
  void aSecretReferenceWithoutNamespaceMeansDefault() {
    String yaml =
        tracePipeline(
                "backend",
                "http://c:4317",
                "headers:",
                "  - name: X-Key",
                "    valueFrom: {secretKeyRef: {name: keys, key: k}}")
            + secret("default", "keys", "k", "v");
    assertEquals(Map.of("X-Key", "v"), otlp(running(reconcile(yaml), trace("backend"))).headers());
  }

  // ---- endpoint

  @Test
  void anEndpointThatIsNoHttpUrlWithAHostIsEndpointInvalid() {
    for (String endpoint :
        List.of(
            "collector:4317", "ftp://collector", "http://", "http:///path", "not a url", "  ")) {
      Result result = reconcile(tracePipeline("backend", endpoint));
      if (endpoint.isBlank()) {
        assertRejected(result, trace("backend"), "EndpointInvalid");
      } else {
        assertRejected(
            result,
            trace("backend"),
            "EndpointInvalid",
            "spec.output.otlp.endpoint: '"
                + endpoint.trim()
                + "' is not a URL with scheme http or https",
            "write it as https://host:port");
      }
    }
  }

  @Test
  void anEndpointFromASecretIsNotShownInTheMessage() {
    String yaml =
        tracePipeline("backend", "x")
                .replace(
                    "        value: \"x\"", "        valueFrom: {secretKeyRef: {name: s, key: e}}")
            + secret("default", "s", "e", "user:password@host");
    Condition condition = condition(reconcile(yaml), trace("backend"));
    assertEquals("EndpointInvalid", condition.getReason());
    assertTrue(!condition.getMessage().contains("password"), condition.getMessage());
    assertTrue(
        condition.getMessage().contains("key 'e' of Secret default/s"), condition.getMessage());
  }

  // ---- unknown values

  @Test
  void unknownValuesAreValidationFailedWithTheFieldPath() {
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317", "protocol: foo")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.protocol: 'foo' is not supported; use grpc or http");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317") + "  queue:\n    overflow: bar\n"),
        trace("p"),
        "ValidationFailed",
        "spec.queue.overflow: 'bar' is not supported; use drop or refuse");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317", "compression: zstd")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.compression: 'zstd'");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317") + "  queue:\n    bytes: lots\n"),
        trace("p"),
        "ValidationFailed",
        "spec.queue.bytes: 'lots' is not a positive byte quantity");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317", "timeout: soon")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.timeout: 'soon' is not a positive duration");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317", "path: /v1/traces")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.path: only for protocol http");
    assertRejected(
        reconcile(tracePipeline("p", "http://c:4317", "endpont: {value: x}")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.endpont: unknown field");
    assertRejected(
        reconcile(
            "apiVersion: telemetry.shoal.dev/v1beta1\nkind: TracePipeline\nmetadata: {name: p}\n"),
        trace("p"),
        "ValidationFailed",
        "spec: required");
  }

  @Test
  void severalProblemsOfTheWorstReasonAreAllNamed() {
    Condition condition =
        condition(
            reconcile(tracePipeline("p", "nope", "protocol: foo", "compression: bar")), trace("p"));
    assertEquals(
        "ValidationFailed", condition.getReason(), "ValidationFailed outranks EndpointInvalid");
    assertTrue(condition.getMessage().contains("protocol: 'foo'"), condition.getMessage());
    assertTrue(condition.getMessage().contains("compression: 'bar'"), condition.getMessage());
  }

  @Test
  void headerProblemsAreValidationFailed() {
    assertRejected(
        reconcile(
            tracePipeline(
                    "p",
                    "http://c:4317",
                    "headers:",
                    "  - name: X-Token",
                    "    valueFrom: {secretKeyRef: {name: s, key: t}}")
                + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  t: \"abc\\n\"\n"),
        trace("p"),
        "ValidationFailed",
        "contains a line break");
    assertRejected(
        reconcile(
            tracePipeline(
                "p",
                "http://c:4317",
                "headers: [{name: Authorization, value: x}]",
                "authentication: {basic: {user: {value: u}, password: {value: p}}}")),
        trace("p"),
        "ValidationFailed",
        "conflicts with authentication.basic");
    assertRejected(
        reconcile(
            tracePipeline(
                "p",
                "http://c:4317",
                "authentication: {basic: {user: {value: u}, password: {value: \"p\\n\"}}}")),
        trace("p"),
        "ValidationFailed",
        "authentication.basic.password: contains a line break");
    assertRejected(
        reconcile(
            tracePipeline(
                "p",
                "http://c:4317",
                "headers: [{name: X-A, value: a, valueFrom: {secretKeyRef: {name: s, key: k}}}]")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.headers[0]: give value or valueFrom, not both");
  }

  // ---- isolation and limits

  @Test
  void validPipelinesAreUnaffectedByAnInvalidOne() {
    String good = tracePipeline("good", "http://a:4317") + tracePipeline("other", "https://b:4317");
    Result alone = reconcile(good);
    Result withBad = reconcile(good + tracePipeline("bad", "a:b:c"));

    assertEquals(alone.pipelines(), withBad.pipelines());
    assertEquals(2, withBad.pipelines().size());
    assertRejected(withBad, trace("bad"), "EndpointInvalid");
    assertEquals("ConfigurationApplied", condition(withBad, trace("good")).getReason());
  }

  @Test
  void beyondTheLimitPerKindTheLaterPipelinesStop() {
    String yaml =
        tracePipeline("b", "http://c:4317")
            + tracePipeline("a", "http://c:4317")
            + tracePipeline("broken", "nope")
            + "---\napiVersion: telemetry.shoal.dev/v1beta1\nkind: LogPipeline\nmetadata: {name: z}\n"
            + "spec: {output: {otlp: {endpoint: {value: 'http://c:4317'}}}}\n";
    Result result =
        reconcile(yaml, new ReconcilerSettings(1, Duration.ofDays(14), Duration.ofSeconds(10)));
    running(result, trace("a"));
    assertRejected(result, trace("b"), "MaxPipelinesExceeded", "At most 1 TracePipeline");
    assertRejected(result, trace("broken"), "EndpointInvalid");
    running(result, new ResourceRef(PipelineKind.LOG_PIPELINE, "z"));
  }

  // ---- TLS

  /** A pipeline whose client certificate, key and (optional) CA come from one Secret. */
  private static String tlsPipeline(String name, Issued client, Optional<String> ca) {
    String ref = "{valueFrom: {secretKeyRef: {name: " + name + "-tls, key: ";
    List<String> lines =
        new java.util.ArrayList<>(
            List.of("tls:", "  cert: " + ref + "tls.crt}}}", "  key: " + ref + "tls.key}}}"));
    List<String> secretEntries =
        new java.util.ArrayList<>(List.of("tls.crt", client.certPem(), "tls.key", client.keyPem()));
    if (ca.isPresent()) {
      lines.add("  ca: " + ref + "ca.crt}}}");
      secretEntries.addAll(List.of("ca.crt", ca.get()));
    }
    return tracePipeline(name, "https://collector:4317", lines.toArray(String[]::new))
        + secret("default", name + "-tls", secretEntries.toArray(String[]::new));
  }

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
