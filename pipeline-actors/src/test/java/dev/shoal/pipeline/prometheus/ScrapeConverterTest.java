package dev.shoal.pipeline.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScrapeConverterTest {
  private static final long T1 = 1_700_000_000_000_000_000L;
  private static final long T2 = T1 + 30_000_000_000L;
  private static final long T3 = T2 + 30_000_000_000L;

  private final ScrapeConverter converter =
      new ScrapeConverter(TargetIdentity.of("static", URI.create("http://127.0.0.1:9091/metrics")));

  private ScrapeConverter.Converted convert(ExpositionFormat format, String body, long at)
      throws ExpositionException {
    return converter.convert(new ExpositionParser(format, 1000).parse(body), at);
  }

  private static Map<String, Metric> metrics(ScrapeConverter.Converted c) {
    return c.request().getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
        .collect(Collectors.toMap(Metric::getName, m -> m, (a, b) -> a));
  }

  private static String attr(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(
            kv ->
                kv.getValue().hasStringValue()
                    ? kv.getValue().getStringValue()
                    : String.valueOf(kv.getValue().getIntValue()))
        .findFirst()
        .orElse(null);
  }

  @Test
  void resourceCarriesJobAndInstanceAndSeriesLabelsOfThoseNamesAreRenamed() throws Exception {
    ScrapeConverter.Converted c =
        convert(ExpositionFormat.TEXT_0_0_4, "m{job=\"pushed\",instance=\"\",a=\"b\"} 1\n", T1);
    ResourceMetrics rm = c.request().getResourceMetrics(0);
    assertEquals("static", attr(rm.getResource().getAttributesList(), "service.name"));
    assertEquals(
        "127.0.0.1:9091", attr(rm.getResource().getAttributesList(), "service.instance.id"));
    assertEquals("9091", attr(rm.getResource().getAttributesList(), "server.port"));
    NumberDataPoint p = metrics(c).get("m").getGauge().getDataPoints(0);
    assertEquals("pushed", attr(p.getAttributesList(), "exported_job"));
    assertEquals("b", attr(p.getAttributesList(), "a"));
    assertEquals(T1, p.getTimeUnixNano());
  }

  @Test
  void counterIsMonotonicCumulativeSumStartingAtFirstSightUntilReset() throws Exception {
    String type = "# TYPE c_total counter\n";
    Metric m1 =
        metrics(convert(ExpositionFormat.TEXT_0_0_4, type + "c_total 5\n", T1)).get("c_total");
    assertTrue(m1.getSum().getIsMonotonic());
    assertEquals(
        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
        m1.getSum().getAggregationTemporality());
    assertEquals(T1, m1.getSum().getDataPoints(0).getStartTimeUnixNano());
    Metric m2 =
        metrics(convert(ExpositionFormat.TEXT_0_0_4, type + "c_total 7\n", T2)).get("c_total");
    assertEquals(T1, m2.getSum().getDataPoints(0).getStartTimeUnixNano());
    assertEquals(7.0, m2.getSum().getDataPoints(0).getAsDouble());
    Metric m3 =
        metrics(convert(ExpositionFormat.TEXT_0_0_4, type + "c_total 1\n", T3)).get("c_total");
    assertEquals(T2, m3.getSum().getDataPoints(0).getStartTimeUnixNano(), "a reset starts anew");
  }

  @Test
  void openMetricsCreatedIsTheStartTimeAndExemplarsCarryTraceIds() throws Exception {
    Metric m =
        metrics(
                convert(
                    ExpositionFormat.OPENMETRICS_1_0,
                    """
                    # TYPE r counter
                    r_total{p="/"} 3 # {trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331",user="x"} 1
                    r_created{p="/"} 1600000000.5
                    # EOF
                    """,
                    T1))
            .get("r_total");
    NumberDataPoint p = m.getSum().getDataPoints(0);
    assertEquals(1_600_000_000_500_000_000L, p.getStartTimeUnixNano());
    assertEquals(1, m.getSum().getDataPointsCount(), "_created is no point of its own");
    assertEquals(16, p.getExemplars(0).getTraceId().size());
    assertEquals(8, p.getExemplars(0).getSpanId().size());
    assertEquals("x", attr(p.getExemplars(0).getFilteredAttributesList(), "user"));
  }

  @Test
  void histogramBucketsBecomeBoundsAndCounts() throws Exception {
    Metric m =
        metrics(
                convert(
                    ExpositionFormat.TEXT_0_0_4,
                    """
                    # TYPE h histogram
                    h_bucket{le="0.5",x="1"} 2
                    h_bucket{le="1",x="1"} 5
                    h_bucket{le="+Inf",x="1"} 6
                    h_sum{x="1"} 4.5
                    h_count{x="1"} 6
                    """,
                    T1))
            .get("h");
    HistogramDataPoint p = m.getHistogram().getDataPoints(0);
    assertEquals(List.of(0.5, 1.0), p.getExplicitBoundsList());
    assertEquals(List.of(2L, 3L, 1L), p.getBucketCountsList());
    assertEquals(6, p.getCount());
    assertEquals(4.5, p.getSum());
    assertEquals("1", attr(p.getAttributesList(), "x"));
    assertEquals(1, p.getAttributesCount(), "le is no attribute");
  }

  @Test
  void brokenHistogramIsLeftOutAndNamed() throws Exception {
    ScrapeConverter.Converted c =
        convert(
            ExpositionFormat.TEXT_0_0_4,
            "# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"2\"} 3\nh_count 5\n",
            T1);
    assertEquals(1, c.invalid());
    assertTrue(c.firstProblem().contains("h"), c.firstProblem());
  }

  @Test
  void summaryQuantiles() throws Exception {
    Metric m =
        metrics(
                convert(
                    ExpositionFormat.TEXT_0_0_4,
                    "# TYPE s summary\ns{quantile=\"0.9\"} 9\ns{quantile=\"0.5\"} 5\ns_sum 100\ns_count 20\n",
                    T1))
            .get("s");
    SummaryDataPoint p = m.getSummary().getDataPoints(0);
    assertEquals(20, p.getCount());
    assertEquals(100.0, p.getSum());
    assertEquals(0.5, p.getQuantileValues(0).getQuantile());
    assertEquals(9.0, p.getQuantileValues(1).getValue());
  }

  @Test
  void duplicateSeriesKeepTheFirst() throws Exception {
    ScrapeConverter.Converted c =
        convert(ExpositionFormat.TEXT_0_0_4, "g{a=\"1\",b=\"2\"} 1\ng{b=\"2\",a=\"1\"} 2\n", T1);
    assertEquals(1, c.duplicates());
    assertEquals(1, c.points());
    assertEquals(1.0, metrics(c).get("g").getGauge().getDataPoints(0).getAsDouble());
  }

  @Test
  void vanishedSeriesGetOneNoRecordedValuePoint() throws Exception {
    convert(ExpositionFormat.TEXT_0_0_4, "# TYPE c_total counter\nc_total 1\ng 2\n", T1);
    ScrapeConverter.Converted second = convert(ExpositionFormat.TEXT_0_0_4, "g 3\n", T2);
    NumberDataPoint stale = metrics(second).get("c_total").getSum().getDataPoints(0);
    assertEquals(1, stale.getFlags());
    assertEquals(T2, stale.getTimeUnixNano());
    assertEquals(T1, stale.getStartTimeUnixNano());
    ScrapeConverter.Converted third = convert(ExpositionFormat.TEXT_0_0_4, "g 3\n", T3);
    assertEquals(1, third.points(), "a vanished series is flagged once");
    ScrapeConverter.Converted failed = converter.failed(T3 + 1);
    assertEquals(1, metrics(failed).get("g").getGauge().getDataPoints(0).getFlags());
  }

  @Test
  void untypedIsGaugeAndSampleTimestampsAreKept() throws Exception {
    Metric m = metrics(convert(ExpositionFormat.TEXT_0_0_4, "u 4 1600000000000\n", T1)).get("u");
    assertTrue(m.hasGauge());
    assertEquals(1_600_000_000_000_000_000L, m.getGauge().getDataPoints(0).getTimeUnixNano());
  }

  @Test
  void diagnosticsCarryUpAndScrapeSeries() {
    var d = converter.diagnostics(false, 0.25, 0, 0, T1);
    var names =
        d.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
            .map(Metric::getName)
            .toList();
    assertTrue(
        names.containsAll(List.of("up", "scrape_duration_seconds", "scrape_samples_scraped")));
    assertEquals(
        0.0,
        d.getResourceMetrics(0)
            .getScopeMetrics(0)
            .getMetrics(0)
            .getGauge()
            .getDataPoints(0)
            .getAsDouble());
  }
}
