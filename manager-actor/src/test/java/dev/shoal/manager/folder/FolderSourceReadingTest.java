package dev.shoal.manager.folder;

import static dev.shoal.manager.folder.FolderSourceFixtures.LOG_PIPELINE;
import static dev.shoal.manager.folder.FolderSourceFixtures.METRIC_PIPELINE;
import static dev.shoal.manager.folder.FolderSourceFixtures.SECRETS;
import static dev.shoal.manager.folder.FolderSourceFixtures.TRACE_PIPELINE;
import static dev.shoal.manager.folder.FolderSourceFixtures.only;
import static dev.shoal.manager.folder.FolderSourceFixtures.parse;
import static dev.shoal.manager.folder.FolderSourceFixtures.read;
import static dev.shoal.manager.folder.FolderSourceFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.shoal.manager.crd.Header;
import dev.shoal.manager.crd.LogPipeline;
import dev.shoal.manager.crd.MetricPipeline;
import dev.shoal.manager.crd.MetricPipelineSpec;
import dev.shoal.manager.crd.OtlpOutput;
import dev.shoal.manager.crd.PipelineKind;
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

/** How {@link FolderSource} reads a folder and parses every kind of manifest. */
class FolderSourceReadingTest {

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
    write(dir, "pipelines.yaml", TRACE_PIPELINE + "---\n" + METRIC_PIPELINE + "\n---\n");
    write(dir, "logs.yml", LOG_PIPELINE);
    write(dir, "secrets.yaml", SECRETS);
    write(dir, "notes.txt", LOG_PIPELINE.replace("name: logs", "name: from-txt"));
    write(dir, ".hidden.yaml", LOG_PIPELINE.replace("name: logs", "name: hidden"));
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(
        dir.resolve("sub/more.yaml"), LOG_PIPELINE.replace("name: logs", "name: nested"));
    Files.createDirectories(dir.resolve(".status"));
    Files.writeString(dir.resolve(".status/tracepipeline-backend.yaml"), "kind: TracePipeline\n");

    FolderContents contents = read(dir, FolderContents.EMPTY);

    assertEquals(List.of(), contents.warnings());
    assertEquals(
        List.of("logpipeline/logs", "metricpipeline/metrics", "tracepipeline/backend"),
        contents.snapshot().pipelines().stream().map(p -> p.ref().toString()).sorted().toList());
    assertEquals(2, contents.snapshot().secrets().size());
  }

  @Test
  void theFingerprintChangesWithContentsNotWithTime() throws IOException {
    write(dir, "logs.yaml", LOG_PIPELINE);
    FolderSource source = new FolderSource(dir, 1 << 20);
    String first = source.scan().fingerprint();
    write(dir, "logs.yaml", LOG_PIPELINE);
    Files.setLastModifiedTime(
        dir.resolve("logs.yaml"), java.nio.file.attribute.FileTime.fromMillis(0));
    assertEquals(first, source.scan().fingerprint());
    write(dir, "logs.yaml", LOG_PIPELINE.replace("logs.example.com", "logz.example.com"));
    assertNotEquals(first, source.scan().fingerprint());
  }
}
