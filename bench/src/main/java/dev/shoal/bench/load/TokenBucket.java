package dev.shoal.bench.load;

/**
 * Paces the load: tokens (spans) accrue at the target rate from the elapsed time, not from the
 * number of ticks, so a late tick does not lower the rate; the bucket holds at most {@code
 * capacity}, so a stall is not followed by an unbounded burst. Not thread-safe: used by the one
 * thread that sends.
 */
final class TokenBucket {
  private final double tokensPerNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  /**
   * @param perSecond tokens added per second
   * @param capacity most tokens held; at least one request's worth, or nothing is ever sent
   */
  TokenBucket(double perSecond, double capacity, long nowNanos) {
    if (perSecond <= 0) throw new IllegalArgumentException("the rate must be positive");
    this.tokensPerNano = perSecond / 1e9;
    this.capacity = capacity;
    this.lastNanos = nowNanos;
  }

  /** Takes {@code n} tokens if the bucket holds them at {@code nowNanos}. */
  boolean tryTake(int n, long nowNanos) {
    if (nowNanos > lastNanos) {
      tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * tokensPerNano);
      lastNanos = nowNanos;
    }
    if (tokens < n) return false;
    tokens -= n;
    return true;
  }
}
