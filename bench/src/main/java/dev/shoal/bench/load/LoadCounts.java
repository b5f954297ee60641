package dev.shoal.bench.load;

/**
 * What the load generator sent, and what became of it, up to one instant.
 *
 * @param seconds time since the load started
 * @param sentRequests requests sent (including those still in flight)
 * @param sentSpans spans in them
 * @param acknowledgedRequests requests the target took
 * @param acknowledgedSpans spans in them, less any the target rejected in a partial success
 * @param refusedRequests requests the target asked to retry later (HTTP 429/503, gRPC
 *     UNAVAILABLE/RESOURCE_EXHAUSTED)
 * @param refusedSpans spans in them
 * @param failedRequests requests that failed otherwise (rejected, timed out, connection lost)
 * @param failedSpans spans in them, plus spans rejected in partial successes
 * @param inFlight requests not answered yet
 */
public record LoadCounts(
    double seconds,
    long sentRequests,
    long sentSpans,
    long acknowledgedRequests,
    long acknowledgedSpans,
    long refusedRequests,
    long refusedSpans,
    long failedRequests,
    long failedSpans,
    int inFlight) {

  /** Acknowledged spans per second over the whole run so far. */
  public double acknowledgedRate() {
    return seconds > 0 ? acknowledgedSpans / seconds : 0;
  }

  /** The counts between {@code earlier} and this one (in flight: as of this one). */
  public LoadCounts since(LoadCounts earlier) {
    return new LoadCounts(
        seconds - earlier.seconds,
        sentRequests - earlier.sentRequests,
        sentSpans - earlier.sentSpans,
        acknowledgedRequests - earlier.acknowledgedRequests,
        acknowledgedSpans - earlier.acknowledgedSpans,
        refusedRequests - earlier.refusedRequests,
        refusedSpans - earlier.refusedSpans,
        failedRequests - earlier.failedRequests,
        failedSpans - earlier.failedSpans,
        inFlight);
  }

  /** One line for progress and summaries. */
  public String describe() {
    return String.format(
        "%,.0f spans/s acknowledged over %.1f s: sent %,d spans in %,d requests, acknowledged %,d,"
            + " refused %,d, failed %,d, in flight %d",
        acknowledgedRate(),
        seconds,
        sentSpans,
        sentRequests,
        acknowledgedSpans,
        refusedSpans,
        failedSpans,
        inFlight);
  }
}
