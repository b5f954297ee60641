package dev.shoal.pipeline.output.otlp;

import com.google.protobuf.Message;
import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.Exporter;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.stream.Batch;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceClient;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceClient;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceClient;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.GrpcChannel;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.grpc.javadsl.SingleResponseRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt to deliver a batch over OTLP/gRPC, with pekko-grpc's generated clients on one
 * channel. Each call carries the configured headers as metadata and a deadline of the request
 * timeout; with gzip configured its message is compressed ({@link GzipCalls}). {@link GrpcFailures}
 * sorts failures into retryable ones and rejections; a {@code partial_success} in the answer
 * becomes the result's rejected items.
 *
 * <p>The channel retries connecting for as long as the exporter lives (pekko-grpc would otherwise
 * close it for good after 20 failed attempts); {@link #close()} closes it.
 */
public final class OtlpGrpcExporter implements Exporter {
  private static final Logger log = LoggerFactory.getLogger(OtlpGrpcExporter.class);

  private final Map<String, String> headers;
  private final String target;
  private final GrpcChannel channel;
  private final TraceServiceClient traces;
  private final MetricsServiceClient metrics;
  private final LogsServiceClient logs;

  public OtlpGrpcExporter(OtlpOutputSettings settings, ActorSystem<?> system) {
    OtlpEndpoint endpoint = OtlpEndpoint.of(settings);
    this.headers = settings.headers();
    this.target =
        (endpoint.tls() ? "https://" : "http://") + endpoint.host() + ":" + endpoint.port();
    GrpcClientSettings client =
        GrpcClientSettings.connectToServiceAt(endpoint.host(), endpoint.port(), system)
            .withDeadline(settings.requestTimeout())
            .withConnectionAttempts(-1)
            .withTls(endpoint.tls());
    if (endpoint.tls()) client = client.withSslContext(ClientTls.sslContext(settings.tls()));
    if (settings.compression() == OtlpOutputSettings.Compression.GZIP) {
      client = client.withChannelBuilderOverrides(builder -> builder.intercept(GzipCalls.INSTANCE));
    }
    this.channel = GrpcChannel.apply(client, system);
    this.traces = TraceServiceClient.create(channel, system);
    this.metrics = MetricsServiceClient.create(channel, system);
    this.logs = LogsServiceClient.create(channel, system);
  }

  @Override
  public CompletionStage<ExportResult> export(Batch batch) {
    Message request = batch.merged();
    CompletionStage<? extends Message> response;
    try {
      response =
          switch (batch.signal()) {
            case TRACES -> withHeaders(traces.export()).invoke((ExportTraceServiceRequest) request);
            case METRICS ->
                withHeaders(metrics.export()).invoke((ExportMetricsServiceRequest) request);
            case LOGS -> withHeaders(logs.export()).invoke((ExportLogsServiceRequest) request);
          };
    } catch (RuntimeException e) {
      // The channel may refuse a call before it starts (e.g. when it is shut down).
      response = CompletableFuture.failedFuture(e);
    }
    return response
        .<ExportResult>thenApply(PartialSuccess::of)
        .exceptionally(
            failure -> {
              throw GrpcFailures.classify(failure, target);
            });
  }

  private <Q, R> SingleResponseRequestBuilder<Q, R> withHeaders(
      SingleResponseRequestBuilder<Q, R> call) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      call = call.addHeader(h.getKey(), h.getValue());
    }
    return call;
  }

  @Override
  public void close() {
    channel
        .closeCS()
        .whenComplete(
            (done, failure) -> {
              if (failure != null)
                log.debug("closing the gRPC channel to {} failed", target, failure);
            });
  }
}
