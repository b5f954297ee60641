package dev.shoal.pipeline.prometheus;

import dev.shoal.pipeline.otlp.ExportRequest;

/**
 * What one scrape of a target produced.
 *
 * @param series the target's series as an OTLP metrics request (on a failed scrape: only the points
 *     that mark its series as vanished; possibly none)
 * @param diagnostics {@code up} and the {@code scrape_*} series, for pipelines that keep them
 * @param failure why the scrape failed, or null when it succeeded
 * @param samples samples in the body
 * @param duplicates samples left out as duplicates of earlier ones
 * @param invalid histogram and summary series left out as contradictory
 * @param bodyBytes the body's size, uncompressed
 * @param durationNanos from sending the request to the end of the conversion
 */
public record ScrapeResult(
    ExportRequest series,
    ExportRequest diagnostics,
    String failure,
    int samples,
    int duplicates,
    int invalid,
    long bodyBytes,
    long durationNanos) {

  public boolean up() {
    return failure == null;
  }
}
