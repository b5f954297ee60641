package dev.shoal.pipeline.prometheus;

import dev.shoal.pipeline.prometheus.DistributionGroups.Group;
import dev.shoal.pipeline.prometheus.SeriesMemory.Kind;
import dev.shoal.pipeline.prometheus.SeriesMemory.Series;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns one target's scrapes into OTLP metrics, following the OpenTelemetry conventions for
 * Prometheus: counter → monotonic cumulative Sum, gauge and unknown → Gauge, histogram → Histogram,
 * summary → Summary, info and stateset → non-monotonic Sum, gaugehistogram → one Gauge per sample.
 * A cumulative series starts at its {@code _created} time, else when it was first seen; a series
 * that vanished gets one point flagged {@code NoRecordedValue}.
 *
 * <p>State: the target's {@link SeriesMemory}. One converter per target, used by one scrape at a
 * time (the scrape loop waits for a scrape to end before the next).
 */
public final class ScrapeConverter {
  static final InstrumentationScope SCOPE =
      InstrumentationScope.newBuilder().setName("dev.shoal.prometheus").build();
  private static final int NO_RECORDED_VALUE =
      DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE;

  private final Resource resource;
  private final SeriesMemory memory = new SeriesMemory();

  public ScrapeConverter(TargetIdentity target) {
    this.resource = OtlpValues.resource(target);
  }

  /**
   * A scrape as OTLP.
   *
   * @param request the metrics (with the vanished series' last points)
   * @param points data points in it
   * @param duplicates samples left out because their series came earlier in the same body
   * @param invalid histogram or summary series left out because their samples contradict
   * @param firstProblem what was wrong with the first of those, or null
   */
  public record Converted(
      ExportMetricsServiceRequest request,
      int points,
      int duplicates,
      int invalid,
      String firstProblem) {}

  /** Series the converter remembers (from the last scrape). */
  public int seriesKnown() {
    return memory.size();
  }

  /** Converts a scrape taken at {@code scrapeNanos} (Unix nanoseconds). */
  public Converted convert(ExpositionParser.Exposition exposition, long scrapeNanos) {
    Run run = new Run(scrapeNanos);
    for (MetricFamily family : exposition.families()) run.family(family);
    run.stale(memory.finish(scrapeNanos));
    return run.result();
  }

  /** A failed scrape: every series the target had vanished. */
  public Converted failed(long scrapeNanos) {
    Run run = new Run(scrapeNanos);
    run.stale(memory.forgetAll(scrapeNanos));
    return run.result();
  }

  /** The state of one conversion. */
  private final class Run {
    private final long scrapeNanos;
    private final Map<String, Metric.Builder> metrics = new LinkedHashMap<>();
    private int points;
    private int duplicates;
    private int invalid;
    private String firstProblem;

    Run(long scrapeNanos) {
      this.scrapeNanos = scrapeNanos;
    }

    void family(MetricFamily family) {
      switch (family.type()) {
        case COUNTER -> counter(family);
        case GAUGE, UNKNOWN, GAUGE_HISTOGRAM -> numbers(family, Kind.GAUGE);
        case INFO, STATESET -> numbers(family, Kind.SUM);
        case HISTOGRAM -> histograms(family);
        case SUMMARY -> summaries(family);
      }
    }

    private void counter(MetricFamily family) {
      Map<String, Long> created = new HashMap<>();
      for (Sample s : family.samples()) {
        if (s.suffix().equals("_created")) {
          created.put(seriesKey(family.name(), s), Math.round(s.value() * 1e9));
        }
      }
      for (Sample s : family.samples()) {
        if (s.suffix().equals("_created")) continue;
        Series series =
            series(
                s.name(),
                Kind.MONOTONIC_SUM,
                family,
                s.labels(),
                Set.of(),
                created.getOrDefault(seriesKey(family.name(), s), 0L));
        if (series == null) continue;
        memory.cumulative(series, s.value(), scrapeNanos);
        NumberDataPoint.Builder p = number(series, s);
        if (s.exemplar() != null)
          p.addExemplars(OtlpValues.exemplar(s.exemplar(), p.getTimeUnixNano()));
        metric(series, family).getSumBuilder().addDataPoints(p);
      }
    }

    private String seriesKey(String family, Sample s) {
      return OtlpValues.seriesKey(family, Kind.MONOTONIC_SUM, s.labels(), Set.of());
    }

    private void numbers(MetricFamily family, Kind kind) {
      for (Sample s : family.samples()) {
        Series series = series(s.name(), kind, family, s.labels(), Set.of(), 0L);
        if (series == null) continue;
        NumberDataPoint.Builder p = number(series, s);
        if (kind == Kind.GAUGE) {
          p.clearStartTimeUnixNano();
          metric(series, family).getGaugeBuilder().addDataPoints(p);
        } else {
          metric(series, family).getSumBuilder().addDataPoints(p);
        }
      }
    }

    private NumberDataPoint.Builder number(Series series, Sample s) {
      points++;
      return NumberDataPoint.newBuilder()
          .addAllAttributes(series.attributes)
          .setStartTimeUnixNano(series.startNanos)
          .setTimeUnixNano(time(s.timestampMillis()))
          .setAsDouble(s.value());
    }

    private void histograms(MetricFamily family) {
      for (Group g : DistributionGroups.of(family, Kind.HISTOGRAM)) {
        HistogramDataPoint.Builder p = HistogramBuckets.point(g);
        if (p == null) {
          problem(
              family.name()
                  + ": "
                  + (g.problem != null ? g.problem : "buckets are not cumulative"));
          continue;
        }
        Series series = series(g, family, Kind.HISTOGRAM, DistributionGroups.HISTOGRAM_SKIP);
        if (series == null) continue;
        memory.cumulative(series, p.getCount(), scrapeNanos);
        p.addAllAttributes(series.attributes)
            .setStartTimeUnixNano(series.startNanos)
            .setTimeUnixNano(time(g.timestampMillis));
        for (Sample.Exemplar e : g.exemplars)
          p.addExemplars(OtlpValues.exemplar(e, p.getTimeUnixNano()));
        points++;
        metric(series, family).getHistogramBuilder().addDataPoints(p);
      }
    }

    private void summaries(MetricFamily family) {
      for (Group g : DistributionGroups.of(family, Kind.SUMMARY)) {
        if (g.problem != null) {
          problem(family.name() + ": " + g.problem);
          continue;
        }
        Series series = series(g, family, Kind.SUMMARY, DistributionGroups.SUMMARY_SKIP);
        if (series == null) continue;
        memory.cumulative(series, g.count, scrapeNanos);
        SummaryDataPoint.Builder p =
            SummaryDataPoint.newBuilder()
                .addAllAttributes(series.attributes)
                .setStartTimeUnixNano(series.startNanos)
                .setTimeUnixNano(time(g.timestampMillis))
                .setCount(OtlpValues.count(g.count))
                .setSum(Double.isNaN(g.sum) ? 0 : g.sum);
        g.bounds.sort((a, b) -> Double.compare(a[0], b[0]));
        for (double[] q : g.bounds) {
          p.addQuantileValues(
              SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q[0]).setValue(q[1]));
        }
        points++;
        metric(series, family).getSummaryBuilder().addDataPoints(p);
      }
    }

    private Series series(Group g, MetricFamily family, Kind kind, Set<String> skip) {
      Series series = memory.take(g.key);
      if (series == SeriesMemory.DUPLICATE) {
        duplicates++;
        return null;
      }
      if (series == null) {
        series =
            new Series(
                family.name(),
                kind,
                OtlpValues.attributes(g.labels, skip),
                g.createdNanos > 0 ? g.createdNanos : scrapeNanos);
        memory.add(g.key, series);
      }
      return series;
    }

    private Series series(
        String metric,
        Kind kind,
        MetricFamily family,
        String[] labels,
        Set<String> skip,
        long createdNanos) {
      String key = OtlpValues.seriesKey(metric, kind, labels, skip);
      Series series = memory.take(key);
      if (series == SeriesMemory.DUPLICATE) {
        duplicates++;
        return null;
      }
      if (series == null) {
        series =
            new Series(
                metric,
                kind,
                OtlpValues.attributes(labels, skip),
                createdNanos > 0 ? createdNanos : scrapeNanos);
        memory.add(key, series);
      } else if (createdNanos > 0) {
        series.startNanos = createdNanos;
      }
      return series;
    }

    private void problem(String what) {
      invalid++;
      if (firstProblem == null) firstProblem = what;
    }

    private long time(long timestampMillis) {
      return timestampMillis != Sample.NO_TIMESTAMP ? timestampMillis * 1_000_000L : scrapeNanos;
    }

    private Metric.Builder metric(Series series, MetricFamily family) {
      return metrics.computeIfAbsent(
          series.metric + '\u0000' + series.kind,
          k -> newMetric(series, family.help(), family.unit()));
    }

    /** Points flagged NoRecordedValue for the series that vanished. */
    void stale(Iterable<Series> vanished) {
      for (Series s : vanished) {
        Metric.Builder m =
            metrics.computeIfAbsent(s.metric + '\u0000' + s.kind, k -> newMetric(s, "", ""));
        points++;
        switch (s.kind) {
          case GAUGE -> m.getGaugeBuilder().addDataPoints(staleNumber(s));
          case SUM, MONOTONIC_SUM -> m.getSumBuilder().addDataPoints(staleNumber(s));
          case HISTOGRAM ->
              m.getHistogramBuilder()
                  .addDataPoints(
                      HistogramDataPoint.newBuilder()
                          .addAllAttributes(s.attributes)
                          .setStartTimeUnixNano(s.startNanos)
                          .setTimeUnixNano(scrapeNanos)
                          .setFlags(NO_RECORDED_VALUE));
          case SUMMARY ->
              m.getSummaryBuilder()
                  .addDataPoints(
                      SummaryDataPoint.newBuilder()
                          .addAllAttributes(s.attributes)
                          .setStartTimeUnixNano(s.startNanos)
                          .setTimeUnixNano(scrapeNanos)
                          .setFlags(NO_RECORDED_VALUE));
        }
      }
    }

    private NumberDataPoint.Builder staleNumber(Series s) {
      NumberDataPoint.Builder p =
          NumberDataPoint.newBuilder()
              .addAllAttributes(s.attributes)
              .setTimeUnixNano(scrapeNanos)
              .setFlags(NO_RECORDED_VALUE);
      if (s.kind != Kind.GAUGE) p.setStartTimeUnixNano(s.startNanos);
      return p;
    }

    Converted result() {
      ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(SCOPE);
      for (Metric.Builder m : metrics.values()) scope.addMetrics(m);
      ExportMetricsServiceRequest request =
          ExportMetricsServiceRequest.newBuilder()
              .addResourceMetrics(
                  ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope))
              .build();
      return new Converted(request, points, duplicates, invalid, firstProblem);
    }
  }

  private static Metric.Builder newMetric(Series series, String help, String unit) {
    Metric.Builder m =
        Metric.newBuilder().setName(series.metric).setDescription(help).setUnit(unit);
    switch (series.kind) {
      case GAUGE -> m.getGaugeBuilder();
      case MONOTONIC_SUM ->
          m.getSumBuilder()
              .setIsMonotonic(true)
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      case SUM ->
          m.getSumBuilder()
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      case HISTOGRAM ->
          m.getHistogramBuilder()
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      case SUMMARY -> m.getSummaryBuilder();
    }
    return m;
  }

  /** The scrape's own series ({@code up}, {@code scrape_*}): for pipelines that keep them. */
  public ExportMetricsServiceRequest diagnostics(
      boolean up, double durationSeconds, int samplesScraped, long bodyBytes, long scrapeNanos) {
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(SCOPE);
    scope.addMetrics(
        gauge(
            "up", "1 if the target was scraped, 0 if the scrape failed", up ? 1 : 0, scrapeNanos));
    scope.addMetrics(
        gauge("scrape_duration_seconds", "Duration of the scrape", durationSeconds, scrapeNanos));
    scope.addMetrics(
        gauge("scrape_samples_scraped", "Samples the target exposed", samplesScraped, scrapeNanos));
    scope.addMetrics(
        gauge(
            "scrape_body_size_bytes",
            "Uncompressed size of the scraped body",
            bodyBytes,
            scrapeNanos));
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope))
        .build();
  }

  private static Metric gauge(String name, String help, double value, long nanos) {
    return Metric.newBuilder()
        .setName(name)
        .setDescription(help)
        .setGauge(
            io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                .addDataPoints(
                    NumberDataPoint.newBuilder().setTimeUnixNano(nanos).setAsDouble(value)))
        .build();
  }
}
