package dev.shoal.pipeline.output.otlp;

import com.google.protobuf.Message;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.Exporter;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.stream.Batch;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Makes one attempt to deliver a batch over OTLP/gRPC, with grpc-java on one channel. The batch's
 * encoded request ({@link Batch#encoded()}) is sent as it is ({@link EncodedMessageMarshaller}):
 * nothing is decoded or encoded again, only the small answer is parsed. Each call carries the
 * configured headers as metadata and a deadline of the request timeout; with gzip configured its
 * message is compressed. {@link GrpcFailures} sorts failures into retryable ones and rejections; a
 * {@code partial_success} in the answer becomes the result's rejected items.
 *
 * <p>Calls start, and their answers are handled, on the actor system's dispatcher: compressing a
 * large batch does not hold up the stream that exports it. The channel reconnects for as long as
 * the exporter lives; {@link #close()} shuts it down.
 */
public final class OtlpGrpcExporter implements Exporter {
  private static final MethodDescriptor<byte[], ExportTraceServiceResponse> EXPORT_TRACES =
      exportMethod(
          "opentelemetry.proto.collector.trace.v1.TraceService",
          ExportTraceServiceResponse.getDefaultInstance());
  private static final MethodDescriptor<byte[], ExportMetricsServiceResponse> EXPORT_METRICS =
      exportMethod(
          "opentelemetry.proto.collector.metrics.v1.MetricsService",
          ExportMetricsServiceResponse.getDefaultInstance());
  private static final MethodDescriptor<byte[], ExportLogsServiceResponse> EXPORT_LOGS =
      exportMethod(
          "opentelemetry.proto.collector.logs.v1.LogsService",
          ExportLogsServiceResponse.getDefaultInstance());

  private final String target;
  private final ManagedChannel channel;
  private final Metadata headers;
  private final CallOptions options;
  private final long timeoutNanos;
  private final Executor executor;

  public OtlpGrpcExporter(OtlpOutputSettings settings, ActorSystem<?> system) {
    OtlpEndpoint endpoint = OtlpEndpoint.of(settings);
    this.target =
        (endpoint.tls() ? "https://" : "http://") + endpoint.host() + ":" + endpoint.port();
    this.headers = metadata(settings.headers());
    this.timeoutNanos = settings.requestTimeout().toNanos();
    this.options =
        settings.compression() == OtlpOutputSettings.Compression.GZIP
            ? CallOptions.DEFAULT.withCompression("gzip")
            : CallOptions.DEFAULT;
    this.executor = system.executionContext();
    ChannelCredentials credentials =
        endpoint.tls()
            ? ClientTls.channelCredentials(settings.tls())
            : InsecureChannelCredentials.create();
    this.channel =
        Grpc.newChannelBuilderForAddress(endpoint.host(), endpoint.port(), credentials)
            .executor(executor)
            .compressorRegistry(FastGzip.REGISTRY)
            .build();
  }

  private static <R extends Message> MethodDescriptor<byte[], R> exportMethod(
      String service, R responsePrototype) {
    return MethodDescriptor.<byte[], R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
        .setRequestMarshaller(EncodedMessageMarshaller.INSTANCE)
        .setResponseMarshaller(ProtoUtils.marshaller(responsePrototype))
        .build();
  }

  private static MethodDescriptor<byte[], ? extends Message> exportMethod(Signal signal) {
    return switch (signal) {
      case TRACES -> EXPORT_TRACES;
      case METRICS -> EXPORT_METRICS;
      case LOGS -> EXPORT_LOGS;
    };
  }

  /**
   * gRPC metadata of the configured headers. A name ending in {@code -bin} would be a binary header
   * in gRPC, whose value goes base64-encoded on the wire, so it is refused rather than sent
   * changed; so are names with characters gRPC does not allow (upper case is made lower case).
   */
  private static Metadata metadata(Map<String, String> headers) {
    Metadata metadata = new Metadata();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      try {
        if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          throw new IllegalArgumentException("names ending in -bin are binary metadata");
        }
        metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), h.getValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "header " + h.getKey() + " cannot be sent over gRPC: " + e.getMessage(), e);
      }
    }
    return metadata;
  }

  @Override
  public CompletionStage<ExportResult> export(Batch batch) {
    CompletableFuture<Message> answer = new CompletableFuture<>();
    executor.execute(
        () -> {
          try {
            call(exportMethod(batch.signal()), batch.encoded(), answer);
          } catch (RuntimeException e) {
            answer.completeExceptionally(e); // a bug, e.g. in encoding: passed on as it is
          }
        });
    return answer.handle(
        (response, failure) -> {
          if (failure != null) throw GrpcFailures.classify(failure, target);
          return PartialSuccess.of(response);
        });
  }

  private <R extends Message> void call(
      MethodDescriptor<byte[], R> method, byte[] request, CompletableFuture<Message> answer) {
    // grpc-java would wait out its own backoff (up to two minutes) before connecting again;
    // RetryingExporter paces the attempts, so each one may try to connect at once.
    if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
    }
    Metadata callHeaders = new Metadata();
    callHeaders.merge(headers); // grpc-java adds its own headers to the ones a call starts with
    ClientCall<byte[], R> call =
        channel.newCall(method, options.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS));
    call.start(new Answer<>(answer), callHeaders);
    try {
      // More than one, so that a server answering twice cannot keep the call from closing.
      call.request(2);
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException e) {
      call.cancel("the export call could not be sent", e);
      throw e;
    }
  }

  /** Completes the export with the call's one answer, or fails it with the call's status. */
  private static final class Answer<R extends Message> extends ClientCall.Listener<R> {
    private final CompletableFuture<Message> answer;
    private R response;

    Answer(CompletableFuture<Message> answer) {
      this.answer = answer;
    }

    @Override
    public void onMessage(R message) {
      if (response == null) response = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (!status.isOk()) {
        answer.completeExceptionally(status.asRuntimeException(trailers));
      } else if (response == null) {
        answer.completeExceptionally(
            Status.INTERNAL.withDescription("the call ended without an answer").asException());
      } else {
        answer.complete(response);
      }
    }
  }

  @Override
  public void close() {
    channel.shutdown();
  }
}
