package dev.shoal.manager.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.reconcile.ResourceSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Manifests and helpers shared by the {@code FolderSource} tests. */
final class FolderSourceFixtures {

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

  static FolderContents parse(String yaml) {
    return dev.shoal.manager.Manifests.parse(yaml);
  }

  static PipelineResource only(ResourceSnapshot snapshot) {
    assertEquals(1, snapshot.pipelines().size(), snapshot.pipelines().toString());
    return snapshot.pipelines().get(0);
  }

  static List<String> refs(ResourceSnapshot snapshot) {
    return snapshot.pipelines().stream().map(p -> p.ref().toString()).toList();
  }

  static FolderContents read(Path dir, FolderContents previous) {
    return FolderSource.parse(new FolderSource(dir, 1 << 20).scan(), previous);
  }

  static void write(Path dir, String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content);
  }

  private FolderSourceFixtures() {}
}
