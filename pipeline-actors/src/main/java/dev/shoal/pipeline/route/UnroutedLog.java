package dev.shoal.pipeline.route;

import dev.shoal.pipeline.otlp.Signal;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says, at most once a minute, that data arrived which no pipeline takes. */
final class UnroutedLog {
  private static final Logger log = LoggerFactory.getLogger(SignalRouter.class);
  private static final long INTERVAL_NANOS = 60_000_000_000L;
  private final AtomicLong nextLineAt = new AtomicLong(System.nanoTime());

  void discarded(Signal signal, boolean noPipelineOfSignal) {
    long now = System.nanoTime();
    long next = nextLineAt.get();
    if (now - next < 0 || !nextLineAt.compareAndSet(next, now + INTERVAL_NANOS)) return;
    if (noPipelineOfSignal) {
      log.warn(
          "{} arrive but no {} pipeline is configured: they are discarded (counted in"
              + " shoal_receiver_items_unrouted_total). Add a pipeline for them.",
          signal.itemName(),
          signal.id());
    } else {
      log.info(
          "{} arrive whose namespace no {} pipeline selects: they are discarded (counted in"
              + " shoal_receiver_items_unrouted_total)",
          signal.itemName(),
          signal.id());
    }
  }
}
