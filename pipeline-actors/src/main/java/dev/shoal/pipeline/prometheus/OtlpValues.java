package dev.shoal.pipeline.prometheus;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** Builds the OTLP pieces of a scrape: attributes, the resource, exemplars, series keys. */
final class OtlpValues {
  private OtlpValues() {}

  static final String JOB = "job";
  static final String INSTANCE = "instance";

  static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /**
   * The resource of a target's metrics, per the OpenTelemetry Prometheus conventions: {@code job}
   * is the service, {@code instance} the service instance.
   */
  static Resource resource(TargetIdentity target) {
    return Resource.newBuilder()
        .addAttributes(string("service.name", target.job()))
        .addAttributes(string("service.instance.id", target.instance()))
        .addAttributes(string("server.address", target.host()))
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("server.port")
                .setValue(AnyValue.newBuilder().setIntValue(target.port())))
        .addAttributes(string("url.scheme", target.scheme()))
        .build();
  }

  /**
   * A sample's labels as data point attributes, leaving out {@code skip} ({@code le}, {@code
   * quantile}). {@code job} and {@code instance} are the target's own (on the resource): a series'
   * own labels of these names become {@code exported_job} and {@code exported_instance}, as
   * Prometheus renames them.
   */
  static List<KeyValue> attributes(String[] labels, Set<String> skip) {
    List<KeyValue> attributes = new ArrayList<>(labels.length / 2);
    for (int i = 0; i < labels.length; i += 2) {
      String name = labels[i];
      if (skip.contains(name)) continue;
      if (name.equals(JOB) || name.equals(INSTANCE)) name = "exported_" + name;
      attributes.add(string(name, labels[i + 1]));
    }
    return List.copyOf(attributes);
  }

  /**
   * The identity of a series: its metric, its kind and its labels (but {@code skip}) sorted by
   * name, so that the order a target writes them in does not matter.
   */
  static String seriesKey(
      String metric, SeriesMemory.Kind kind, String[] labels, Set<String> skip) {
    int n = labels.length / 2;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    if (n > 1) Arrays.sort(order, (a, b) -> labels[2 * a].compareTo(labels[2 * b]));
    StringBuilder key = new StringBuilder(metric.length() + 16 * n + 4);
    key.append(metric).append('\u0000').append(kind.ordinal());
    for (int i : order) {
      String name = labels[2 * i];
      if (skip.contains(name)) continue;
      key.append('\u0000').append(name).append('\u0001').append(labels[2 * i + 1]);
    }
    return key.toString();
  }

  /**
   * An OpenMetrics exemplar as an OTLP one: {@code trace_id} and {@code span_id} labels (hex)
   * become its ids, the other labels its filtered attributes.
   */
  static Exemplar exemplar(Sample.Exemplar e, long pointNanos) {
    Exemplar.Builder b = Exemplar.newBuilder().setAsDouble(e.value());
    b.setTimeUnixNano(
        e.timestampMillis() != Sample.NO_TIMESTAMP ? e.timestampMillis() * 1_000_000L : pointNanos);
    String[] labels = e.labels();
    for (int i = 0; i < labels.length; i += 2) {
      String name = labels[i];
      String value = labels[i + 1];
      if (name.equals("trace_id") && isHex(value, 32)) {
        b.setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(value)));
      } else if (name.equals("span_id") && isHex(value, 16)) {
        b.setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(value)));
      } else {
        b.addFilteredAttributes(string(name, value));
      }
    }
    return b.build();
  }

  private static boolean isHex(String s, int length) {
    if (s.length() != length) return false;
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) return false;
    }
    return true;
  }

  /** A Prometheus count (a float) as an OTLP count. */
  static long count(double value) {
    if (Double.isNaN(value) || value <= 0) return 0;
    return Math.round(value);
  }
}
