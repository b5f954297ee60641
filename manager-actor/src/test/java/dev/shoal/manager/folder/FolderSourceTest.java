package dev.shoal.manager.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.manager.crd.Header;
import dev.shoal.manager.crd.LogPipeline;
import dev.shoal.manager.crd.MetricPipeline;
import dev.shoal.manager.crd.MetricPipelineSpec;
import dev.shoal.manager.crd.OtlpOutput;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.crd.TracePipeline;
import dev.shoal.manager.crd.TracePipelineSpec;
import dev.shoal.manager.reconcile.ResourceSnapshot;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSourceTest {

  static final String TRACE_PIPELINE =
      """
      apiVersion: telemetry.shoal.dev/v1beta1
      kind: TracePipeline
      metadata:
        name: backend
        generation: 3
        labels:
          team: shop
      spec:
        input:
          otlp:
            enabled: true
            namespaces:
              include: [shop, payments]
        output:
          otlp:
            protocol: http
            endpoint:
              valueFrom:
                secretKeyRef:
                  name: backend
                  namespace: telemetry
                  key: endpoint
            path: /otlp/v1/traces
            headers:
              - name: X-Tenant
                value: shop
              - name: X-Token
                prefix: Bearer
                valueFrom:
                  secretKeyRef: {name: backend, namespace: telemetry, key: token}
            authentication:
              basic:
                user:
                  value: shoal
                password:
                  valueFrom:
                    secretKeyRef: {name: backend, namespace: telemetry, key: password}
            tls:
              insecure: false
              insecureSkipVerify: true
              ca:
                value: CA-PEM
              cert:
                valueFrom:
                  secretKeyRef: {name: backend-tls, namespace: telemetry, key: tls.crt}
              key:
                valueFrom:
                  secretKeyRef: {name: backend-tls, namespace: telemetry, key: tls.key}
            compression: none
            timeout: 15s
            retry:
              enabled: true
              initialInterval: 1s
              maxInterval: 10s
              maxElapsedTime: 2m
        queue:
          bytes: 32Mi
          overflow: refuse
      """;

  static final String METRIC_PIPELINE =
      """
      apiVersion: telemetry.shoal.dev/v1beta1
      kind: MetricPipeline
      metadata:
        name: metrics
      spec:
        input:
          prometheus:
            enabled: true
            namespaces:
              exclude: [kube-system]
            diagnosticMetrics:
              enabled: true
          istio:
            enabled: true
            namespaces:
              include: [shop]
            diagnosticMetrics:
              enabled: false
            envoyMetrics:
              enabled: true
          runtime:
            enabled: true
            namespaces:
              include: [shop]
            resources:
              pod: {enabled: true}
              node: {enabled: false}
          otlp:
            disabled: false
            namespaces:
              exclude: [kube-system, istio-system]
        output:
          otlp:
            endpoint:
              value: https://metrics.example.com:4317
            tls:
              insecure: true
      """;

  static final String LOG_PIPELINE =
      """
      apiVersion: telemetry.shoal.dev/v1beta1
      kind: LogPipeline
      metadata:
        name: logs
      spec:
        input:
          otlp:
            enabled: false
        output:
          otlp:
            protocol: grpc
            endpoint:
              value: http://logs.example.com:4317
            compression: gzip
      """;

  static final String SECRETS =
      """
      apiVersion: v1
      kind: Secret
      metadata:
        name: backend
        namespace: telemetry
      data:
        endpoint: aHR0cHM6Ly9vdGxwLmV4YW1wbGUuY29tOjQzMTg=
        token: c2VjcmV0
      stringData:
        password: hunter2
        token: overridden
      ---
      apiVersion: v1
      kind: Secret
      metadata:
        name: no-namespace
      stringData:
        key: value
      """;

  @TempDir Path dir;

  @Test
  void readsATracePipelineWithEveryField() {
    FolderContents contents = parse(TRACE_PIPELINE);
    assertEquals(List.of(), contents.warnings());
    assertEquals(Map.of(), contents.snapshot().schemaProblems());
    TracePipeline trace = (TracePipeline) only(contents.snapshot());
    assertEquals(new ResourceRef(PipelineKind.TRACE_PIPELINE, "backend"), trace.ref());
    assertEquals(3, trace.generation());
    assertEquals("shop", trace.getMetadata().getLabels().get("team"));
    TracePipelineSpec spec = trace.getSpec();
    assertEquals(true, spec.getInput().getOtlp().getEnabled());
    assertEquals(
        List.of("shop", "payments"), spec.getInput().getOtlp().getNamespaces().getInclude());
    OtlpOutput otlp = spec.getOutput().getOtlp();
    assertEquals("http", otlp.getProtocol());
    assertNull(otlp.getEndpoint().getValue());
    assertEquals("backend", otlp.getEndpoint().getValueFrom().getSecretKeyRef().getName());
    assertEquals("telemetry", otlp.getEndpoint().getValueFrom().getSecretKeyRef().getNamespace());
    assertEquals("endpoint", otlp.getEndpoint().getValueFrom().getSecretKeyRef().getKey());
    assertEquals("/otlp/v1/traces", otlp.getPath());
    Header tenant = otlp.getHeaders().get(0);
    assertEquals("X-Tenant", tenant.getName());
    assertEquals("shop", tenant.getValue());
    Header token = otlp.getHeaders().get(1);
    assertEquals("Bearer", token.getPrefix());
    assertEquals("token", token.getValueFrom().getSecretKeyRef().getKey());
    assertEquals("shoal", otlp.getAuthentication().getBasic().getUser().getValue());
    assertEquals(
        "password",
        otlp.getAuthentication()
            .getBasic()
            .getPassword()
            .getValueFrom()
            .getSecretKeyRef()
            .getKey());
    assertEquals(false, otlp.getTls().getInsecure());
    assertEquals(true, otlp.getTls().getInsecureSkipVerify());
    assertEquals("CA-PEM", otlp.getTls().getCa().getValue());
    assertEquals("tls.crt", otlp.getTls().getCert().getValueFrom().getSecretKeyRef().getKey());
    assertEquals("tls.key", otlp.getTls().getKey().getValueFrom().getSecretKeyRef().getKey());
    assertEquals("none", otlp.getCompression());
    assertEquals("15s", otlp.getTimeout());
    assertEquals(true, otlp.getRetry().getEnabled());
    assertEquals("1s", otlp.getRetry().getInitialInterval());
    assertEquals("10s", otlp.getRetry().getMaxInterval());
    assertEquals("2m", otlp.getRetry().getMaxElapsedTime());
    assertEquals(new Quantity("32Mi"), spec.getQueue().getBytes());
    assertEquals("refuse", spec.getQueue().getOverflow());
  }

  @Test
  void readsAMetricPipelineWithEveryInput() {
    FolderContents contents = parse(METRIC_PIPELINE);
    assertEquals(List.of(), contents.warnings());
    MetricPipeline metrics = (MetricPipeline) only(contents.snapshot());
    assertEquals(1, metrics.generation(), "a file without metadata.generation is generation 1");
    MetricPipelineSpec spec = metrics.getSpec();
    var input = spec.getInput();
    assertEquals(true, input.getPrometheus().getEnabled());
    assertEquals(List.of("kube-system"), input.getPrometheus().getNamespaces().getExclude());
    assertEquals(true, input.getPrometheus().getDiagnosticMetrics().getEnabled());
    assertEquals(true, input.getIstio().getEnabled());
    assertEquals(List.of("shop"), input.getIstio().getNamespaces().getInclude());
    assertEquals(false, input.getIstio().getDiagnosticMetrics().getEnabled());
    assertEquals(true, input.getIstio().getEnvoyMetrics().getEnabled());
    assertEquals(true, input.getRuntime().getEnabled());
    assertEquals(true, input.getRuntime().getResources().get("pod").getEnabled());
    assertEquals(false, input.getRuntime().getResources().get("node").getEnabled());
    assertEquals(false, input.getOtlp().getDisabled());
    assertEquals(
        List.of("kube-system", "istio-system"), input.getOtlp().getNamespaces().getExclude());
    assertEquals(
        "https://metrics.example.com:4317", spec.getOutput().getOtlp().getEndpoint().getValue());
    assertEquals(true, spec.getOutput().getOtlp().getTls().getInsecure());
  }

  @Test
  void readsALogPipeline() {
    FolderContents contents = parse(LOG_PIPELINE);
    LogPipeline logs = (LogPipeline) only(contents.snapshot());
    assertEquals(false, logs.getSpec().getInput().getOtlp().getEnabled());
    assertEquals("grpc", logs.getSpec().getOutput().getOtlp().getProtocol());
    assertEquals("gzip", logs.getSpec().getOutput().getOtlp().getCompression());
  }

  @Test
  void readsSecretsWithDataAndStringDataAndDefaultsTheNamespace() {
    ResourceSnapshot snapshot = parse(SECRETS).snapshot();
    assertEquals(2, snapshot.secrets().size());
    Secret backend = snapshot.secrets().get(0);
    assertEquals("telemetry", backend.getMetadata().getNamespace());
    assertEquals("aHR0cHM6Ly9vdGxwLmV4YW1wbGUuY29tOjQzMTg=", backend.getData().get("endpoint"));
    assertEquals("hunter2", backend.getStringData().get("password"));
    Secret other = snapshot.secrets().get(1);
    assertEquals("no-namespace", other.getMetadata().getName());
    assertEquals("default", other.getMetadata().getNamespace());
  }

  @Test
  void readsEveryDocumentOfEveryYamlFileButNotSubfoldersOrOtherFiles() throws IOException {
    write("pipelines.yaml", TRACE_PIPELINE + "---\n" + METRIC_PIPELINE + "\n---\n");
    write("logs.yml", LOG_PIPELINE);
    write("secrets.yaml", SECRETS);
    write("notes.txt", LOG_PIPELINE.replace("name: logs", "name: from-txt"));
    write(".hidden.yaml", LOG_PIPELINE.replace("name: logs", "name: hidden"));
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(
        dir.resolve("sub/more.yaml"), LOG_PIPELINE.replace("name: logs", "name: nested"));
    Files.createDirectories(dir.resolve(".status"));
    Files.writeString(dir.resolve(".status/tracepipeline-backend.yaml"), "kind: TracePipeline\n");

    FolderContents contents = read(FolderContents.EMPTY);

    assertEquals(List.of(), contents.warnings());
    assertEquals(
        List.of("logpipeline/logs", "metricpipeline/metrics", "tracepipeline/backend"),
        contents.snapshot().pipelines().stream().map(p -> p.ref().toString()).sorted().toList());
    assertEquals(2, contents.snapshot().secrets().size());
  }

  @Test
  void aBrokenFileIsReportedOnceAndTheOthersStillLoad() throws IOException {
    write("good.yaml", TRACE_PIPELINE);
    write("broken.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: [unclosed\n");
    write("also-good.yaml", LOG_PIPELINE);

    FolderContents contents = read(FolderContents.EMPTY);

    assertEquals(2, contents.snapshot().pipelines().size());
    assertEquals(1, contents.warnings().size(), contents.warnings().toString());
    String warning = contents.warnings().get(0);
    assertTrue(warning.startsWith("broken.yaml: not valid YAML at line "), warning);
    assertTrue(warning.endsWith("nothing in it is read"), warning);
  }

  @Test
  void aFileThatBreaksKeepsItsPreviousContent() throws IOException {
    write("logs.yaml", LOG_PIPELINE);
    FolderContents before = read(FolderContents.EMPTY);
    write("logs.yaml", LOG_PIPELINE + "\n  : : [\n");

    FolderContents after = read(before);

    assertEquals(List.of("logpipeline/logs"), refs(after.snapshot()));
    assertTrue(
        after.warnings().get(0).endsWith("keeping its previous content until it is fixed"),
        after.warnings().toString());
    FolderContents unchanged = read(after);
    assertEquals(List.of(), unchanged.warnings(), "an unchanged file is not parsed again");
  }

  @Test
  void unknownKindsAndForeignApiVersionsGiveOneWarningEach() {
    FolderContents contents =
        parse(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            ---
            apiVersion: telemetry.kyma-project.io/v1beta1
            kind: TracePipeline
            metadata: {name: kyma}
            spec: {}
            """);
    assertEquals(List.of(), contents.snapshot().pipelines());
    assertEquals(2, contents.warnings().size());
    assertTrue(contents.warnings().get(0).contains("kind 'ConfigMap'"), contents.warnings().get(0));
    assertTrue(
        contents.warnings().get(1).contains("use apiVersion: telemetry.shoal.dev/v1beta1"),
        contents.warnings().get(1));
  }

  @Test
  void anUnknownFieldOrAWrongTypeBecomesASchemaProblemOfThatPipeline() {
    FolderContents contents =
        parse(
            LOG_PIPELINE.replace("compression: gzip", "compresion: gzip")
                + "---\n"
                + TRACE_PIPELINE.replace("insecure: false", "insecure: [yes]"));
    ResourceSnapshot snapshot = contents.snapshot();
    assertEquals(2, snapshot.pipelines().size(), "both stay known, so their status can say why");
    String unknown =
        snapshot.schemaProblems().get(new ResourceRef(PipelineKind.LOG_PIPELINE, "logs"));
    assertTrue(
        unknown.startsWith("spec.output.otlp.compresion: unknown field; the fields here are "),
        unknown);
    assertTrue(unknown.contains("compression"), unknown);
    String wrongType =
        snapshot.schemaProblems().get(new ResourceRef(PipelineKind.TRACE_PIPELINE, "backend"));
    assertEquals("spec.output.otlp.tls.insecure: expected true or false", wrongType);
  }

  @Test
  void aPipelineDefinedTwiceIsASchemaProblem() {
    FolderContents contents = parse(LOG_PIPELINE + "---\n" + LOG_PIPELINE);
    assertEquals(1, contents.snapshot().pipelines().size());
    assertEquals(
        "LogPipeline logs is defined more than once (test.yaml twice); keep one definition",
        contents
            .snapshot()
            .schemaProblems()
            .get(new ResourceRef(PipelineKind.LOG_PIPELINE, "logs")));
  }

  @Test
  void aNameThatIsNoKubernetesNameIsSkipped() {
    FolderContents contents = parse(LOG_PIPELINE.replace("name: logs", "name: ../Logs"));
    assertEquals(List.of(), contents.snapshot().pipelines());
    assertTrue(contents.warnings().get(0).contains("is not a Kubernetes name"));
  }

  @Test
  void theFingerprintChangesWithContentsNotWithTime() throws IOException {
    write("logs.yaml", LOG_PIPELINE);
    FolderSource source = new FolderSource(dir, 1 << 20);
    String first = source.scan().fingerprint();
    write("logs.yaml", LOG_PIPELINE);
    Files.setLastModifiedTime(
        dir.resolve("logs.yaml"), java.nio.file.attribute.FileTime.fromMillis(0));
    assertEquals(first, source.scan().fingerprint());
    write("logs.yaml", LOG_PIPELINE.replace("logs.example.com", "logz.example.com"));
    assertNotEquals(first, source.scan().fingerprint());
  }

  @Test
  void tooLargeFilesAreSkippedWithAProblem() throws IOException {
    write("logs.yaml", LOG_PIPELINE);
    FolderScan scan = new FolderSource(dir, 16).scan();
    assertTrue(scan.files().isEmpty());
    assertTrue(scan.problems().get(0).startsWith("logs.yaml: "), scan.problems().toString());
    assertFalse(new FolderSource(dir.resolve("absent"), 16).scan().files().size() > 0);
    assertTrue(new FolderSource(dir.resolve("absent"), 16).scan().missing());
  }

  // ---- helpers

  private static FolderContents parse(String yaml) {
    return dev.shoal.manager.Manifests.parse(yaml);
  }

  private static PipelineResource only(ResourceSnapshot snapshot) {
    assertEquals(1, snapshot.pipelines().size(), snapshot.pipelines().toString());
    return snapshot.pipelines().get(0);
  }

  private static List<String> refs(ResourceSnapshot snapshot) {
    return snapshot.pipelines().stream().map(p -> p.ref().toString()).toList();
  }

  private FolderContents read(FolderContents previous) {
    return FolderSource.parse(new FolderSource(dir, 1 << 20).scan(), previous);
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content);
  }
}
