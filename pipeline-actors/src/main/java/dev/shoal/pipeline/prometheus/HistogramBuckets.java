package dev.shoal.pipeline.prometheus;

import dev.shoal.pipeline.prometheus.DistributionGroups.Group;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;

/**
 * Turns Prometheus' cumulative buckets ({@code le} = "at most") into OTLP's explicit bounds and
 * per-bucket counts. The {@code +Inf} bucket is the last OTLP bucket; when the body has none, the
 * {@code _count} closes the histogram.
 */
final class HistogramBuckets {
  private HistogramBuckets() {}

  /** The point's bounds, counts, count and sum, or null when the group's samples contradict. */
  static HistogramDataPoint.Builder point(Group g) {
    if (g.problem != null) return null;
    g.bounds.sort((a, b) -> Double.compare(a[0], b[0]));
    HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder();
    double previous = 0;
    boolean infinite = false;
    for (double[] bucket : g.bounds) {
      double cumulative = bucket[1];
      if (Double.isNaN(cumulative) || cumulative < previous) {
        g.problem = "bucket le=" + bucket[0] + " counts less than the bucket below it";
        return null;
      }
      if (bucket[0] == Double.POSITIVE_INFINITY) {
        infinite = true;
      } else {
        p.addExplicitBounds(bucket[0]);
      }
      p.addBucketCounts(OtlpValues.count(cumulative - previous));
      previous = cumulative;
    }
    double count = !Double.isNaN(g.count) ? g.count : previous;
    if (!infinite) {
      if (Double.isNaN(g.count) || g.count < previous) {
        g.problem = "no +Inf bucket and no _count to close the histogram";
        return null;
      }
      p.addBucketCounts(OtlpValues.count(g.count - previous));
    }
    p.setCount(OtlpValues.count(count));
    if (!Double.isNaN(g.sum)) p.setSum(g.sum);
    return p;
  }
}
