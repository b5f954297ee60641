package dev.shoal.pipeline.receiver;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs rejected requests without letting a misbehaving client flood the log: at most one line per
 * interval, which says how many more were rejected since the last line.
 */
final class BadRequestLog {
  private static final long INTERVAL_NANOS = 10_000_000_000L;

  private final Logger log;
  private final AtomicLong nextLineAt = new AtomicLong(System.nanoTime());
  private final AtomicLong suppressed = new AtomicLong();

  BadRequestLog(Logger log) {
    this.log = log;
  }

  void rejected(String receiver, String status, String reason) {
    long now = System.nanoTime();
    long next = nextLineAt.get();
    if (now - next >= 0 && nextLineAt.compareAndSet(next, now + INTERVAL_NANOS)) {
      long more = suppressed.getAndSet(0);
      if (more == 0) {
        log.warn("{} rejected a request with {}: {}", receiver, status, reason);
      } else {
        log.warn(
            "{} rejected a request with {}: {} ({} more rejected requests not logged)",
            receiver,
            status,
            reason,
            more);
      }
    } else {
      suppressed.incrementAndGet();
    }
  }
}
