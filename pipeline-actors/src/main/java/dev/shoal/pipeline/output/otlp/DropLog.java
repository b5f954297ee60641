package dev.shoal.pipeline.output.otlp;

import dev.shoal.pipeline.stream.Batch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs lost items without flooding the log while a backend is down: per pipeline at most one line
 * per interval, which also counts the batches and items lost since the previous line.
 */
final class DropLog {
  static final long INTERVAL_NANOS = 10_000_000_000L;

  private final Logger log;
  private final String output;
  private final LongSupplier nanoTime;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * @param output the output, as the log names it
   */
  DropLog(Logger log, String output) {
    this(log, output, System::nanoTime);
  }

  DropLog(Logger log, String output, LongSupplier nanoTime) {
    this.log = log;
    this.output = output;
    this.nanoTime = nanoTime;
  }

  /** {@code items} of the batch are lost, for {@code reason}. */
  void dropped(Batch batch, long items, String reason, String message) {
    Window window = windows.computeIfAbsent(batch.pipeline(), p -> new Window());
    long batchesBefore;
    long itemsBefore;
    synchronized (window) {
      long now = nanoTime.getAsLong();
      if (window.logged && now - window.nextLineAt < 0) {
        window.unloggedBatches++;
        window.unloggedItems += items;
        return;
      }
      batchesBefore = window.unloggedBatches;
      itemsBefore = window.unloggedItems;
      window.logged = true;
      window.nextLineAt = now + INTERVAL_NANOS;
      window.unloggedBatches = 0;
      window.unloggedItems = 0;
    }
    String what = batch.signal().itemName();
    if (batchesBefore == 0) {
      log.warn(
          "pipeline {}: {} of {} {} lost to {} ({}): {}",
          batch.pipeline(),
          items,
          batch.items(),
          what,
          output,
          reason,
          message);
    } else {
      log.warn(
          "pipeline {}: {} of {} {} lost to {} ({}): {} (and {} {} of {} more batches since the"
              + " previous line)",
          batch.pipeline(),
          items,
          batch.items(),
          what,
          output,
          reason,
          message,
          itemsBefore,
          what,
          batchesBefore);
    }
  }

  /** What one pipeline lost since its last line. */
  private static final class Window {
    boolean logged;
    long nextLineAt;
    long unloggedBatches;
    long unloggedItems;
  }
}
