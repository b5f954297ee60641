package dev.shoal.bench.load;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC over grpc-java's Netty channels, the transport under pekko-grpc's own client, but with
 * a method descriptor whose request is already-encoded bytes: nothing is built or serialized per
 * request. One channel is one HTTP/2 connection; requests go to the channels in turn.
 */
final class GrpcTransport implements Transport {
  private static final MethodDescriptor<byte[], ExportTraceServiceResponse> EXPORT =
      MethodDescriptor.<byte[], ExportTraceServiceResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(TraceService.name, "Export"))
          .setRequestMarshaller(new Encoded())
          .setResponseMarshaller(
              ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
          .build();

  private final ManagedChannel[] channels;
  private final long timeoutMillis;
  private final int maxInFlight;
  private int next;

  GrpcTransport(LoadSettings settings) {
    channels = new ManagedChannel[settings.connections()];
    for (int i = 0; i < channels.length; i++) {
      channels[i] =
          NettyChannelBuilder.forAddress(settings.target().getHost(), settings.target().getPort())
              .usePlaintext()
              // Callbacks only count and wake the sending thread: no need for another pool.
              .directExecutor()
              .build();
    }
    timeoutMillis = settings.timeout().toMillis();
    maxInFlight = settings.connections() * settings.inFlightPerConnection();
  }

  @Override
  public CompletionStage<Outcome> send(RequestPool.Payload payload) {
    ManagedChannel channel = channels[next];
    next = (next + 1) % channels.length;
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    ClientCall<byte[], ExportTraceServiceResponse> call =
        channel.newCall(
            EXPORT, CallOptions.DEFAULT.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS));
    call.start(
        new ClientCall.Listener<>() {
          private long rejected;

          @Override
          public void onMessage(ExportTraceServiceResponse response) {
            rejected = response.getPartialSuccess().getRejectedSpans();
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            if (!status.isOk()) {
              done.complete(outcome(status));
            } else {
              done.complete(
                  rejected == 0
                      ? Outcome.ACKNOWLEDGED
                      : new Outcome(Result.ACKNOWLEDGED, rejected, "partial success"));
            }
          }
        },
        new Metadata());
    try {
      call.request(1);
      call.sendMessage(payload.protobuf());
      call.halfClose();
    } catch (RuntimeException e) {
      call.cancel("could not send", e);
    }
    return done;
  }

  /**
   * A status the server sent is a refusal when it asks the client to come back later; the same
   * codes raised by the client itself (connection refused or lost) are failures.
   */
  private static Outcome outcome(Status status) {
    String detail = status.getCode() + ": " + status.getDescription();
    boolean fromServer = status.getCause() == null;
    if (fromServer
        && (status.getCode() == Status.Code.UNAVAILABLE
            || status.getCode() == Status.Code.RESOURCE_EXHAUSTED)) {
      return Outcome.refused(detail);
    }
    return Outcome.failed(detail);
  }

  @Override
  public int maxInFlight() {
    return maxInFlight;
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels) c.shutdownNow();
    for (ManagedChannel c : channels) {
      try {
        c.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Requests that are already encoded: handed to the framer as they are. */
  private static final class Encoded implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new EncodedStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      throw new UnsupportedOperationException("requests are only sent");
    }
  }

  /** Tells grpc-java the length up front and lets it copy the bytes in one go. */
  private static final class EncodedStream extends ByteArrayInputStream
      implements KnownLength, Drainable {
    EncodedStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
