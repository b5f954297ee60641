package dev.shoal.pipeline.output.otlp;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, the OpenTelemetry Collector's way: the n-th retry waits {@code
 * initial × 1.5ⁿ}, never more than {@code max}, randomised by ±50 % so that exporters that failed
 * together do not retry together. The randomised wait is capped at {@code max} as well.
 */
final class Backoff {
  static final double MULTIPLIER = 1.5;
  static final double RANDOMIZATION = 0.5;

  private final long initialNanos;
  private final long maxNanos;
  private final DoubleSupplier random;

  /**
   * @param random uniform in [0, 1); fixed in tests
   */
  Backoff(Duration initial, Duration max, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("retry initial interval must be positive");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("retry max interval must be at least the initial one");
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  Backoff(Duration initial, Duration max) {
    this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The wait before retry number {@code retry} (0 for the first retry). */
  Duration delay(int retry) {
    double base = initialNanos * Math.pow(MULTIPLIER, Math.min(retry, 64));
    base = Math.min(base, maxNanos);
    double factor = 1 - RANDOMIZATION + 2 * RANDOMIZATION * random.getAsDouble();
    return Duration.ofNanos((long) Math.min(base * factor, maxNanos));
  }
}
