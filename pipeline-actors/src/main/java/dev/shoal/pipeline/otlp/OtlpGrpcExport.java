package dev.shoal.pipeline.otlp;

import io.opentelemetry.proto.collector.logs.v1.LogsService;
import io.opentelemetry.proto.collector.metrics.v1.MetricsService;
import io.opentelemetry.proto.collector.trace.v1.TraceService;
import java.util.Map;
import org.apache.pekko.grpc.ProtobufSerializer;
import org.apache.pekko.util.ByteString;

/**
 * What serving OTLP's gRPC {@code Export} methods without decoding takes: which signal a method
 * path names, the acknowledgement, and a serializer for bytes that already are an encoded message.
 * The node's receiver and the bench's sink both answer this way.
 */
public final class OtlpGrpcExport {
  private static final Map<String, Signal> METHODS =
      Map.of(
          "/" + TraceService.name + "/Export", Signal.TRACES,
          "/" + MetricsService.name + "/Export", Signal.METRICS,
          "/" + LogsService.name + "/Export", Signal.LOGS);

  /** The three export responses acknowledge a whole request with an empty message. */
  public static final ByteString ACKNOWLEDGEMENT = ByteString.emptyByteString();

  /** Writes bytes that are already an encoded message, and reads them as they are. */
  public static final ProtobufSerializer<ByteString> ENCODED =
      new ProtobufSerializer<>() {
        @Override
        public ByteString serialize(ByteString message) {
          return message;
        }

        @Override
        public ByteString deserialize(ByteString bytes) {
          return bytes;
        }
      };

  private OtlpGrpcExport() {}

  /** The signal whose {@code Export} method is at this gRPC path, or null for any other path. */
  public static Signal signalAt(String path) {
    return METHODS.get(path);
  }
}
