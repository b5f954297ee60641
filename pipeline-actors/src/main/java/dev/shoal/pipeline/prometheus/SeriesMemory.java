package dev.shoal.pipeline.prometheus;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one target's earlier scrapes left behind, so that the next one can be converted: each
 * series' start time and last cumulative value (to see a reset), and its attributes (built once,
 * reused for every later point). Owned by one target and used by one scrape at a time; its size is
 * bounded by the target's sample limit.
 *
 * <p>A series seen in the previous scrape and missing from this one has vanished: {@link #finish}
 * hands it out once, so that the converter writes a point flagged {@code NoRecordedValue}, and
 * forgets it.
 */
final class SeriesMemory {

  /** How a series is written in OTLP. */
  enum Kind {
    MONOTONIC_SUM,
    SUM,
    GAUGE,
    HISTOGRAM,
    SUMMARY
  }

  /** One series: what it is, when it started, what it last counted. */
  static final class Series {
    final String metric;
    final Kind kind;
    final List<KeyValue> attributes;
    long startNanos;
    double lastCumulative;

    Series(String metric, Kind kind, List<KeyValue> attributes, long startNanos) {
      this.metric = metric;
      this.kind = kind;
      this.attributes = attributes;
      this.startNanos = startNanos;
      this.lastCumulative = Double.NaN;
    }
  }

  private Map<String, Series> previous = new HashMap<>();
  private Map<String, Series> current = new HashMap<>();
  private long previousScrapeNanos;

  /** Series kept from earlier scrapes. */
  int size() {
    return previous.size();
  }

  /**
   * The series under {@code key} in this scrape: the one seen before, or null when it is new (then
   * {@link #add} it). Returns {@link #DUPLICATE} when this scrape already had the key.
   */
  Series take(String key) {
    if (current.containsKey(key)) return DUPLICATE;
    Series s = previous.remove(key);
    if (s != null) current.put(key, s);
    return s;
  }

  void add(String key, Series series) {
    current.put(key, series);
  }

  /**
   * Records a cumulative value. A value below the last one means the target restarted and counts
   * again from zero: the series starts anew, at the previous scrape (the latest instant known to be
   * before the restart).
   */
  void cumulative(Series series, double value, long scrapeNanos) {
    if (value < series.lastCumulative) {
      series.startNanos = previousScrapeNanos > 0 ? previousScrapeNanos : scrapeNanos;
    }
    series.lastCumulative = value;
  }

  /** Ends a scrape: returns the series that vanished since the previous one and forgets them. */
  Iterable<Series> finish(long scrapeNanos) {
    Map<String, Series> vanished = previous;
    previous = current;
    current = new HashMap<>(Math.max(16, previous.size() * 4 / 3 + 1));
    previousScrapeNanos = scrapeNanos;
    return vanished.values();
  }

  /** Ends a failed scrape: every series vanished. */
  Iterable<Series> forgetAll(long scrapeNanos) {
    current.clear();
    return finish(scrapeNanos);
  }

  static final Series DUPLICATE = new Series("", Kind.GAUGE, List.of(), 0);
}
