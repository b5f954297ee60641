package dev.shoal.bench.scrape;

import dev.shoal.pipeline.prometheus.ExpositionFormat;
import dev.shoal.pipeline.prometheus.ExpositionParser;
import dev.shoal.pipeline.prometheus.ScrapeConverter;
import dev.shoal.pipeline.prometheus.TargetIdentity;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code scrape-parse}: how fast the node parses and converts a scrape, and how much heap a
 * target's series take. Builds one exposition of the given size in memory (counters, gauges and
 * histograms with labels like real exporters'), then parses and converts it several times with one
 * converter, as a target's scrapes are. No network: this measures the CPU side alone.
 */
public final class ScrapeParseCommand {
  public static final String USAGE =
      String.join(
          "\n",
          "scrape-parse [--series N] [--rounds R] [--format text|openmetrics]",
          "  Parses and converts an exposition of N series (default 100000) R times (default 8)",
          "  and prints series per second and heap.");

  private ScrapeParseCommand() {}

  public static void run(String[] args) throws Exception {
    int series = 100_000;
    int rounds = 8;
    ExpositionFormat format = ExpositionFormat.TEXT_0_0_4;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--series" -> series = Integer.parseInt(required(args[i], value));
        case "--rounds" -> rounds = Integer.parseInt(required(args[i], value));
        case "--format" ->
            format =
                switch (required(args[i], value)) {
                  case "text" -> ExpositionFormat.TEXT_0_0_4;
                  case "openmetrics" -> ExpositionFormat.OPENMETRICS_1_0;
                  default -> throw new IllegalArgumentException("--format: text or openmetrics");
                };
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    String body = SyntheticExposition.build(series, format);
    System.out.printf(
        Locale.ROOT,
        "exposition: %d series, %.1f MiB, %s%n",
        series,
        body.getBytes(StandardCharsets.UTF_8).length / 1048576.0,
        format);
    long before = usedHeapAfterGc();
    ScrapeConverter converter =
        new ScrapeConverter(
            TargetIdentity.of("bench", URI.create("http://127.0.0.1:9100/metrics")));
    ExpositionParser parser = new ExpositionParser(format, 20 * series);
    long scrapeNanos = System.currentTimeMillis() * 1_000_000L;
    for (int round = 1; round <= rounds; round++) {
      long t0 = System.nanoTime();
      ExpositionParser.Exposition exposition = parser.parse(body);
      long t1 = System.nanoTime();
      ScrapeConverter.Converted converted = converter.convert(exposition, scrapeNanos);
      byte[] encoded = converted.request().toByteArray();
      long t2 = System.nanoTime();
      scrapeNanos += 30_000_000_000L;
      System.out.printf(
          Locale.ROOT,
          "round %d: %d samples, parse %.0f ms, convert+encode %.0f ms: %.0f series/s"
              + " (%.0f samples/s), OTLP %.1f MiB%n",
          round,
          exposition.samples(),
          (t1 - t0) / 1e6,
          (t2 - t1) / 1e6,
          converted.points() / ((t2 - t0) / 1e9),
          exposition.samples() / ((t2 - t0) / 1e9),
          encoded.length / 1048576.0);
    }
    long retained = usedHeapAfterGc() - before;
    System.out.printf(
        Locale.ROOT,
        "heap kept between scrapes for %d series (the converter's memory): %.1f MiB%n",
        converter.seriesKnown(),
        retained / 1048576.0);
    ExpositionParser.Exposition held = parser.parse(body);
    long withExposition = usedHeapAfterGc() - before;
    System.out.printf(
        Locale.ROOT,
        "heap while a parsed exposition of %d samples is held as well: %.1f MiB%n",
        held.samples(),
        withExposition / 1048576.0);
  }

  private static String required(String option, String value) {
    if (value == null) throw new IllegalArgumentException(option + " needs a value");
    return value;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
