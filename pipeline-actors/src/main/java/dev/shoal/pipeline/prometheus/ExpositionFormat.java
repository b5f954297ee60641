package dev.shoal.pipeline.prometheus;

import java.util.Locale;

/** The two formats a scrape target may answer in, told apart by the response's Content-Type. */
public enum ExpositionFormat {
  /** Prometheus text format 0.0.4 ({@code text/plain; version=0.0.4}). */
  TEXT_0_0_4,
  /** OpenMetrics 1.0 ({@code application/openmetrics-text; version=1.0.0}). */
  OPENMETRICS_1_0;

  /**
   * What a scraper asks for: OpenMetrics first, the text format next, anything else last (read as
   * text), as Prometheus itself negotiates.
   */
  public static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0;q=0.5,"
          + "text/plain;version=0.0.4;q=0.4,*/*;q=0.1";

  /** The format of a response; anything that is not OpenMetrics is read as text 0.0.4. */
  public static ExpositionFormat ofContentType(String contentType) {
    if (contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("application/openmetrics-text")) {
      return OPENMETRICS_1_0;
    }
    return TEXT_0_0_4;
  }
}
