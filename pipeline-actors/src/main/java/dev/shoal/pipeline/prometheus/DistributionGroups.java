package dev.shoal.pipeline.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gathers the samples of a histogram or summary family into one group per series: the samples whose
 * labels, {@code le} or {@code quantile} aside, are the same make one OTLP data point.
 */
final class DistributionGroups {
  static final Set<String> HISTOGRAM_SKIP = Set.of("le");
  static final Set<String> SUMMARY_SKIP = Set.of("quantile");

  /** The samples of one series of a histogram or summary. */
  static final class Group {
    final String key;
    final String[] labels;

    /** Bucket upper bounds or quantiles, with their (cumulative) values, in the body's order. */
    final List<double[]> bounds = new ArrayList<>();

    final List<Sample.Exemplar> exemplars = new ArrayList<>();
    double count = Double.NaN;
    double sum = Double.NaN;
    long createdNanos;
    long timestampMillis = Sample.NO_TIMESTAMP;
    String problem;

    Group(String key, String[] labels) {
      this.key = key;
      this.labels = labels;
    }
  }

  private DistributionGroups() {}

  /** The family's series, in the order they first appear. */
  static List<Group> of(MetricFamily family, SeriesMemory.Kind kind) {
    boolean histogram = kind == SeriesMemory.Kind.HISTOGRAM;
    Set<String> skip = histogram ? HISTOGRAM_SKIP : SUMMARY_SKIP;
    Map<String, Group> groups = new LinkedHashMap<>();
    for (Sample s : family.samples()) {
      String key = OtlpValues.seriesKey(family.name(), kind, s.labels(), skip);
      Group g = groups.computeIfAbsent(key, k -> new Group(k, s.labels()));
      if (s.hasTimestamp()) g.timestampMillis = s.timestampMillis();
      switch (s.suffix()) {
        case "_count" -> g.count = s.value();
        case "_sum" -> g.sum = s.value();
        case "_created" -> g.createdNanos = Math.round(s.value() * 1e9);
        default -> bound(g, s, histogram);
      }
    }
    return new ArrayList<>(groups.values());
  }

  private static void bound(Group g, Sample s, boolean histogram) {
    String boundLabel = histogram ? "le" : "quantile";
    String text = s.label(boundLabel);
    if (text == null) {
      g.problem = s.name() + " has no " + boundLabel + " label";
      return;
    }
    double bound = parseBound(text);
    if (Double.isNaN(bound)) {
      g.problem = s.name() + ": " + boundLabel + "=\"" + text + "\" is not a number";
      return;
    }
    for (double[] b : g.bounds) {
      if (b[0] == bound) {
        g.problem = s.name() + ": " + boundLabel + "=\"" + text + "\" appears twice";
        return;
      }
    }
    g.bounds.add(new double[] {bound, s.value()});
    if (s.exemplar() != null) g.exemplars.add(s.exemplar());
  }

  private static double parseBound(String text) {
    switch (text) {
      case "+Inf", "Inf", "inf", "+inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-Inf", "-inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
      }
    }
  }
}
