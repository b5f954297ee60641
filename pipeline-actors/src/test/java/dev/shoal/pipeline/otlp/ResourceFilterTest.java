package dev.shoal.pipeline.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Resources found and kept on the wire equal what decoding and rebuilding the request gives. */
class ResourceFilterTest {
  private static final String NAMESPACE = "k8s.namespace.name";

  @Test
  void findsEachResourceWithItsItemsAndNamespace() throws Exception {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(spans("shop", 3))
            .addResourceSpans(spans(null, 1))
            .addResourceSpans(spans("billing", 2))
            .build();
    List<OtlpWire.ResourceSlice> slices =
        OtlpWire.resources(Signal.TRACES, request.toByteArray(), NAMESPACE);
    assertEquals(3, slices.size());
    assertEquals("shop", slices.get(0).attribute());
    assertNull(slices.get(1).attribute());
    assertEquals("billing", slices.get(2).attribute());
    assertEquals(List.of(3, 1, 2), slices.stream().map(OtlpWire.ResourceSlice::items).toList());
    byte[] bytes = request.toByteArray();
    for (int i = 0; i < 3; i++) {
      OtlpWire.ResourceSlice s = slices.get(i);
      byte[] alone = Arrays.copyOfRange(bytes, s.offset(), s.offset() + s.length());
      assertEquals(
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(request.getResourceSpans(i))
              .build(),
          ExportTraceServiceRequest.parseFrom(alone));
    }
  }

  @Test
  void keepsTheSelectedResourcesInOrder() {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(spans("shop", 3))
            .addResourceSpans(spans("billing", 2))
            .addResourceSpans(spans("shop", 4))
            .build();
    ExportRequest in = ExportRequest.of(Signal.TRACES, request);
    var slices = ResourceFilter.resources(in, NAMESPACE);

    ExportRequest shop = ResourceFilter.keep(in, slices, Set.of("shop")::contains);
    assertEquals(7, shop.items());
    assertEquals(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(request.getResourceSpans(0))
            .addResourceSpans(request.getResourceSpans(2))
            .build(),
        shop.decode());
    assertEquals(shop.bytes(), shop.decode().getSerializedSize());

    assertSame(in, ResourceFilter.keep(in, slices, ns -> true), "all kept: no copy");
    assertNull(ResourceFilter.keep(in, slices, "audit"::equals), "none kept");
  }

  @Test
  void readsTheLastValueOfARepeatedAttributeAndIgnoresNonStrings() throws Exception {
    Resource resource =
        Resource.newBuilder()
            .addAttributes(attribute(NAMESPACE, "first"))
            .addAttributes(attribute(NAMESPACE, "second"))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("k8s.pod.uid")
                    .setValue(AnyValue.newBuilder().setIntValue(5)))
            .build();
    ExportLogsServiceRequest request =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(resource)
                    .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder())))
            .build();
    var slices = OtlpWire.resources(Signal.LOGS, request.toByteArray(), NAMESPACE);
    assertEquals("second", slices.get(0).attribute());
    assertNull(
        OtlpWire.resources(Signal.LOGS, request.toByteArray(), "k8s.pod.uid").get(0).attribute());
    assertEquals(1, slices.get(0).items());
  }

  @Test
  void aSpanWithBrokenFieldsIsInvalid() {
    // A span whose only field claims 100 bytes that are not there.
    byte[] brokenSpan = {0x0a, 100, 1, 2};
    byte[] scope = wrap(brokenSpan, 2);
    byte[] resource = wrap(scope, 2);
    byte[] request = wrap(resource, 1);
    assertThrows(
        InvalidProtocolBufferException.class, () -> OtlpWire.countItems(Signal.TRACES, request));
  }

  private static ResourceSpans spans(String namespace, int n) {
    Resource.Builder resource =
        Resource.newBuilder().addAttributes(attribute("service.name", "svc"));
    if (namespace != null) resource.addAttributes(attribute(NAMESPACE, namespace));
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) scope.addSpans(Span.newBuilder().setName("s" + i));
    return ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope).build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** {@code message} as length-delimited field {@code field}; lengths below 128 bytes only. */
  private static byte[] wrap(byte[] message, int field) {
    byte[] out = new byte[message.length + 2];
    out[0] = (byte) (field << 3 | 2);
    out[1] = (byte) message.length;
    System.arraycopy(message, 0, out, 2, message.length);
    return out;
  }
}
