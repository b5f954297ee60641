package dev.shoal.pipeline.receiver;

import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/** Export requests for the receiver tests, and a way to find their spans in the debug output. */
final class SampleRequests {
  private SampleRequests() {}

  /** A trace export request with one span of the given name. */
  static ExportTraceServiceRequest traces(String spanName) {
    return traces(spanName, "");
  }

  /**
   * A trace export request with one span of the given name whose serialized form is exactly {@code
   * bytes} long, padded with a string attribute, so that size limits are hit by a valid message.
   */
  static ExportTraceServiceRequest tracesOfSize(String spanName, int bytes) {
    int padding = Math.max(0, bytes - traces(spanName, "").getSerializedSize());
    for (int attempt = 0; attempt < 8; attempt++) {
      ExportTraceServiceRequest request = traces(spanName, "x".repeat(padding));
      int size = request.getSerializedSize();
      if (size == bytes) return request;
      // Varint lengths grow with the padding; step towards the wanted size.
      padding += bytes - size;
    }
    throw new IllegalArgumentException("cannot build a request of exactly " + bytes + " bytes");
  }

  private static ExportTraceServiceRequest traces(String spanName, String padding) {
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(id(16))
            .setSpanId(id(8))
            .setName(spanName)
            .setStartTimeUnixNano(1_700_000_000_000_000_000L)
            .setEndTimeUnixNano(1_700_000_000_100_000_000L);
    if (!padding.isEmpty()) {
      span.addAttributes(
          KeyValue.newBuilder()
              .setKey("padding")
              .setValue(AnyValue.newBuilder().setStringValue(padding)));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(
                    ScopeSpans.newBuilder().setScope(scope("bad-input-test")).addSpans(span)))
        .build();
  }

  private static io.opentelemetry.proto.common.v1.InstrumentationScope scope(String name) {
    return io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName(name).build();
  }

  private static com.google.protobuf.ByteString id(int length) {
    byte[] id = new byte[length];
    for (int i = 0; i < length; i++) id[i] = (byte) (i + 1);
    return com.google.protobuf.ByteString.copyFrom(id);
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The first span of the given name the debug output of {@code node} has written, if any. */
  @SuppressWarnings("unchecked")
  static Optional<Span> writtenSpan(ReceiverHarness node, String spanName) throws IOException {
    return ((List<ExportTraceServiceRequest>) (List<?>) node.written(Signal.TRACES))
        .stream()
            .flatMap(r -> r.getResourceSpansList().stream())
            .flatMap(r -> r.getScopeSpansList().stream())
            .flatMap(s -> s.getSpansList().stream())
            .filter(s -> s.getName().equals(spanName))
            .findFirst();
  }
}
