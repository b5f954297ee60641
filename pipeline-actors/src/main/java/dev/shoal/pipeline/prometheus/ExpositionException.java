package dev.shoal.pipeline.prometheus;

/**
 * A body that cannot be taken: the whole scrape fails, as it does in Prometheus. The message names
 * the line and what is wrong with it.
 */
public final class ExpositionException extends Exception {
  private final int line;
  private final boolean sampleLimit;

  ExpositionException(int line, String problem) {
    this(line, problem, false);
  }

  private ExpositionException(int line, String problem, boolean sampleLimit) {
    super(line > 0 ? "line " + line + ": " + problem : problem);
    this.line = line;
    this.sampleLimit = sampleLimit;
  }

  static ExpositionException sampleLimit(int line, int limit) {
    return new ExpositionException(
        line,
        "more than "
            + limit
            + " samples (the scrape's sample limit); the target exposes too many series",
        true);
  }

  /** The 1-based line number, or 0 when the problem is the body as a whole. */
  public int line() {
    return line;
  }

  /** Whether the body was valid so far but held more samples than allowed. */
  public boolean sampleLimitExceeded() {
    return sampleLimit;
  }
}
