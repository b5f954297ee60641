package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged node, started as its own process: command line, start-up failures, shutdown. */
class NodeProcessIT {
  @TempDir Path workDir;

  @Test
  void helpPrintsUsageAndExitsZero() throws Exception {
    try (NodeProcess node = NodeProcess.start(workDir, Map.of(), "--help")) {
      assertEquals(0, node.awaitExit(Duration.ofSeconds(30)));
      assertTrue(node.output().contains("--data-dir DIR"), node.output());
    }
  }

  @Test
  void unknownOptionExitsTwoAndSaysWhy() throws Exception {
    try (NodeProcess node = NodeProcess.start(workDir, Map.of(), "--frobnicate")) {
      assertEquals(2, node.awaitExit(Duration.ofSeconds(30)));
      assertTrue(node.output().contains("unknown option --frobnicate"), node.output());
    }
  }

  @Test
  void badSeedExitsTwoAndShowsTheExpectedForm() throws Exception {
    try (NodeProcess node =
        NodeProcess.start(workDir, Map.of(), "--seed", "127.0.0.1:25520,shoal-1")) {
      assertEquals(2, node.awaitExit(Duration.ofSeconds(30)));
      assertTrue(node.output().contains("\"shoal-1\" is not host:port"), node.output());
      assertTrue(node.output().contains("expected host:port[,host:port...]"), node.output());
    }
  }

  @Test
  void portInUseIsReportedWithTheSettingThatChangesIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        NodeProcess node =
            NodeProcess.start(
                workDir, Map.of("SHOAL_OTLP_HTTP_PORT", String.valueOf(taken.getLocalPort())))) {
      int status = node.awaitExit(Duration.ofSeconds(60));
      String output = node.output();
      assertNotEquals(0, status, output);
      assertTrue(output.contains(":" + taken.getLocalPort()), output);
      assertTrue(output.contains("shoal.pipeline.receiver.http.port"), output);
    }
  }

  @Test
  void sigtermExportsWhatIsQueuedAndExitsZero() throws Exception {
    // Batches wait up to an hour: only the drain on SIGTERM can write these spans out.
    Path config = workDir.resolve("slow-batches.conf");
    Files.writeString(
        config,
        "shoal.pipeline.pipeline-defaults.batch.timeout = 1h\n"
            + "shoal.sharding.pipeline-entity.report-interval = 1s\n");
    Path dataDir = workDir.resolve("data");
    try (NodeProcess node =
        NodeProcess.start(
            workDir,
            // No Kubernetes API in reach, whatever the machine's environment says.
            Map.of("KUBECONFIG", "", "KUBERNETES_SERVICE_HOST", ""),
            "--config",
            config.toString(),
            "--data-dir",
            dataDir.toString())) {
      node.awaitReady(Duration.ofSeconds(60));
      assertEquals(
          1,
          node.output().split("no Kubernetes API in reach", -1).length - 1,
          "said once that nothing is enriched: " + node.output());
      send(OtlpGrpcSpanExporter.builder().setEndpoint(node.grpcEndpoint()).build(), "via-grpc");
      send(
          OtlpHttpSpanExporter.builder().setEndpoint(node.httpEndpoint() + "/v1/traces").build(),
          "via-http");
      assertEquals(200, node.getManagement("/ready").statusCode());
      assertEquals(200, node.getManagement("/alive").statusCode());
      assertTrue(node.getManagement("/cluster/members").body().contains("\"Up\""));
      // Each built-in pipeline's PipelineEntity, started by this member's first stats report.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                String shards = node.getManagement("/cluster/shards/PipelineEntity").body();
                int entities =
                    java.util.regex.Pattern.compile("\"numEntities\":(\\d+)")
                        .matcher(shards)
                        .results()
                        .mapToInt(m -> Integer.parseInt(m.group(1)))
                        .sum();
                assertEquals(3, entities, shards);
              });
      String metrics = node.getManagement("/metrics").body();
      assertTrue(
          metrics.contains(
              "shoal_pipeline_items_accepted_total{pipeline=\"default-traces\",signal=\"traces\"} 10.0"),
          metrics);
      assertTrue(
          metrics.contains(
              "shoal_receiver_requests_total{protocol=\"grpc\",signal=\"traces\",status=\"OK\"} 5.0"),
          metrics);
      Path traces = dataDir.resolve("debug").resolve("traces.jsonl");
      assertTrue(!Files.exists(traces) || Files.size(traces) == 0, "written before the drain");

      node.process().destroy(); // SIGTERM
      assertEquals(0, node.awaitExit(Duration.ofSeconds(60)), node.output());
      String written = Files.readString(traces, StandardCharsets.UTF_8);
      for (int i = 0; i < 5; i++) {
        assertTrue(written.contains("\"via-grpc-" + i + "\""), written);
        assertTrue(written.contains("\"via-http-" + i + "\""), written);
      }
      assertTrue(node.output().contains("every pipeline exported what it held"), node.output());
    }
  }

  private static void send(SpanExporter exporter, String prefix) {
    SdkTracerProvider tracing =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    for (int i = 0; i < 5; i++) {
      tracing.get("it").spanBuilder(prefix + "-" + i).startSpan().end();
    }
    CompletableResultCode flushed = tracing.forceFlush();
    flushed.join(30, TimeUnit.SECONDS);
    assertTrue(flushed.isSuccess(), "the node did not acknowledge " + prefix);
    tracing.shutdown().join(10, TimeUnit.SECONDS);
  }
}
