package dev.shoal.pipeline.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceClient;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full pipeline refuses with the retryable answers of the OTLP specification: HTTP 429 with
 * Retry-After and a google.rpc.Status body, gRPC UNAVAILABLE with a RetryInfo detail.
 *
 * <p>The queue holds one request; the output holds each batch for seconds, so a second request sent
 * right after the first one always finds the queue full.
 */
class RefusalStatusTest {
  @TempDir Path debugDir;
  ReceiverHarness node;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    node =
        new ReceiverHarness(
            debugDir,
            "shoal.pipeline.pipeline-defaults { queue-bytes = 1KiB, batch.timeout = 10ms }\n"
                + "shoal.pipeline.debug-output.delay-per-batch = 4s\n"
                + "shoal.pipeline.receiver.retry-after = 2s");
  }

  @AfterEach
  void stop() {
    node.close();
  }

  static ExportTraceServiceRequest request(String name) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .addSpans(
                            Span.newBuilder()
                                .setName(name + "-" + "x".repeat(600))
                                .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
                                .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8])))))
        .build();
  }

  private HttpResponse<byte[]> post(ExportTraceServiceRequest request) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(node.httpEndpoint() + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void httpRefusalIs429WithRetryAfter() throws Exception {
    assertEquals(200, post(request("first")).statusCode());
    HttpResponse<byte[]> refused = post(request("second"));
    assertEquals(429, refused.statusCode());
    assertEquals("2", refused.headers().firstValue("Retry-After").orElse(""));
    assertEquals("application/x-protobuf", refused.headers().firstValue("Content-Type").orElse(""));
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(refused.body());
    assertEquals(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE, status.getCode());
    assertTrue(status.getMessage().contains("full"), status.getMessage());
  }

  @Test
  void grpcRefusalIsUnavailableWithRetryInfo() throws Exception {
    GrpcClientSettings settings =
        GrpcClientSettings.connectToServiceAt(
                "127.0.0.1", node.bindings.grpcAddress().getPort(), node.testKit.system())
            .withTls(false);
    TraceServiceClient client = TraceServiceClient.create(settings, node.testKit.system());
    try {
      client.export(request("first")).toCompletableFuture().get(10, TimeUnit.SECONDS);
      CompletionException failure =
          org.junit.jupiter.api.Assertions.assertThrows(
              CompletionException.class,
              () -> client.export(request("second")).toCompletableFuture().join());
      StatusRuntimeException grpc = (StatusRuntimeException) failure.getCause();
      assertEquals(io.grpc.Status.Code.UNAVAILABLE, grpc.getStatus().getCode());
      com.google.rpc.Status rich = StatusProto.fromThrowable(grpc);
      assertTrue(rich != null, "no grpc-status-details-bin in the answer");
      RetryInfo retry = rich.getDetails(0).unpack(RetryInfo.class);
      assertEquals(Duration.ofSeconds(2).toSeconds(), retry.getRetryDelay().getSeconds());
    } finally {
      client.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
