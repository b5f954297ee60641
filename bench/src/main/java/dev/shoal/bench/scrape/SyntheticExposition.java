package dev.shoal.bench.scrape;

import dev.shoal.pipeline.prometheus.ExpositionFormat;

/**
 * An exposition shaped like a busy exporter's, of a given number of series: families of 100 counter
 * or gauge series and of 10 histogram series (10 buckets, sum, count), each series with four
 * labels. Of the series, about 3 in 10 are counters, 3 gauges... in a cycle counter, counter,
 * gauge, histogram.
 */
final class SyntheticExposition {
  private SyntheticExposition() {}

  static String build(int series, ExpositionFormat format) {
    boolean om = format == ExpositionFormat.OPENMETRICS_1_0;
    StringBuilder b = new StringBuilder(series * 150);
    int written = 0;
    int family = 0;
    String[] bounds = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
    while (written < series) {
      int kind = family % 4;
      String name = "app_metric_" + family;
      if (kind <= 1) {
        String total = name + "_total";
        b.append("# HELP ").append(om ? name : total).append(" Requests handled.\n");
        b.append("# TYPE ").append(om ? name : total).append(" counter\n");
        for (int s = 0; s < 100 && written < series; s++, written++) {
          b.append(total).append(labels(s)).append(' ').append(1000 + s * 7).append('\n');
        }
      } else if (kind == 2) {
        b.append("# HELP ").append(name).append(" Current value.\n");
        b.append("# TYPE ").append(name).append(" gauge\n");
        for (int s = 0; s < 100 && written < series; s++, written++) {
          b.append(name).append(labels(s)).append(' ').append(s * 0.5).append('\n');
        }
      } else {
        b.append("# HELP ").append(name).append(" Latency.\n");
        b.append("# TYPE ").append(name).append(" histogram\n");
        for (int s = 0; s < 10 && written < series; s++, written++) {
          String l = labels(s);
          String inner = l.substring(1, l.length() - 1);
          for (int i = 0; i < bounds.length; i++) {
            b.append(name).append("_bucket{").append(inner).append(",le=\"").append(bounds[i]);
            b.append("\"} ").append((i + 1) * 10).append('\n');
          }
          b.append(name).append("_sum").append(l).append(" 123.5\n");
          b.append(name).append("_count").append(l).append(" 100\n");
        }
      }
      family++;
    }
    if (om) b.append("# EOF\n");
    return b.toString();
  }

  private static String labels(int s) {
    return "{method=\"GET\",code=\""
        + (200 + s % 5)
        + "\",path=\"/api/v1/items/"
        + s
        + "\",pod=\"app-7d9f8c-"
        + (s % 3)
        + "\"}";
  }
}
