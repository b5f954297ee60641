package dev.shoal.pipeline.prometheus;

/**
 * One sample line of an exposition.
 *
 * @param name the sample's full name ({@code http_requests_total}, {@code latency_bucket})
 * @param suffix what the name adds to its family's name ({@code ""}, {@code _bucket}, …)
 * @param labels label names and values, alternating: {@code [name0, value0, name1, value1, …]} in
 *     the order the line gives them, values unescaped
 * @param value the value; NaN and ±Inf included
 * @param timestampMillis the line's timestamp in milliseconds since the epoch, or {@link
 *     #NO_TIMESTAMP}
 * @param exemplar the OpenMetrics exemplar after the value, or null
 */
public record Sample(
    String name,
    String suffix,
    String[] labels,
    double value,
    long timestampMillis,
    Exemplar exemplar) {

  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  public int labelCount() {
    return labels.length / 2;
  }

  public String labelName(int i) {
    return labels[2 * i];
  }

  public String labelValue(int i) {
    return labels[2 * i + 1];
  }

  /** The value of the named label, or null when the sample has none. */
  public String label(String labelName) {
    for (int i = 0; i < labels.length; i += 2) {
      if (labels[i].equals(labelName)) return labels[i + 1];
    }
    return null;
  }

  public boolean hasTimestamp() {
    return timestampMillis != NO_TIMESTAMP;
  }

  /**
   * An OpenMetrics exemplar: {@code # {trace_id="…"} 0.67 1520879607.789}.
   *
   * @param labels alternating names and values, as {@link Sample#labels}
   * @param value its value
   * @param timestampMillis its timestamp, or {@link Sample#NO_TIMESTAMP}
   */
  public record Exemplar(String[] labels, double value, long timestampMillis) {}
}
