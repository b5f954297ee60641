package dev.shoal.pipeline.prometheus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses a scrape's body in the Prometheus text format 0.0.4 or OpenMetrics 1.0 into metric
 * families. Written for the two specifications, with Prometheus' own leniencies where real
 * exporters rely on them (blank lines, a trailing comma in a label set, several blanks between
 * tokens).
 *
 * <p>A body that breaks the format fails as a whole ({@link ExpositionException} naming the line),
 * as a Prometheus scrape does: a half-read exposition would make series vanish and come back. A
 * body cut short is caught: text 0.0.4 must end with a line feed, OpenMetrics with {@code # EOF}.
 * The number of samples is bounded while reading, so an oversized exposition costs no more memory
 * than the limit.
 *
 * <p>Samples belong to the family of the {@code # TYPE}/{@code # HELP} lines before them when their
 * name is the family's name plus a suffix its type has ({@code _bucket}, {@code _total} in
 * OpenMetrics…); any other sample starts a family of its own, of unknown type (a missing TYPE).
 */
public final class ExpositionParser {
  private final ExpositionFormat format;
  private final int sampleLimit;

  /**
   * @param format how the body is written
   * @param sampleLimit the most samples a body may hold; more fail it
   */
  public ExpositionParser(ExpositionFormat format, int sampleLimit) {
    this.format = format;
    this.sampleLimit = sampleLimit;
  }

  /** What a body holds. */
  public record Exposition(List<MetricFamily> families, int samples) {}

  public Exposition parse(String body) throws ExpositionException {
    return new Run(body).run();
  }

  /** The state of one parse. */
  private final class Run {
    private final String body;
    private final LineCursor cursor;
    private final List<MetricFamily> families = new ArrayList<>();
    private final Set<String> declared = new HashSet<>();
    private MetricFamily current;
    private int samples;
    private boolean eof;

    Run(String body) {
      this.body = body;
      this.cursor = new LineCursor(body);
    }

    Exposition run() throws ExpositionException {
      boolean om = format == ExpositionFormat.OPENMETRICS_1_0;
      int start = 0;
      int number = 0;
      int length = body.length();
      while (start < length) {
        int lf = body.indexOf('\n', start);
        number++;
        if (lf < 0) {
          throw new ExpositionException(
              number,
              "the body ends inside a line (no line feed): it was cut short, or the exporter "
                  + "broke off");
        }
        if (eof) {
          throw new ExpositionException(number, "content after '# EOF'");
        }
        cursor.line(start, lf, number);
        line(lf - start);
        start = lf + 1;
      }
      if (om && !eof) {
        throw new ExpositionException(
            0, "the OpenMetrics body has no '# EOF' line: it was cut short");
      }
      return new Exposition(families, samples);
    }

    private void line(int length) throws ExpositionException {
      if (length == 0 || cursor.skipBlanks() == length) {
        return; // blank line: Prometheus skips them, so do we
      }
      if (cursor.peek() == '#') comment();
      else sample();
    }

    private void comment() throws ExpositionException {
      if (cursor.startsWith("# EOF")) {
        cursor.skip(5);
        cursor.skipBlanks();
        if (!cursor.atEnd()) {
          throw cursor.problem("'# EOF' must stand alone on its line");
        }
        if (format == ExpositionFormat.OPENMETRICS_1_0) eof = true;
        return;
      }
      cursor.skip(1);
      if (cursor.skipBlanks() == 0) return; // "#comment": text 0.0.4 ignores it
      String keyword = cursor.word();
      boolean help = keyword.equals("HELP");
      boolean type = keyword.equals("TYPE");
      boolean unit = keyword.equals("UNIT") && format == ExpositionFormat.OPENMETRICS_1_0;
      if (!help && !type && !unit) return; // any other comment is ignored
      cursor.expectBlank(keyword);
      String name = cursor.metricName();
      if (type) {
        cursor.expectBlank("the metric name");
        String word = cursor.word();
        MetricType metricType = MetricType.fromTypeLine(word, format);
        if (metricType == null) {
          throw cursor.problem("'" + word + "' is not a metric type of " + format);
        }
        cursor.skipBlanks();
        if (!cursor.atEnd()) throw cursor.problem("unexpected text after the type");
        declareType(name, metricType);
        return;
      }
      String text = "";
      if (cursor.skipBlanks() > 0) text = help ? cursor.helpText() : cursor.rest();
      else if (!cursor.atEnd()) throw cursor.problem("expected a space after the metric name");
      MetricFamily family = familyForMetadata(name);
      if (help) family.help(text);
      else family.unit(text);
    }

    private void declareType(String name, MetricType type) throws ExpositionException {
      if (!declared.add(name)) {
        throw cursor.problem("a second TYPE line for " + name);
      }
      String help = "";
      String unit = "";
      if (current != null && current.name().equals(name) && current.samples().isEmpty()) {
        // HELP (or UNIT) came first: the family it started gets its type now.
        help = current.help();
        unit = current.unit();
        families.remove(families.size() - 1);
      }
      current = new MetricFamily(name, type, true);
      current.help(help);
      current.unit(unit);
      families.add(current);
    }

    private MetricFamily familyForMetadata(String name) {
      if (current != null && current.name().equals(name)) return current;
      current = new MetricFamily(name, MetricType.UNKNOWN, false);
      families.add(current);
      return current;
    }

    private void sample() throws ExpositionException {
      String name = cursor.metricName();
      String[] labels = NO_LABELS;
      int blanks = cursor.skipBlanks();
      if (cursor.peek() == '{') {
        cursor.skip(1);
        labels = cursor.labels();
        blanks = cursor.skipBlanks();
      }
      if (blanks == 0) throw cursor.problem("expected a space before the sample's value");
      double value = cursor.value(cursor.word());
      long timestamp = Sample.NO_TIMESTAMP;
      Sample.Exemplar exemplar = null;
      cursor.skipBlanks();
      if (!cursor.atEnd() && cursor.peek() != '#') {
        String word = cursor.word();
        timestamp =
            format == ExpositionFormat.OPENMETRICS_1_0 ? cursor.seconds(word) : cursor.millis(word);
        cursor.skipBlanks();
      }
      if (!cursor.atEnd()) {
        if (format != ExpositionFormat.OPENMETRICS_1_0 || cursor.peek() != '#') {
          throw cursor.problem("unexpected text after the sample's value and timestamp");
        }
        exemplar = exemplar();
      }
      if (++samples > sampleLimit) {
        throw ExpositionException.sampleLimit(cursor.lineNumber(), sampleLimit);
      }
      MetricFamily family = familyOf(name);
      String suffix = name.substring(family.name().length());
      family.add(new Sample(name, suffix, labels, value, timestamp, exemplar));
    }

    /** {@code # {labels} value [timestamp]} after a sample (OpenMetrics). */
    private Sample.Exemplar exemplar() throws ExpositionException {
      cursor.skip(1);
      cursor.expectBlank("'#' of an exemplar");
      cursor.expect('{', "the exemplar's label set");
      String[] labels = cursor.labels();
      cursor.expectBlank("the exemplar's labels");
      double value = cursor.value(cursor.word());
      long timestamp = Sample.NO_TIMESTAMP;
      cursor.skipBlanks();
      if (!cursor.atEnd()) {
        timestamp = cursor.seconds(cursor.word());
        cursor.skipBlanks();
        if (!cursor.atEnd()) throw cursor.problem("unexpected text after the exemplar");
      }
      return new Sample.Exemplar(labels, value, timestamp);
    }

    private MetricFamily familyOf(String sampleName) {
      if (current != null
          && sampleName.startsWith(current.name())
          && current.type().allowsSuffix(sampleName.substring(current.name().length()), format)) {
        return current;
      }
      current = new MetricFamily(sampleName, MetricType.UNKNOWN, false);
      families.add(current);
      return current;
    }
  }

  private static final String[] NO_LABELS = new String[0];
}
