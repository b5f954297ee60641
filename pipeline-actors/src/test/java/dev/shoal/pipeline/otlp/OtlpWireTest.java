package dev.shoal.pipeline.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire-format count equals the count of the decoded message, for every shape of request. */
class OtlpWireTest {
  private final Random random = new Random(7);

  @Test
  void countsSpansAcrossResourcesAndScopes() throws Exception {
    for (int round = 0; round < 50; round++) {
      ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
      for (int r = random.nextInt(4); r > 0; r--) {
        ResourceSpans.Builder rs =
            ResourceSpans.newBuilder().setResource(resource()).setSchemaUrl("s");
        for (int s = random.nextInt(4); s > 0; s--) {
          ScopeSpans.Builder ss = ScopeSpans.newBuilder().setSchemaUrl("x");
          for (int n = random.nextInt(30); n > 0; n--) {
            ss.addSpans(Span.newBuilder().setName("span-" + n).addAttributes(attribute()));
          }
          rs.addScopeSpans(ss);
        }
        request.addResourceSpans(rs);
      }
      assertSameCount(Signal.TRACES, request.build().toByteArray());
    }
  }

  @Test
  void countsLogRecords() throws Exception {
    for (int round = 0; round < 50; round++) {
      ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
      for (int r = random.nextInt(4); r > 0; r--) {
        ResourceLogs.Builder rl = ResourceLogs.newBuilder().setResource(resource());
        for (int s = random.nextInt(4); s > 0; s--) {
          ScopeLogs.Builder sl = ScopeLogs.newBuilder();
          for (int n = random.nextInt(30); n > 0; n--) {
            sl.addLogRecords(
                LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("log " + n)));
          }
          rl.addScopeLogs(sl);
        }
        request.addResourceLogs(rl);
      }
      assertSameCount(Signal.LOGS, request.build().toByteArray());
    }
  }

  @Test
  void countsDataPointsOfEveryKindOfMetric() throws Exception {
    for (int round = 0; round < 50; round++) {
      ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
      for (int r = random.nextInt(3); r >= 0; r--) {
        ResourceMetrics.Builder rm = ResourceMetrics.newBuilder().setResource(resource());
        for (int s = random.nextInt(3); s >= 0; s--) {
          ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
          for (int m = random.nextInt(8); m >= 0; m--) sm.addMetrics(metric(random.nextInt(6)));
          rm.addScopeMetrics(sm);
        }
        request.addResourceMetrics(rm);
      }
      assertSameCount(Signal.METRICS, request.build().toByteArray());
    }
  }

  @Test
  void aMetricWithTwoKindsOfDataCountsTheLastLikeProtobufDoes() throws Exception {
    // Two encodings of Metric back to back are one Metric merged: the oneof takes the last kind.
    byte[] gaugeThenSum = concat(metric(0).toByteArray(), metric(1).toByteArray());
    byte[] gaugeThenGauge = concat(metric(0).toByteArray(), metric(0).toByteArray());
    for (byte[] merged : new byte[][] {gaugeThenSum, gaugeThenGauge}) {
      ExportMetricsServiceRequest request =
          ExportMetricsServiceRequest.newBuilder()
              .addResourceMetrics(
                  ResourceMetrics.newBuilder()
                      .addScopeMetrics(
                          ScopeMetrics.newBuilder().addMetrics(Metric.parseFrom(merged))))
              .build();
      byte[] wire = wrap(wrap(wrap(merged, 2), 2), 1);
      assertEquals(Signal.METRICS.countItems(request), OtlpWire.countItems(Signal.METRICS, wire));
      assertSameCount(Signal.METRICS, wire);
    }
  }

  @Test
  void unknownFieldsAreSkipped() throws Exception {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("a")))
                    .setUnknownFields(
                        UnknownFieldSet.newBuilder()
                            .addField(
                                99,
                                UnknownFieldSet.Field.newBuilder()
                                    .addLengthDelimited(
                                        com.google.protobuf.ByteString.copyFromUtf8("zz"))
                                    .addVarint(5)
                                    .build())
                            .build()))
            .build();
    assertSameCount(Signal.TRACES, request.toByteArray());
  }

  @Test
  void aTruncatedRequestIsInvalid() {
    byte[] bytes =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(
                        ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("a"))))
            .build()
            .toByteArray();
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 2);
    assertThrows(
        InvalidProtocolBufferException.class, () -> OtlpWire.countItems(Signal.TRACES, truncated));
  }

  @Test
  void anEmptyRequestHasNoItems() throws Exception {
    assertEquals(0, OtlpWire.countItems(Signal.TRACES, new byte[0]));
    assertEquals(0, OtlpWire.countItems(Signal.METRICS, new byte[0]));
  }

  private static void assertSameCount(Signal signal, byte[] bytes) throws Exception {
    Message decoded = signal.parseProtobuf(bytes);
    assertEquals(signal.countItems(decoded), OtlpWire.countItems(signal, bytes));
  }

  private Metric metric(int kind) {
    Metric.Builder m = Metric.newBuilder().setName("m" + kind).setUnit("1");
    int points = random.nextInt(5);
    switch (kind) {
      case 0 -> {
        Gauge.Builder g = Gauge.newBuilder();
        for (int i = 0; i < points; i++) g.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i));
        m.setGauge(g);
      }
      case 1 -> {
        Sum.Builder s = Sum.newBuilder().setIsMonotonic(true).setAggregationTemporalityValue(2);
        for (int i = 0; i < points; i++)
          s.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(i));
        m.setSum(s);
      }
      case 2 -> {
        Histogram.Builder h = Histogram.newBuilder().setAggregationTemporalityValue(1);
        for (int i = 0; i < points; i++)
          h.addDataPoints(HistogramDataPoint.newBuilder().setCount(i));
        m.setHistogram(h);
      }
      case 3 -> {
        ExponentialHistogram.Builder e = ExponentialHistogram.newBuilder();
        for (int i = 0; i < points; i++) {
          e.addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(i));
        }
        m.setExponentialHistogram(e);
      }
      case 4 -> {
        Summary.Builder s = Summary.newBuilder();
        for (int i = 0; i < points; i++) s.addDataPoints(SummaryDataPoint.newBuilder().setSum(i));
        m.setSummary(s);
      }
      default -> m.setDescription("a metric without data");
    }
    return m.build();
  }

  private Resource resource() {
    return Resource.newBuilder().addAttributes(attribute()).build();
  }

  private KeyValue attribute() {
    return KeyValue.newBuilder()
        .setKey("service.name")
        .setValue(AnyValue.newBuilder().setStringValue("svc-" + random.nextInt(10)))
        .build();
  }

  /** {@code message} as field {@code field} of an enclosing message. */
  private static byte[] wrap(byte[] message, int field) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    com.google.protobuf.CodedOutputStream c =
        com.google.protobuf.CodedOutputStream.newInstance(out);
    c.writeByteArray(field, message);
    c.flush();
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
