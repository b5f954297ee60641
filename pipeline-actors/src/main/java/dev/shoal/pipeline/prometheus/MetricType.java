package dev.shoal.pipeline.prometheus;

/** The metric types of the two exposition formats ({@code # TYPE} lines). */
public enum MetricType {
  COUNTER,
  GAUGE,
  HISTOGRAM,
  GAUGE_HISTOGRAM,
  SUMMARY,
  INFO,
  STATESET,
  /** No {@code # TYPE}, or {@code untyped} (text 0.0.4) / {@code unknown} (OpenMetrics). */
  UNKNOWN;

  /** The type a {@code # TYPE} line names, or null when the format has no such type. */
  static MetricType fromTypeLine(String word, ExpositionFormat format) {
    return switch (word) {
      case "counter" -> COUNTER;
      case "gauge" -> GAUGE;
      case "histogram" -> HISTOGRAM;
      case "summary" -> SUMMARY;
      case "untyped" -> format == ExpositionFormat.TEXT_0_0_4 ? UNKNOWN : null;
      case "unknown" -> format == ExpositionFormat.OPENMETRICS_1_0 ? UNKNOWN : null;
      case "gaugehistogram" -> format == ExpositionFormat.OPENMETRICS_1_0 ? GAUGE_HISTOGRAM : null;
      case "info" -> format == ExpositionFormat.OPENMETRICS_1_0 ? INFO : null;
      case "stateset" -> format == ExpositionFormat.OPENMETRICS_1_0 ? STATESET : null;
      default -> null;
    };
  }

  /**
   * Whether a sample named {@code family + suffix} belongs to a family of this type. In text 0.0.4
   * a counter's samples carry the family's name as it is; in OpenMetrics the family name has no
   * {@code _total} and the samples do.
   */
  boolean allowsSuffix(String suffix, ExpositionFormat format) {
    boolean om = format == ExpositionFormat.OPENMETRICS_1_0;
    return switch (this) {
      case COUNTER -> om ? suffix.equals("_total") || suffix.equals("_created") : suffix.isEmpty();
      case GAUGE, UNKNOWN, STATESET -> suffix.isEmpty();
      case INFO -> suffix.equals("_info");
      case HISTOGRAM ->
          suffix.equals("_bucket")
              || suffix.equals("_count")
              || suffix.equals("_sum")
              || (om && suffix.equals("_created"));
      case GAUGE_HISTOGRAM ->
          suffix.equals("_bucket") || suffix.equals("_gcount") || suffix.equals("_gsum");
      case SUMMARY ->
          suffix.isEmpty()
              || suffix.equals("_count")
              || suffix.equals("_sum")
              || (om && suffix.equals("_created"));
    };
  }
}
